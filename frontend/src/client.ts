import { Client, fetchExchange } from "urql";
import { cacheExchange } from "@urql/exchange-graphcache";
import { UNAUTHENTICATED_EVENT } from "./auth";

// Types without an id are stored inside their parent (connections, edges, payloads, errors, labelled values).
const embedded = [
  "LeadConnection", "LeadEdge", "PageInfo", "UserError", "LabelledValue",
  "ActivityConnection", "ActivityEdge", "PersonConnection", "PersonEdge", "ProductConnection", "ProductEdge",
  "UserConnection", "UserEdge", "SourceConnection", "SourceEdge", "LeadTypeConnection", "LeadTypeEdge",
  "TagConnection", "TagEdge", "PipelineConnection", "PipelineEdge", "OrganizationConnection", "OrganizationEdge",
  "LeadPayload", "DeleteLeadPayload", "SavedFilterPayload", "LeadProductPayload", "ActivityPayload", "TagPayload", "PersonPayload",
];

export function createClient(): Client {
  return new Client({
    url: "/graphql",
    // Same origin: the session cookie (when there is one) goes along; no token ever lives in the bundle.
    fetchOptions: { credentials: "same-origin", headers: { accept: "application/graphql-response+json, application/json" } },
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      if (res.status === 401) window.dispatchEvent(new Event(UNAUTHENTICATED_EVENT));
      return res;
    },
    exchanges: [
      cacheExchange({
        keys: Object.fromEntries(embedded.map((t) => [t, () => null])),
        updates: {
          Mutation: {
            deleteLead(result, _args, cache) {
              const payload = result.deleteLead as { deletedId?: string | null } | null;
              if (payload?.deletedId) cache.invalidate({ __typename: "Lead", id: payload.deletedId });
            },
            createSavedFilter(_result, _args, cache) {
              cache.invalidate("Query", "savedFilters");
            },
            deleteSavedFilter(result, _args, cache) {
              const payload = result.deleteSavedFilter as { deletedId?: string | null } | null;
              if (payload?.deletedId) cache.invalidate({ __typename: "SavedFilter", id: payload.deletedId });
              cache.invalidate("Query", "savedFilters");
            },
            createTag(_result, _args, cache) {
              cache.invalidate("Query", "tags", { first: 100 });
            },
          },
        },
      }),
      fetchExchange,
    ],
  });
}
