// Saved filters in the filter bar: apply one (?saved=<id>, ANDed with the bar's own criteria by the API), save
// the current bar under a name for a view and an audience, delete your own.
import { useEffect, useRef, useState } from "react";
import { useLocation, useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { CreateSavedFilterMutation, DeleteSavedFilterMutation, SavedFiltersQuery } from "../documents";
import type { LeadFilter, LeadOrder, SavedFilterFieldsFragment, SavedFilterScope, SavedFilterView } from "../gql/graphql";
import { parseSort } from "../lib/filters";
import { orderSavedFilters } from "../lib/savedFilters";
import { useReference } from "../reference";
import { useToast } from "./Toasts";
import { Modal } from "./ui";
import { useFilter } from "./FilterBar";

type Saved = SavedFilterFieldsFragment;

export function useSavedFilters() {
  const [{ data, error, fetching }] = useQuery({ query: SavedFiltersQuery });
  return { list: orderSavedFilters(data?.savedFilters ?? []), error: error?.message, fetching };
}

export function SavedFilterMenu() {
  const { savedFilter, setSaved } = useFilter();
  const { list, error } = useSavedFilters();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [deleting, setDeleting] = useState<Saved | null>(null);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDoc = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", onDoc);
    return () => document.removeEventListener("mousedown", onDoc);
  }, [open]);
  const applied = list.find((f) => f.id === savedFilter);
  const groups: [string, Saved[]][] = [
    ["Built in", list.filter((f) => f.isBuiltin)],
    ["Yours", list.filter((f) => !f.isBuiltin && f.isOwn)],
    ["Shared with you", list.filter((f) => !f.isBuiltin && !f.isOwn)],
  ];
  return (
    <div
      className="ms saved-menu"
      ref={box}
      onKeyDown={(e) => {
        if (e.key === "Escape" && open) {
          e.stopPropagation();
          setOpen(false);
        }
      }}
    >
      <button
        type="button"
        className={`chip-btn ${savedFilter ? "active" : ""}`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label="Saved filters"
        onClick={() => setOpen((o) => !o)}
      >
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden>
          <path d="M4 2h8v12l-4-3-4 3z" fill={savedFilter ? "currentColor" : "none"} stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
        </svg>
        <span data-testid="saved-filter-current">{applied ? applied.name : savedFilter ? "Saved filter" : "Saved filters"}</span>
        <span className="caret" aria-hidden>▾</span>
      </button>
      {open && (
        <div className="ms-pop saved-pop" role="menu" aria-label="Saved filters">
          {error && <div className="field-error pad">Could not load saved filters: {error}</div>}
          <div className="ms-list">
            {groups.map(([title, items]) =>
              items.length ? (
                <div key={title} className="saved-group" role="group" aria-label={title}>
                  <div className="saved-group-title">{title}</div>
                  {items.map((f) => (
                    <div key={f.id} className={`saved-item ${f.id === savedFilter ? "current" : ""}`}>
                      <button
                        type="button"
                        role="menuitemradio"
                        aria-checked={f.id === savedFilter}
                        className="saved-apply"
                        onClick={() => {
                          setSaved(f.id === savedFilter ? null : f.id);
                          setOpen(false);
                        }}
                      >
                        <span className="saved-name">{f.name}</span>
                        <span className="saved-meta">{f.view === "BOARD" ? "Board" : "List"}{f.isBuiltin ? "" : ` · ${scopeLabel(f.scope)}`}</span>
                      </button>
                      {f.isOwn && !f.isBuiltin && (
                        <button type="button" className="icon-btn saved-delete" aria-label={`Delete saved filter ${f.name}`} title="Delete" onClick={() => { setOpen(false); setDeleting(f); }}>
                          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden><path d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.7 8.5h5.6l.7-8.5" stroke="currentColor" strokeWidth="1.4" fill="none" /></svg>
                        </button>
                      )}
                    </div>
                  ))}
                </div>
              ) : null,
            )}
            {!list.length && !error && <div className="muted small pad">No saved filters yet.</div>}
          </div>
          <div className="saved-foot">
            {savedFilter && (
              <button type="button" className="link-btn small" onClick={() => { setSaved(null); setOpen(false); }}>
                Remove saved filter
              </button>
            )}
            <button type="button" className="btn btn-sm btn-primary" onClick={() => { setOpen(false); setSaving(true); }}>
              Save current filters…
            </button>
          </div>
        </div>
      )}
      {saving && <SaveDialog applied={applied ?? null} onClose={() => setSaving(false)} />}
      {deleting && <DeleteDialog filter={deleting} onClose={() => setDeleting(null)} />}
    </div>
  );
}

function scopeLabel(scope: SavedFilterScope): string {
  return { PRIVATE: "Only me", TEAM: "Team", ROLE: "Role", EVERYONE: "Everyone" }[scope];
}

/** The filter to store: the bar's criteria, ANDed with the saved filter applied underneath them (if any). */
function filterToSave(bar: LeadFilter | null, applied: Saved | null): LeadFilter | null {
  const base = applied && applied.filter && Object.keys(applied.filter as object).length ? (applied.filter as LeadFilter) : null;
  if (base && bar) return { and: [base, bar] };
  return base ?? bar;
}

