import { useEffect, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useClient, useQuery } from "urql";
import { DeleteLeadMutation, LeadListQuery, LeadListValueQuery, MassMoveMutation, MassUpdateMutation } from "../documents";
import type { LeadFilter, LeadRowFieldsFragment } from "../gql/graphql";
import { isCapped, LIST_COUNT_CAP, leadCountText, ofCountText } from "../lib/counts";
import { formatDate, isOverdue } from "../lib/dates";
import { parseSort, toggleSort, writeSort, type SortField } from "../lib/filters";
import { formatMoney, formatScaled, parseDecimal } from "../lib/money";
import { FilterBar, useFilter } from "../components/FilterBar";
import { StageDialog, type MoveExtras } from "../components/StageDialog";
import { useToast } from "../components/Toasts";
import { Avatar, Modal, Spinner, TagChip } from "../components/ui";
import { useReference, type StageRef } from "../reference";
import { exportUrl } from "./export";

type Row = LeadRowFieldsFragment;

const COLUMNS: { field: SortField; label: string; num?: boolean }[] = [
  { field: "TITLE", label: "Title" },
  { field: "VALUE", label: "Value", num: true },
  { field: "STAGE", label: "Stage" },
  { field: "SALES_PERSON", label: "Sales person" },
  { field: "CONTACT_PERSON", label: "Contact person" },
  { field: "SOURCE", label: "Source" },
  { field: "LEAD_TYPE", label: "Type" },
  { field: "TAGS", label: "Tags" },
  { field: "EXPECTED_CLOSE_DATE", label: "Expected close" },
  { field: "CREATED_AT", label: "Created" },
];

