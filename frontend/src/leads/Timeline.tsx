import { useState } from "react";
import { useClient } from "urql";
import { AddNoteMutation } from "../documents";
import { formatDateTime, relativeTime } from "../lib/dates";
import { formatMoney } from "../lib/money";
import { fieldChanges, stageChange } from "../lib/timeline";
import { useReference } from "../reference";
import type { LeadDetail } from "./LeadDetailPage";

type Entry = LeadDetail["timeline"]["edges"][number]["node"];

const KIND_LABEL: Record<string, string> = {
  NOTE: "Note",
  CALL: "Call",
  MEETING: "Meeting",
  EMAIL: "Email",
  TASK: "Task",
  LEAD_CREATED: "Created",
  STAGE_CHANGED: "Stage",
  FIELDS_CHANGED: "Edited",
  PRODUCTS_CHANGED: "Products",
};

export function Timeline({ lead, refetch }: { lead: LeadDetail; refetch: () => void }) {
  const client = useClient();
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [kind, setKind] = useState<"ALL" | "NOTES" | "CHANGES">("ALL");
  const entries = lead.timeline.edges
    .map((e) => e.node)
    .filter((n) => (kind === "ALL" ? true : kind === "NOTES" ? ["NOTE", "CALL", "MEETING", "EMAIL", "TASK"].includes(n.kind) : !["NOTE", "CALL", "MEETING", "EMAIL", "TASK"].includes(n.kind)));

  const addNote = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!note.trim()) {
      setError("Write something first.");
      return;
    }
    setBusy(true);
    const res = await client.mutation(AddNoteMutation, { input: { leadId: lead.id, kind: "NOTE", body: note.trim() } }).toPromise();
    setBusy(false);
    const err = res.error?.message ?? res.data?.addActivity.errors.map((x) => x.message).join(" ");
    if (err) {
      setError(err);
      return;
    }
    setNote("");
    setError(null);
    refetch();
  };

  return (
    <section className="panel" aria-labelledby="timeline-h" data-testid="timeline">
      <div className="panel-head">
        <h3 id="timeline-h">Timeline</h3>
        <div className="seg" role="group" aria-label="Show">
          {(["ALL", "NOTES", "CHANGES"] as const).map((k) => (
            <button key={k} type="button" className={kind === k ? "on" : ""} aria-pressed={kind === k} onClick={() => setKind(k)}>
              {k === "ALL" ? "All" : k === "NOTES" ? "Notes" : "Changes"}
            </button>
          ))}
        </div>
      </div>
      <div className="panel-body">
        <form className="note-form" onSubmit={addNote}>
          <textarea
            className="input"
            rows={2}
            placeholder="Add a note… (Ctrl+Enter to save)"
            aria-label="Note"
            value={note}
            onChange={(e) => {
              setNote(e.target.value);
              setError(null);
            }}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void addNote(e);
            }}
          />
          <div className="note-actions">
            {error && <p className="field-error" role="alert">{error}</p>}
            <button type="submit" className="btn btn-primary btn-sm" disabled={busy}>
              Add note
            </button>
          </div>
        </form>
        <ol className="timeline">
          {entries.map((n) => (
            <TimelineEntry key={n.id} entry={n} />
          ))}
          {!entries.length && <li className="muted small">Nothing here yet.</li>}
        </ol>
        {lead.timeline.totalCount > lead.timeline.edges.length && (
          <p className="muted small">Showing the latest {lead.timeline.edges.length} of {lead.timeline.totalCount} entries.</p>
        )}
      </div>
    </section>
  );
}

function TimelineEntry({ entry }: { entry: Entry }) {
  const ref = useReference();
  const lookup = {
    user: (id: string) => ref.users.find((u) => u.id === id)?.name,
    source: (id: string) => ref.sources.find((u) => u.id === id)?.name,
    leadType: (id: string) => ref.leadTypes.find((u) => u.id === id)?.name,
  };
  let body: React.ReactNode;
  switch (entry.kind) {
    case "STAGE_CHANGED": {
      const s = stageChange(entry.data);
      body = (
        <>
          <p>
            Moved {s.from ? <>from <strong>{s.from}</strong> </> : null}to <strong>{s.to}</strong>
            {s.wonValue ? <> — won {formatMoney(s.wonValue)}</> : null}
          </p>
          {s.lostReason && <p className="entry-detail">Lost reason: {s.lostReason}</p>}
          {s.reason && <p className="entry-detail">Reason: {s.reason}</p>}
        </>
      );
      break;
    }
    case "FIELDS_CHANGED":
      body = (
        <ul className="changes">
          {fieldChanges(entry.data, lookup).map((c) => (
            <li key={c.field}>
              Changed <strong>{c.label}</strong> from <span className="old">{c.from}</span> to <span className="new">{c.to}</span>
            </li>
          ))}
        </ul>
      );
      break;
    case "PRODUCTS_CHANGED": {
      const d = (entry.data ?? {}) as { action?: string; product?: string; quantity?: string; amount?: string };
      body = (
        <p>
          {d.action === "added" ? "Added" : d.action === "removed" ? "Removed" : "Updated"} product <strong>{d.product}</strong>
          {d.amount ? <> ({formatMoney(d.amount)})</> : null}
        </p>
      );
      break;
    }
    case "LEAD_CREATED": {
      const d = (entry.data ?? {}) as { stage?: string };
      body = <p>Lead created{d.stage ? <> in <strong>{d.stage}</strong></> : null}</p>;
      break;
    }
    default:
      body = (
        <>
          {entry.title && <p className="entry-title">{entry.title}</p>}
          {entry.body && <p className="pre">{entry.body}</p>}
        </>
      );
  }
  return (
    <li className={`entry kind-${entry.kind.toLowerCase()}`} data-testid="timeline-entry" data-kind={entry.kind}>
      <span className="entry-dot" aria-hidden />
      <div className="entry-main">
        <div className="entry-meta">
          <span className="entry-kind">{KIND_LABEL[entry.kind] ?? entry.kind}</span>
          {entry.actor && <span>{entry.actor.name}</span>}
          <time dateTime={entry.createdAt} title={formatDateTime(entry.createdAt)}>
            {relativeTime(entry.createdAt)}
          </time>
        </div>
        <div className="entry-body">{body}</div>
      </div>
    </li>
  );
}
