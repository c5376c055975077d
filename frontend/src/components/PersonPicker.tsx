import { useState } from "react";
import { useClient, useQuery } from "urql";
import { CreatePersonMutation, PersonSearchQuery } from "../documents";
import type { PersonFieldsFragment } from "../gql/graphql";
import { useDebounced } from "./ui";

export interface PickedPerson {
  id: string;
  name: string;
}

/** Type to find a contact person; pick one, or keep the typed name to create a new person. */
export function PersonCombo({
  value,
  onChange,
  id,
  placeholder = "Contact person",
}: {
  value: { name: string; person: PickedPerson | null };
  onChange: (v: { name: string; person: PickedPerson | null }) => void;
  id?: string;
  placeholder?: string;
}) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const search = useDebounced(value.name.trim(), 200);
  const [{ data }] = useQuery({ query: PersonSearchQuery, variables: { search }, pause: !open || search.length < 1 });
  const hits = open && search ? (data?.persons.edges.map((e) => e.node) ?? []) : [];
  const listId = `${id ?? "person"}-list`;
  const pick = (p: PickedPerson) => {
    onChange({ name: p.name, person: p });
    setOpen(false);
  };
  return (
    <div className="combo">
      <input
        id={id}
        className="input"
        role="combobox"
        aria-expanded={hits.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        autoComplete="off"
        placeholder={placeholder}
        value={value.name}
        onChange={(e) => {
          onChange({ name: e.target.value, person: null });
          setOpen(true);
          setActive(-1);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => window.setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (!hits.length) return;
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, hits.length - 1));
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === "Enter" && active >= 0) {
            e.preventDefault();
            pick(hits[active]);
          } else if (e.key === "Escape") {
            e.stopPropagation();
            setOpen(false);
          }
        }}
      />
      {hits.length > 0 && (
        <ul className="combo-list" id={listId} role="listbox">
          {hits.map((p, i) => (
            <li
              key={p.id}
              role="option"
              aria-selected={i === active}
              className={i === active ? "active" : ""}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(p);
              }}
            >
              <strong>{p.name}</strong>
              <span className="muted small">{[p.jobTitle, p.organization?.name].filter(Boolean).join(" · ")}</span>
            </li>
          ))}
        </ul>
      )}
      {value.name.trim() && !value.person && (
        <small className="muted">New contact “{value.name.trim()}” will be created</small>
      )}
    </div>
  );
}

export interface NewPerson {
  name: string;
  jobTitle?: string;
  organizationId?: string | null;
  email?: string;
  phone?: string;
}

export interface FieldProblem {
  field?: string | null;
  message: string;
}

/** Creates a person with its email and phone in one mutation: a refused value creates nothing. */
export function useCreatePerson() {
  const client = useClient();
  return async (p: NewPerson): Promise<{ person?: PersonFieldsFragment; errors: FieldProblem[] }> => {
    const created = await client
      .mutation(CreatePersonMutation, {
        input: {
          name: p.name,
          jobTitle: p.jobTitle || null,
          organizationId: p.organizationId || null,
          emails: p.email ? [{ value: p.email, label: "work" }] : [],
          phones: p.phone ? [{ value: p.phone, label: "work" }] : [],
        },
      })
      .toPromise();
    if (created.error) return { errors: [{ message: created.error.message }] };
    const payload = created.data!.createPerson;
    if (payload.errors.length || !payload.person) return { errors: payload.errors };
    return { person: payload.person, errors: [] };
  };
}
