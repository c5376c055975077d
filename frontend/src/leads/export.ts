// The list's CSV export is the server's GET /export/leads.csv: it checks the leads.export permission and the
// role's visibility, and streams every row however many there are (no paging through GraphQL in the browser).
import type { LeadFilter, LeadOrder } from "../gql/graphql";

/** The export URL for the list's filter, saved filter and sort, in the API's own JSON spelling. */
export function exportUrl(filter: LeadFilter | null, orderBy: LeadOrder[] | null, savedFilter: string | null): string {
  const params = new URLSearchParams();
  if (filter) params.set("filter", JSON.stringify(filter));
  if (orderBy?.length) params.set("orderBy", JSON.stringify(orderBy));
  if (savedFilter) params.set("savedFilter", savedFilter);
  const qs = params.toString();
  return `/export/leads.csv${qs ? `?${qs}` : ""}`;
}
