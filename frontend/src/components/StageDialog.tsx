import { useState } from "react";
import { todayIso } from "../lib/dates";
import { normalizeMoneyInput } from "../lib/money";
import { Modal } from "./ui";

export interface MoveExtras {
  wonValue?: string | null;
  closeDate?: string | null;
  lostReason?: string | null;
}

const LOST_REASONS = ["Price too high", "Chose a competitor", "No budget", "No decision / went dark", "Bad timing", "Not a fit"];

/** Won asks for the value won and the close date; lost asks for a reason and refuses an empty one. */
export function StageDialog({
  kind,
  stageName,
  leadTitle,
  value,
  valueLocked,
  count = 1,
  onConfirm,
  onCancel,
}: {
  kind: "WON" | "LOST";
  stageName: string;
  leadTitle: string;
  value?: string | null;
  valueLocked?: boolean;
  count?: number;
  onConfirm: (extras: MoveExtras) => void;
  onCancel: () => void;
}) {
  const [wonValue, setWonValue] = useState(value ?? "");
  const [closeDate, setCloseDate] = useState(todayIso());
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const subject = count > 1 ? `${count} leads` : `“${leadTitle}”`;
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (kind === "LOST") {
      if (!reason.trim()) {
        setError("A lost reason is required.");
        return;
      }
      onConfirm({ lostReason: reason.trim() });
      return;
    }
    let v: string | null = null;
    if (!valueLocked && count === 1 && wonValue.trim() !== "") {
      v = normalizeMoneyInput(wonValue);
      if (v === null) {
        setError("The won value must be a number.");
        return;
      }
    }
    if (!closeDate) {
      setError("Pick the close date.");
      return;
    }
    onConfirm({ wonValue: v, closeDate });
  };
  return (
    <Modal
      title={kind === "WON" ? `Mark as won — ${stageName}` : `Mark as lost — ${stageName}`}
      onClose={onCancel}
    >
      <form onSubmit={submit} className="form" noValidate>
        <p className="muted">
          Move {subject} to <strong>{stageName}</strong>.
        </p>
        {kind === "WON" ? (
          <>
            {count === 1 && (
              <label className="field">
                <span>Won value</span>
                <input
                  className="input"
                  inputMode="decimal"
                  value={wonValue}
                  disabled={valueLocked}
                  onChange={(e) => setWonValue(e.target.value)}
                  aria-describedby={valueLocked ? "won-locked" : undefined}
                />
                {valueLocked && (
                  <small id="won-locked" className="muted">
                    The value is the sum of the lead’s products.
                  </small>
                )}
              </label>
            )}
            <label className="field">
              <span>Close date</span>
              <input className="input" type="date" value={closeDate} onChange={(e) => setCloseDate(e.target.value)} required />
            </label>
          </>
        ) : (
          <label className="field">
            <span>Lost reason</span>
            <input
              className="input"
              list="lost-reasons"
              value={reason}
              placeholder="Why was it lost?"
              aria-invalid={!!error}
              aria-describedby="stage-dialog-error"
              onChange={(e) => {
                setReason(e.target.value);
                setError(null);
              }}
            />
            <datalist id="lost-reasons">
              {LOST_REASONS.map((r) => (
                <option key={r} value={r} />
              ))}
            </datalist>
          </label>
        )}
        {error && (
          <p className="field-error" id="stage-dialog-error" role="alert">
            {error}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className={`btn ${kind === "WON" ? "btn-success" : "btn-danger"}`}>
            {kind === "WON" ? "Mark as won" : "Mark as lost"}
          </button>
        </div>
      </form>
    </Modal>
  );
}