function SaveDialog({ applied, onClose }: { applied: Saved | null; onClose: () => void }) {
  const { apiFilter, setSaved } = useFilter();
  const { pathname } = useLocation();
  const [params] = useSearchParams();
  const ref = useReference();
  const toast = useToast();
  const teams = ref.me?.user.teams ?? [];
  const [name, setName] = useState("");
  const [view, setView] = useState<SavedFilterView>(pathname.startsWith("/leads") ? "LIST" : "BOARD");
  const [scope, setScope] = useState<"PRIVATE" | "TEAM" | "EVERYONE">("PRIVATE");
  const [teamId, setTeamId] = useState(teams[0]?.id ?? "");
  const [errors, setErrors] = useState<{ field?: string | null; message: string }[]>([]);
  const [{ fetching }, create] = useMutation(CreateSavedFilterMutation);
  const filter = filterToSave(apiFilter as LeadFilter | null, applied);
  // the list's sort goes along when it was chosen; otherwise the applied saved filter's sort
  const orderBy: LeadOrder[] | null = pathname.startsWith("/leads") && params.has("sort")
    ? [(({ field, direction }) => ({ field, direction }))(parseSort(params)) as LeadOrder]
    : applied && Array.isArray(applied.orderBy) && applied.orderBy.length ? (applied.orderBy as LeadOrder[]) : null;
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setErrors([{ field: "name", message: "Give the filter a name." }]);
      return;
    }
    const res = await create({
      input: { name: name.trim(), filter, orderBy, view, scope, teamId: scope === "TEAM" ? teamId || null : null },
    });
    const payload = res.data?.createSavedFilter;
    if (res.error) return setErrors([{ message: res.error.message }]);
    if (payload?.errors.length) return setErrors(payload.errors);
    if (payload?.savedFilter) {
      toast(`Saved “${payload.savedFilter.name}”`, "success");
      onClose();
      setSaved(payload.savedFilter.id);
    }
  };
  const fieldError = (f: string) => errors.filter((x) => x.field === f || x.field?.endsWith(`.${f}`)).map((x) => x.message).join(" ");
  const otherErrors = errors.filter((x) => !["name", "view", "scope", "teamId"].some((f) => x.field === f || x.field?.endsWith(`.${f}`)));
  return (
    <Modal title="Save filters" onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <label className="field">
          <span>Name</span>
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} maxLength={120} aria-invalid={!!fieldError("name")} placeholder="e.g. Big deals this quarter" />
          {fieldError("name") && <p className="field-error" role="alert">{fieldError("name")}</p>}
        </label>
        <fieldset className="field radio-row">
          <legend>Show on</legend>
          <label><input type="radio" name="view" checked={view === "LIST"} onChange={() => setView("LIST")} /> Lead list</label>
          <label><input type="radio" name="view" checked={view === "BOARD"} onChange={() => setView("BOARD")} /> Board</label>
        </fieldset>
        <fieldset className="field radio-row">
          <legend>Share with</legend>
          <label><input type="radio" name="scope" checked={scope === "PRIVATE"} onChange={() => setScope("PRIVATE")} /> Only me</label>
          <label title={teams.length ? "" : "You are in no team"}>
            <input type="radio" name="scope" checked={scope === "TEAM"} disabled={!teams.length} onChange={() => setScope("TEAM")} /> My team
          </label>
          <label><input type="radio" name="scope" checked={scope === "EVERYONE"} onChange={() => setScope("EVERYONE")} /> Everyone</label>
        </fieldset>
        {scope === "TEAM" && teams.length > 1 && (
          <label className="field">
            <span>Team</span>
            <select className="select" value={teamId} onChange={(e) => setTeamId(e.target.value)}>
              {teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
            </select>
          </label>
        )}
        {(fieldError("scope") || fieldError("teamId") || fieldError("view")) && (
          <p className="field-error" role="alert">{[fieldError("view"), fieldError("scope"), fieldError("teamId")].filter(Boolean).join(" ")}</p>
        )}
        <p className="muted small saved-summary">
          {applied ? `“${applied.name}”` : "No saved filter"}
          {apiFilter ? " plus the criteria in the bar" : applied ? "" : " and no criteria: every lead you can see"}
          {orderBy ? ", with its sort." : "."}
        </p>
        {otherErrors.length > 0 && <p className="field-error" role="alert">{otherErrors.map((x) => x.message).join(" ")}</p>}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>Cancel</button>
          <button type="submit" className="btn btn-primary" disabled={fetching}>{fetching ? "Saving…" : "Save"}</button>
        </div>
      </form>
    </Modal>
  );
}

function DeleteDialog({ filter, onClose }: { filter: Saved; onClose: () => void }) {
  const { savedFilter, setSaved } = useFilter();
  const toast = useToast();
  const [problem, setProblem] = useState<string | null>(null);
  const [{ fetching }, remove] = useMutation(DeleteSavedFilterMutation);
  const confirm = async () => {
    const res = await remove({ input: { id: filter.id } });
    const errors = res.data?.deleteSavedFilter.errors ?? [];
    if (res.error || errors.length) return setProblem(res.error?.message ?? errors.map((e) => e.message).join(" "));
    toast(`Deleted “${filter.name}”`, "success");
    if (savedFilter === filter.id) setSaved(null);
    onClose();
  };
  return (
    <Modal
      title={`Delete “${filter.name}”?`}
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>Cancel</button>
          <button className="btn btn-danger" disabled={fetching} onClick={() => void confirm()}>Delete</button>
        </>
      }
    >
      <p>{filter.scope === "PRIVATE" ? "Only you use this saved filter." : "Everyone it is shared with loses it too."} The leads stay as they are.</p>
      {problem && <p className="field-error" role="alert">{problem}</p>}
    </Modal>
  );
}
