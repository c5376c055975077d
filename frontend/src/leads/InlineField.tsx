import { useEffect, useRef, useState, type ReactNode } from "react";

export type SaveResult = { ok: true } | { ok: false; message: string };

/**
 * A value shown as text that turns into an editor on click (or Enter). Enter or leaving the field saves, Escape
 * cancels; when the server refuses the value its message stays next to the field and the editor stays open.
 */
export function InlineField<T>({
  label,
  value,
  display,
  editor,
  onSave,
  disabled,
  hint,
  testId,
  multiline,
}: {
  label: string;
  value: T;
  display: ReactNode;
  editor: (props: { draft: T; setDraft: (v: T) => void; commit: (v?: T) => void; cancel: () => void; id: string }) => ReactNode;
  onSave: (v: T) => Promise<SaveResult>;
  disabled?: boolean;
  hint?: ReactNode;
  testId?: string;
  multiline?: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<T>(value);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const id = `f-${label.replace(/\W+/g, "-").toLowerCase()}`;
  const savingRef = useRef(false);
  useEffect(() => {
    if (!editing) setDraft(value);
  }, [value, editing]);

  const commit = async (v?: T) => {
    if (savingRef.current) return;
    const next = v === undefined ? draft : v;
    if (JSON.stringify(next) === JSON.stringify(value)) {
      setEditing(false);
      setError(null);
      return;
    }
    savingRef.current = true;
    setSaving(true);
    const res = await onSave(next);
    savingRef.current = false;
    setSaving(false);
    if (res.ok) {
      setEditing(false);
      setError(null);
    } else setError(res.message);
  };
  const cancel = () => {
    setDraft(value);
    setEditing(false);
    setError(null);
  };
  return (
    <div className={`ifield ${multiline ? "multiline" : ""}`} data-testid={testId} ref={box}>
      <label className="ifield-label" htmlFor={editing ? id : undefined} id={`${id}-label`}>
        {label}
      </label>
      <div className="ifield-value">
        {editing ? (
          <div
            className={`ifield-editor ${saving ? "saving" : ""}`}
            onKeyDown={(e) => {
              if (e.key === "Escape") {
                e.stopPropagation();
                cancel();
              }
            }}
          >
            {editor({ draft, setDraft, commit: (v) => void commit(v), cancel, id })}
          </div>
        ) : (
          <button
            type="button"
            className="ifield-display"
            disabled={disabled}
            aria-label={`${label}: ${typeof display === "string" ? display : ""} — edit`}
            aria-describedby={error ? `${id}-error` : undefined}
            onClick={() => {
              setDraft(value);
              setEditing(true);
            }}
          >
            <span className="ifield-text">{display}</span>
            {!disabled && (
              <svg className="pencil" viewBox="0 0 16 16" aria-hidden>
                <path d="M11.7 1.3a1 1 0 0 1 1.4 0l1.6 1.6a1 1 0 0 1 0 1.4L5.4 13.6 2 14l.4-3.4 9.3-9.3Z" fill="currentColor" />
              </svg>
            )}
          </button>
        )}
        {error && (
          <p className="field-error" id={`${id}-error`} role="alert">
            {error}
          </p>
        )}
        {hint && !editing && <p className="muted small ifield-hint">{hint}</p>}
      </div>
    </div>
  );
}

/** A text input wired to InlineField's draft (Enter saves, blur saves). */
export function TextEditor({
  draft,
  setDraft,
  commit,
  id,
  type = "text",
  inputMode,
}: {
  draft: string;
  setDraft: (v: string) => void;
  commit: (v?: string) => void;
  id: string;
  type?: string;
  inputMode?: "decimal" | "numeric" | "text";
}) {
  return (
    <input
      id={id}
      className="input"
      autoFocus
      type={type}
      inputMode={inputMode}
      value={draft}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => commit()}
      onKeyDown={(e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          commit();
        }
      }}
    />
  );
}

export function SelectEditor({
  draft,
  commit,
  id,
  options,
  emptyLabel,
}: {
  draft: string;
  commit: (v?: string) => void;
  id: string;
  options: { id: string; label: string }[];
  emptyLabel: string;
}) {
  return (
    <select id={id} className="select full" autoFocus value={draft} onChange={(e) => commit(e.target.value)} onBlur={() => commit()}>
      <option value="">{emptyLabel}</option>
      {options.map((o) => (
        <option key={o.id} value={o.id}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