export default function LeadsPage() {
  const client = useClient();
  const toast = useToast();
  const ref = useReference();
  const [params, setParams] = useSearchParams();
  const { apiFilter, filterKey, savedFilter } = useFilter();
  const filter = apiFilter as LeadFilter | null;
  const sort = parseSort(params);
  // a saved filter brings its own sort, which applies until a column header is clicked (?sort=)
  const savedSort = !!savedFilter && !params.has("sort");
  const orderBy = useMemo(
    () => (savedSort ? null : [{ field: sort.field, direction: sort.direction }]),
    [savedSort, sort.field, sort.direction],
  );
  const [pageSize, setPageSize] = useState(25);
  // the page cursors belong to one filter, sort and page size: another one starts again at the first page
  // (in the same render, so that a cursor of the old sort is never sent with the new one)
  const queryKey = `${filterKey}|${savedSort ? "saved" : `${sort.field}:${sort.direction}`}|${pageSize}`;
  const [paging, setPaging] = useState<{ key: string; cursors: (string | null)[] }>({ key: queryKey, cursors: [null] });
  const cursors = paging.key === queryKey ? paging.cursors : [null];
  const setCursors = (f: (c: (string | null)[]) => (string | null)[]) => setPaging({ key: queryKey, cursors: f(cursors) });
  const [selected, setSelected] = useState<Map<string, Row>>(new Map());
  const [busy, setBusy] = useState<string | null>(null);
  const [dialog, setDialog] = useState<{ stage: StageRef } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const after = cursors[cursors.length - 1];

  // a new filter, sort or page size clears the selection
  useEffect(() => {
    setSelected(new Map());
  }, [queryKey]);

  const [{ data, fetching, error }, reexecute] = useQuery({
    query: LeadListQuery,
    variables: { filter, orderBy, savedFilter, first: pageSize, after, countAtMost: LIST_COUNT_CAP },
    requestPolicy: "cache-and-network",
  });
  const conn = data?.leads;
  const exactCount = !!conn && !isCapped(conn.totalCount);
  const [{ data: valueData }, reexecuteValue] = useQuery({
    query: LeadListValueQuery,
    variables: { filter, savedFilter },
    requestPolicy: "cache-and-network",
    pause: !exactCount,
  });
  const totalValue = exactCount ? valueData?.leads.totalValue : undefined;
  const rows = conn?.edges.map((e) => e.node) ?? [];
  const pageIndex = cursors.length - 1;
  const start = conn && conn.totalCount ? pageIndex * pageSize + 1 : 0;
  const end = pageIndex * pageSize + rows.length;

  const pipeline = ref.pipelines.find((p) => p.isDefault) ?? ref.pipelines[0];
  const stages = pipeline ? [...pipeline.stages].sort((a, b) => a.position - b.position) : [];
  const allOnPage = rows.length > 0 && rows.every((r) => selected.has(r.id));

  const toggle = (row: Row) =>
    setSelected((s) => {
      const next = new Map(s);
      if (next.has(row.id)) next.delete(row.id);
      else next.set(row.id, row);
      return next;
    });
  const togglePage = () =>
    setSelected((s) => {
      const next = new Map(s);
      if (allOnPage) rows.forEach((r) => next.delete(r.id));
      else rows.forEach((r) => next.set(r.id, r));
      return next;
    });

  /** Runs one mutation per selected lead (there is no bulk mutation), then says what happened. */
  const runMass = async (label: string, action: (row: Row) => Promise<string | null>) => {
    const list = [...selected.values()];
    const failures: string[] = [];
    for (let i = 0; i < list.length; i++) {
      setBusy(`${label} ${i + 1}/${list.length}…`);
      const problem = await action(list[i]);
      if (problem) failures.push(`“${list[i].title}”: ${problem}`);
    }
    setBusy(null);
    setSelected(new Map());
    reexecute({ requestPolicy: "network-only" });
    // (reexecute runs a paused query too: the value only where the count is exact)
    if (exactCount) reexecuteValue({ requestPolicy: "network-only" });
    const ok = list.length - failures.length;
    if (failures.length) toast(`${label}: ${ok} of ${list.length} done. ${failures.slice(0, 3).join(" ")}${failures.length > 3 ? " …" : ""}`, "error");
    else toast(`${label}: ${ok} lead${ok === 1 ? "" : "s"} done`, "success");
  };
  const problemOf = (res: { error?: { message: string }; data?: unknown }, errors?: { code: string; message: string }[]) => {
    if (res.error) return res.error.message;
    if (errors?.length) return errors[0].code === "CONFLICT" ? "changed by someone else meanwhile" : errors.map((e) => e.message).join(" ");
    return null;
  };
  const massMove = (stage: StageRef, extras: MoveExtras = {}) =>
    runMass(`Move to ${stage.name}`, async (row) => {
      if (row.stage.id === stage.id) return null;
      const res = await client
        .mutation(MassMoveMutation, { input: { id: row.id, version: row.version, stageId: stage.id, lostReason: extras.lostReason ?? null, closeDate: extras.closeDate ?? null } })
        .toPromise();
      return problemOf(res, res.data?.moveLead.errors);
    });
  const massAssign = (userId: string) => {
    const user = ref.users.find((u) => u.id === userId);
    return runMass(`Assign to ${user?.name ?? "nobody"}`, async (row) => {
      const res = await client.mutation(MassUpdateMutation, { input: { id: row.id, version: row.version, salesPersonId: userId || null } }).toPromise();
      return problemOf(res, res.data?.updateLead.errors);
    });
  };
  const massTag = (tagId: string) => {
    const tag = ref.tags.find((t) => t.id === tagId);
    return runMass(`Tag “${tag?.name}”`, async (row) => {
      const ids = row.tags.map((t) => t.id);
      if (ids.includes(tagId)) return null;
      const res = await client.mutation(MassUpdateMutation, { input: { id: row.id, version: row.version, tagIds: [...ids, tagId] } }).toPromise();
      return problemOf(res, res.data?.updateLead.errors);
    });
  };
  const massDelete = () =>
    runMass("Delete", async (row) => {
      const res = await client.mutation(DeleteLeadMutation, { input: { id: row.id } }).toPromise();
      return problemOf(res, res.data?.deleteLead.errors);
    });

  // what the role may do: actions it may not are not offered (the server refuses them anyway)
  const canExport = ref.can("leads.export");
  const canEdit = ref.can("leads.edit");
  const canDelete = ref.can("leads.delete");
  const canMass = canEdit || canDelete;

  const sortBy = (field: SortField) => setParams((p) => writeSort(toggleSort(sort, field), p));

  return (
    <div className="list-page">
      <div className="page-head">
        <div className="page-title">
          <h1>Leads</h1>
          {conn && (
            <span className="muted" data-testid="list-total">
              {leadCountText(conn.totalCount)}
              {totalValue != null && ` · $${formatScaled(parseDecimal(totalValue))}`}
            </span>
          )}
        </div>
        <div className="head-actions">
          {busy && <span className="muted small" role="status">{busy}</span>}
          {canExport && (
            <a
              className={`btn ${busy || !conn?.totalCount ? "disabled" : ""}`}
              role="button"
              aria-disabled={!!busy || !conn?.totalCount}
              href={exportUrl(filter, orderBy, savedFilter)}
              download
              onClick={(e) => {
                if (busy || !conn?.totalCount) e.preventDefault();
                else toast(`Exporting ${leadCountText(conn.totalCount)} to CSV…`, "success");
              }}
            >
              <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden><path d="M8 1.5v8m0 0L5 6.5m3 3 3-3M2.5 11v2.5h11V11" stroke="currentColor" strokeWidth="1.6" fill="none" /></svg>
              Export CSV
            </a>
          )}
        </div>
      </div>
      <FilterBar />

      {selected.size > 0 && canMass && (
        <div className="massbar" role="region" aria-label="Mass actions">
          <strong>{selected.size} selected</strong>
          {canEdit && <><select className="select" aria-label="Move selected to stage" value="" disabled={!!busy}
            onChange={(e) => {
              const stage = stages.find((s) => s.id === e.target.value);
              if (!stage) return;
              if (stage.kind === "WON" || stage.kind === "LOST") setDialog({ stage });
              else void massMove(stage);
            }}>
            <option value="">Move to stage…</option>
            {stages.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
          <select className="select" aria-label="Assign selected to sales person" value="" disabled={!!busy} onChange={(e) => e.target.value && void massAssign(e.target.value)}>
            <option value="">Assign to…</option>
            {ref.users.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
          </select>
          <select className="select" aria-label="Add tag to selected" value="" disabled={!!busy} onChange={(e) => e.target.value && void massTag(e.target.value)}>
            <option value="">Add tag…</option>
            {ref.tags.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          </select></>}
          {canDelete && <button type="button" className="btn btn-sm btn-danger" disabled={!!busy} onClick={() => setConfirmDelete(true)}>Delete…</button>}
          <button type="button" className="link-btn" onClick={() => setSelected(new Map())}>Clear selection</button>
        </div>
      )}

      <div className="panel table-panel">
        <div className="table-wrap">
          <table className="grid" aria-busy={fetching}>
            <thead>
              <tr>
                <th className="check">
                  <input type="checkbox" aria-label="Select all leads on this page" checked={allOnPage} onChange={togglePage} />
                </th>
                {COLUMNS.map((c) => {
                  const active = !savedSort && sort.field === c.field;
                  return (
                    <th key={c.field} className={c.num ? "num" : ""} aria-sort={active ? (sort.direction === "ASC" ? "ascending" : "descending") : "none"}>
                      <button type="button" className={`sort ${active ? "active" : ""}`} onClick={() => sortBy(c.field)}>
                        {c.label}
                        <span className="sort-ind" aria-hidden>{active ? (sort.direction === "ASC" ? "▲" : "▼") : "↕"}</span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className={selected.has(r.id) ? "selected" : ""} data-testid="lead-row">
                  <td className="check">
                    <input type="checkbox" aria-label={`Select ${r.title}`} checked={selected.has(r.id)} onChange={() => toggle(r)} />
                  </td>
                  <td className="title-cell"><Link to={`/leads/${r.id}`}>{r.title}</Link></td>
                  <td className="num">{formatMoney(r.value, r.currency)}</td>
                  <td><span className={`stage-pill kind-${r.stage.kind.toLowerCase()}`}>{r.stage.name}</span></td>
                  <td>{r.salesPerson ? <span className="who"><Avatar name={r.salesPerson.name} initials={r.salesPerson.initials} size={22} />{r.salesPerson.name}</span> : <span className="muted">Unassigned</span>}</td>
                  <td>{r.contactPerson?.name ?? <span className="muted">—</span>}{r.organization && <div className="muted small">{r.organization.name}</div>}</td>
                  <td>{r.source?.name ?? <span className="muted">—</span>}</td>
                  <td>{r.leadType?.name ?? <span className="muted">—</span>}</td>
                  <td className="tags-cell">{r.tags.map((t) => <TagChip key={t.id} name={t.name} color={t.color} />)}</td>
                  <td className={isOverdue(r.expectedCloseDate, r.status) ? "overdue nowrap" : "nowrap"}>{formatDate(r.expectedCloseDate)}</td>
                  <td className="nowrap">{formatDate(r.createdAt.slice(0, 10))}</td>
                </tr>
              ))}
              {!rows.length && !fetching && (
                <tr><td colSpan={COLUMNS.length + 1} className="empty-row">{error ? `Could not load leads: ${error.message}` : "No lead matches these filters."}</td></tr>
              )}
              {!rows.length && fetching && (
                <tr><td colSpan={COLUMNS.length + 1} className="empty-row"><Spinner /></td></tr>
              )}
            </tbody>
          </table>
        </div>
        <div className="pager">
          <span data-testid="pager-range">
            {conn ? `${start}–${end} of ${ofCountText(conn.totalCount)}` : "…"}
          </span>
          <label className="muted small">
            Rows{" "}
            <select className="select" value={pageSize} onChange={(e) => setPageSize(Number(e.target.value))}>
              {[25, 50, 100].map((n) => <option key={n} value={n}>{n}</option>)}
            </select>
          </label>
          <div className="pager-btns">
            <button type="button" className="btn btn-sm" disabled={pageIndex === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>← Previous</button>
            <button type="button" className="btn btn-sm" disabled={!conn?.pageInfo.hasNextPage} onClick={() => conn?.pageInfo.endCursor && setCursors((c) => [...c, conn.pageInfo.endCursor!])}>Next →</button>
          </div>
        </div>
      </div>

      {dialog && (
        <StageDialog
          kind={dialog.stage.kind as "WON" | "LOST"}
          stageName={dialog.stage.name}
          leadTitle=""
          count={selected.size}
          onCancel={() => setDialog(null)}
          onConfirm={(extras) => {
            const s = dialog.stage;
            setDialog(null);
            void massMove(s, extras);
          }}
        />
      )}
      {confirmDelete && (
        <Modal
          title={`Delete ${selected.size} lead${selected.size === 1 ? "" : "s"}?`}
          onClose={() => setConfirmDelete(false)}
          footer={
            <>
              <button className="btn" onClick={() => setConfirmDelete(false)}>Cancel</button>
              <button className="btn btn-danger" onClick={() => { setConfirmDelete(false); void massDelete(); }}>Delete</button>
            </>
          }
        >
          <p>The selected leads, with their products and timelines, will be deleted. This cannot be undone.</p>
          <ul className="delete-list">
            {[...selected.values()].slice(0, 6).map((r) => <li key={r.id}>{r.title}</li>)}
            {selected.size > 6 && <li className="muted">and {selected.size - 6} more</li>}
          </ul>
        </Modal>
      )}
    </div>
  );
}
