import { useState } from "react";
import { useClient } from "urql";
import { CreateLeadMutation } from "../documents";
import { normalizeMoneyInput } from "../lib/money";
import { PersonCombo, useCreatePerson, type PickedPerson } from "../components/PersonPicker";
import type { BoardCard } from "./Card";

export function QuickAdd({
  pipelineId,
  stageId,
  stageName,
  onCreated,
  onClose,
}: {
  pipelineId: string;
  stageId: string;
  stageName: string;
  onCreated: (card: BoardCard) => void;
  onClose: () => void;
}) {
  const client = useClient();
  const createPerson = useCreatePerson();
  const [title, setTitle] = useState("");
  const [contact, setContact] = useState<{ name: string; person: PickedPerson | null }>({ name: "", person: null });
  const [value, setValue] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!title.trim()) problems.title = "A title is required.";
    const v = value.trim() ? normalizeMoneyInput(value) : null;
    if (value.trim() && v === null) problems.value = "The value must be a number.";
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      let contactPersonId: string | null = contact.person?.id ?? null;
      if (!contactPersonId && contact.name.trim()) {
        const made = await createPerson({ name: contact.name.trim() });
        if (!made.person) {
          setErrors({ contact: made.errors.map((x) => x.message).join(" ") || "Could not create the contact." });
          return;
        }
        contactPersonId = made.person.id;
      }
      const res = await client
        .mutation(CreateLeadMutation, { input: { title: title.trim(), value: v, stageId, pipelineId, contactPersonId } })
        .toPromise();
      if (res.error) {
        setErrors({ form: res.error.message });
        return;
      }
      const payload = res.data!.createLead;
      if (payload.errors.length || !payload.lead) {
        const next: Record<string, string> = {};
        for (const err of payload.errors) next[err.field === "title" || err.field === "value" ? err.field : "form"] = err.message;
        setErrors(next);
        return;
      }
      onCreated(payload.lead);
      setTitle("");
      setValue("");
      setContact({ name: "", person: null });
      onClose();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="quick-add" onSubmit={submit} aria-label={`Quick-add a lead to ${stageName}`} onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <input className="input" autoFocus placeholder="Lead title" aria-label="Lead title" value={title} onChange={(e) => setTitle(e.target.value)} aria-invalid={!!errors.title} />
      {errors.title && <p className="field-error">{errors.title}</p>}
      <PersonCombo id={`qa-contact-${stageId}`} value={contact} onChange={setContact} />
      {errors.contact && <p className="field-error">{errors.contact}</p>}
      <input className="input" inputMode="decimal" placeholder="Value" aria-label="Value" value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={!!errors.value} />
      {errors.value && <p className="field-error">{errors.value}</p>}
      {errors.form && <p className="field-error" role="alert">{errors.form}</p>}
      <div className="form-actions">
        <button type="button" className="btn btn-sm" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary btn-sm" disabled={busy}>
          Add lead
        </button>
      </div>
    </form>
  );
}
