import { useCallback, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { useClient, useQuery } from "urql";
import { DeleteLeadMutation, LeadDetailQuery, MoveLeadDetailMutation, UpdateLeadMutation } from "../documents";
import type { LeadDetailFieldsFragment, UpdateLeadInput } from "../gql/graphql";
import { formatDate, isOverdue } from "../lib/dates";
import { formatMoney, normalizeMoneyInput } from "../lib/money";
import { StageDialog, type MoveExtras } from "../components/StageDialog";
import { useToast } from "../components/Toasts";
import { Avatar, Modal, Spinner, TagChip } from "../components/ui";
import { useReference } from "../reference";
import { InlineField, SelectEditor, TextEditor, type SaveResult } from "./InlineField";
import { TagsEditor } from "./TagsEditor";
import { ContactCard } from "./ContactCard";
import { ProductsPanel } from "./ProductsPanel";
import { Timeline } from "./Timeline";
import { OrganizationField } from "./OrganizationField";

export type LeadDetail = LeadDetailFieldsFragment;
type Stage = LeadDetail["pipeline"]["stages"][number];

export default function LeadDetailPage() {
  const { id = "" } = useParams();
  const [{ data, fetching, error }, reexecute] = useQuery({
    query: LeadDetailQuery,
    variables: { id },
    requestPolicy: "cache-and-network",
  });
  const refetch = useCallback(() => reexecute({ requestPolicy: "network-only" }), [reexecute]);
  if (!data && fetching) return <div className="page-loading"><Spinner /></div>;
  if (error && !data) return <div className="empty-state" role="alert"><h2>Could not load the lead</h2><p>{error.message}</p></div>;
  const lead = data?.lead;
  if (!lead)
    return (
      <div className="empty-state">
        <h2>Lead not found</h2>
        <p>It may have been deleted. <Link to="/leads">Back to the list</Link></p>
      </div>
    );
  return <LeadView lead={lead} refetch={refetch} />;
}

/** Saves one field with the version we saw; CONFLICT reloads the lead so the user can try again. */
export function useLeadSaver(lead: LeadDetail, refetch: () => void) {
  const client = useClient();
  return useCallback(
    async (fields: Omit<UpdateLeadInput, "id" | "version">): Promise<SaveResult> => {
      const res = await client.mutation(UpdateLeadMutation, { input: { id: lead.id, version: lead.version, ...fields } }).toPromise();
      if (res.error) return { ok: false, message: res.error.message };
      const payload = res.data!.updateLead;
      if (payload.errors.length) {
        if (payload.errors.some((e) => e.code === "CONFLICT")) {
          refetch();
          return { ok: false, message: "Someone else changed this lead; the latest version is now shown. Try again." };
        }
        return { ok: false, message: payload.errors.map((e) => e.message).join(" ") };
      }
      return { ok: true };
    },
    [client, lead.id, lead.version, refetch],
  );
}

function LeadView({ lead, refetch }: { lead: LeadDetail; refetch: () => void }) {
  const ref = useReference();
  const client = useClient();
  const toast = useToast();
  const navigate = useNavigate();
  const save = useLeadSaver(lead, refetch);
  const [dialog, setDialog] = useState<Stage | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const stages = [...lead.pipeline.stages].sort((a, b) => a.position - b.position);
  const hasProducts = lead.products.length > 0;
  const overdue = isOverdue(lead.expectedCloseDate, lead.status);

  const move = async (stage: Stage, extras: MoveExtras = {}) => {
    const res = await client
      .mutation(MoveLeadDetailMutation, {
        input: { id: lead.id, version: lead.version, stageId: stage.id, lostReason: extras.lostReason ?? null, wonValue: extras.wonValue ?? null, closeDate: extras.closeDate ?? null },
      })
      .toPromise();
    const payload = res.data?.moveLead;
    if (res.error || !payload || payload.errors.length) {
      const err = payload?.errors[0];
      if (err?.code === "CONFLICT") refetch();
      toast(
        `Not moved to ${stage.name}: ${err?.code === "CONFLICT" ? "someone else changed this lead; the latest version is now shown." : (err?.message ?? res.error?.message)}`,
        "error",
      );
      return;
    }
    toast(`Moved to ${stage.name}`, "success");
  };
  const clickStage = (stage: Stage) => {
    if (stage.id === lead.stage.id) return;
    if (stage.kind === "WON" || stage.kind === "LOST") setDialog(stage);
    else void move(stage);
  };
  const remove = async () => {
    const res = await client.mutation(DeleteLeadMutation, { input: { id: lead.id } }).toPromise();
    const err = res.error?.message ?? res.data?.deleteLead.errors[0]?.message;
    if (err) {
      toast(`Could not delete: ${err}`, "error");
      return;
    }
    toast(`Deleted “${lead.title}”`, "success");
    navigate("/leads");
  };

  const userOptions = ref.users.map((u) => ({ id: u.id, label: u.name }));
  const currentIndex = stages.findIndex((s) => s.id === lead.stage.id);

  return (
    <div className="detail">
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to={`/board/${lead.pipeline.id}`}>{lead.pipeline.name}</Link>
        <span aria-hidden>/</span>
        <Link to="/leads">Leads</Link>
      </nav>
      <header className="detail-head panel">
        <div className="detail-title-row">
          <div className="detail-title">
            <InlineField
              label="Title"
              testId="field-title"
              value={lead.title}
              display={<span className="detail-h1">{lead.title}</span>}
              editor={(p) => <TextEditor {...p} />}
              onSave={(v) => (v.trim() ? save({ title: v.trim() }) : Promise.resolve({ ok: false, message: "The title cannot be empty." }))}
            />
          </div>
          <div className="detail-badges">
            <span className={`status status-${lead.status.toLowerCase()}`} data-testid="lead-status">
              {lead.status === "OPEN" ? "Open" : lead.status === "WON" ? "Won" : "Lost"}
            </span>
            {lead.isRotting && <span className="rot">Rotting · {lead.daysInStage}d in stage</span>}
            <button type="button" className="btn btn-sm" onClick={() => setConfirmDelete(true)}>
              Delete
            </button>
          </div>
        </div>
        <div className="detail-kpis">
          <div>
            <span className="kpi-label">Value</span>
            <span className="kpi" data-testid="lead-value">{formatMoney(lead.value, lead.currency)}</span>
          </div>
          <div>
            <span className="kpi-label">Weighted ({lead.stage.probability}%)</span>
            <span className="kpi muted-kpi">{formatMoney(lead.weightedValue, lead.currency)}</span>
          </div>
          <div>
            <span className="kpi-label">Expected close</span>
            <span className={`kpi muted-kpi ${overdue ? "overdue" : ""}`}>{formatDate(lead.expectedCloseDate)}</span>
          </div>
          <div>
            <span className="kpi-label">In stage</span>
            <span className="kpi muted-kpi">{lead.daysInStage} day{lead.daysInStage === 1 ? "" : "s"}</span>
          </div>
          {lead.salesPerson && (
            <div className="kpi-owner">
              <Avatar name={lead.salesPerson.name} initials={lead.salesPerson.initials} size={30} />
              <span>{lead.salesPerson.name}</span>
            </div>
          )}
        </div>
        <ol className="stagebar" aria-label="Stage">
          {stages.map((s, i) => {
            const state = s.id === lead.stage.id ? "current" : s.kind === "OPEN" && i < currentIndex && lead.status === "OPEN" ? "done" : s.kind === "OPEN" && lead.status === "WON" ? "done" : "";
            return (
              <li key={s.id} className={`stage-step ${state} kind-${s.kind.toLowerCase()}`}>
                <button
                  type="button"
                  aria-current={s.id === lead.stage.id ? "step" : undefined}
                  title={`${s.name} (${s.probability}%)`}
                  onClick={() => clickStage(s)}
                >
                  {s.name}
                </button>
              </li>
            );
          })}
        </ol>
        {lead.status === "LOST" && lead.lostReason && (
          <p className="lost-reason">
            Lost reason: <strong>{lead.lostReason}</strong>
          </p>
        )}
      </header>

      <div className="detail-grid">
        <div className="detail-side">
          <section className="panel" aria-labelledby="details-h">
            <div className="panel-head"><h3 id="details-h">Details</h3></div>
            <div className="panel-body fields">
              <InlineField
                label="Value"
                testId="field-value"
                value={lead.value ?? ""}
                display={formatMoney(lead.value, lead.currency)}
                disabled={hasProducts}
                hint={hasProducts ? "The sum of the products below." : undefined}
                editor={(p) => <TextEditor {...p} inputMode="decimal" />}
                onSave={(v) => {
                  if (!v.trim()) return save({ value: null });
                  const n = normalizeMoneyInput(v);
                  return n === null ? Promise.resolve({ ok: false, message: "Enter a number, such as 1250.00." }) : save({ value: n });
                }}
              />
              <InlineField
                label="Currency"
                value={lead.currency}
                display={lead.currency}
                editor={(p) => <TextEditor {...p} />}
                onSave={(v) => save({ currency: v.trim().toUpperCase() })}
              />
              <InlineField
                label="Expected close date"
                testId="field-close-date"
                value={lead.expectedCloseDate ?? ""}
                display={<span className={overdue ? "overdue" : ""}>{formatDate(lead.expectedCloseDate)}{overdue ? " · overdue" : ""}</span>}
                editor={(p) => <TextEditor {...p} type="date" />}
                onSave={(v) => save({ expectedCloseDate: v || null })}
              />
              <InlineField
                label="Sales person"
                testId="field-sales-person"
                value={lead.salesPerson?.id ?? ""}
                display={lead.salesPerson?.name ?? "Unassigned"}
                editor={(p) => <SelectEditor {...p} options={userOptions} emptyLabel="Unassigned" />}
                onSave={(v) => save({ salesPersonId: v || null })}
              />
              <InlineField
                label="Source"
                testId="field-source"
                value={lead.source?.id ?? ""}
                display={lead.source?.name ?? "—"}
                editor={(p) => <SelectEditor {...p} options={ref.sources.map((s) => ({ id: s.id, label: s.name }))} emptyLabel="No source" />}
                onSave={(v) => save({ sourceId: v || null })}
              />
              <InlineField
                label="Type"
                testId="field-type"
                value={lead.leadType?.id ?? ""}
                display={lead.leadType?.name ?? "—"}
                editor={(p) => <SelectEditor {...p} options={ref.leadTypes.map((s) => ({ id: s.id, label: s.name }))} emptyLabel="No type" />}
                onSave={(v) => save({ leadTypeId: v || null })}
              />
              <InlineField
                label="Score"
                testId="field-score"
                value={lead.score == null ? "" : String(lead.score)}
                display={lead.score == null ? "—" : `${lead.score}${lead.temperature ? ` · ${lead.temperature.toLowerCase()}` : ""}`}
                editor={(p) => <TextEditor {...p} inputMode="numeric" />}
                onSave={(v) => {
                  if (!v.trim()) return save({ score: null });
                  if (!/^-?\d+$/.test(v.trim())) return Promise.resolve({ ok: false, message: "The score is a whole number." });
                  return save({ score: Number(v.trim()) });
                }}
              />
              <OrganizationField lead={lead} save={save} />
              <TagsEditor lead={lead} save={save} />
              <InlineField
                label="Description"
                multiline
                testId="field-description"
                value={lead.description ?? ""}
                display={lead.description ? <span className="pre">{lead.description}</span> : <span className="muted">Add a description</span>}
                editor={({ draft, setDraft, commit, id }) => (
                  <textarea
                    id={id}
                    className="input"
                    rows={4}
                    autoFocus
                    value={draft}
                    onChange={(e) => setDraft(e.target.value)}
                    onBlur={() => commit()}
                    onKeyDown={(e) => {
                      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) commit();
                    }}
                  />
                )}
                onSave={(v) => save({ description: v.trim() || null })}
              />
              <div className="meta muted small">
                Created {formatDate(lead.createdAt.slice(0, 10))} · updated {formatDate(lead.updatedAt.slice(0, 10))}
              </div>
            </div>
          </section>
          <ContactCard lead={lead} save={save} />
        </div>
        <div className="detail-main">
          <ProductsPanel lead={lead} />
          <Timeline lead={lead} refetch={refetch} />
        </div>
      </div>

      {dialog && (
        <StageDialog
          kind={dialog.kind as "WON" | "LOST"}
          stageName={dialog.name}
          leadTitle={lead.title}
          value={lead.value}
          valueLocked={hasProducts}
          onCancel={() => setDialog(null)}
          onConfirm={(extras) => {
            const s = dialog;
            setDialog(null);
            void move(s, extras);
          }}
        />
      )}
      {confirmDelete && (
        <Modal
          title="Delete this lead?"
          onClose={() => setConfirmDelete(false)}
          footer={
            <>
              <button className="btn" onClick={() => setConfirmDelete(false)}>Cancel</button>
              <button className="btn btn-danger" onClick={() => void remove()}>Delete lead</button>
            </>
          }
        >
          <p>
            “{lead.title}” and its products and timeline will be deleted. This cannot be undone.
          </p>
        </Modal>
      )}
    </div>
  );
}

export function TagList({ tags }: { tags: { id: string; name: string; color: string }[] }) {
  return (
    <span className="tag-list">
      {tags.map((t) => (
        <TagChip key={t.id} name={t.name} color={t.color} />
      ))}
    </span>
  );
}
