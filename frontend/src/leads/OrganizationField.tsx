import { useState } from "react";
import { useQuery } from "urql";
import { OrganizationSearchQuery } from "../documents";
import { useDebounced } from "../components/ui";
import type { UpdateLeadInput } from "../gql/graphql";
import { InlineField, type SaveResult } from "./InlineField";
import type { LeadDetail } from "./LeadDetailPage";

export function OrganizationField({ lead, save }: { lead: LeadDetail; save: (f: Omit<UpdateLeadInput, "id" | "version">) => Promise<SaveResult> }) {
  return (
    <InlineField
      label="Organization"
      testId="field-organization"
      value={lead.organization?.id ?? ""}
      display={lead.organization?.name ?? "—"}
      editor={({ commit, cancel, id }) => <OrgSearch id={id} initial={lead.organization?.name ?? ""} onPick={(orgId) => commit(orgId)} onCancel={cancel} />}
      onSave={(v) => save({ organizationId: v || null })}
    />
  );
}

function OrgSearch({ id, initial, onPick, onCancel }: { id: string; initial: string; onPick: (id: string) => void; onCancel: () => void }) {
  const [text, setText] = useState(initial);
  const [active, setActive] = useState(-1);
  const search = useDebounced(text.trim(), 200);
  const [{ data }] = useQuery({ query: OrganizationSearchQuery, variables: { search: search || null } });
  const hits = data?.organizations.edges.map((e) => e.node) ?? [];
  return (
    <div className="combo">
      <input
        id={id}
        className="input"
        autoFocus
        role="combobox"
        aria-expanded={hits.length > 0}
        aria-autocomplete="list"
        placeholder="Search organizations"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => window.setTimeout(onCancel, 200)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, hits.length - 1));
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === "Enter" && hits.length) {
            e.preventDefault();
            onPick(hits[Math.max(active, 0)].id);
          }
        }}
      />
      <ul className="combo-list" role="listbox">
        {hits.map((o, i) => (
          <li key={o.id} role="option" aria-selected={i === active} className={i === active ? "active" : ""} onMouseDown={(e) => (e.preventDefault(), onPick(o.id))}>
            <strong>{o.name}</strong>
            <span className="muted small">{[o.industry, o.city, o.country].filter(Boolean).join(" · ")}</span>
          </li>
        ))}
        <li role="option" aria-selected={false} onMouseDown={(e) => (e.preventDefault(), onPick(""))}>
          <span className="muted">No organization</span>
        </li>
      </ul>
    </div>
  );
}
