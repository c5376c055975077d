import { useState } from "react";
import { PersonCombo, useCreatePerson, type PickedPerson } from "../components/PersonPicker";
import { Avatar } from "../components/ui";
import type { UpdateLeadInput } from "../gql/graphql";
import type { SaveResult } from "./InlineField";
import type { LeadDetail } from "./LeadDetailPage";

const ROLE: Record<string, string> = { DECISION_MAKER: "Decision maker", INFLUENCER: "Influencer", USER: "User", GATEKEEPER: "Gatekeeper" };

export function ContactCard({ lead, save }: { lead: LeadDetail; save: (f: Omit<UpdateLeadInput, "id" | "version">) => Promise<SaveResult> }) {
  const p = lead.contactPerson;
  const [mode, setMode] = useState<"view" | "pick" | "create">("view");
  const [pick, setPick] = useState<{ name: string; person: PickedPerson | null }>({ name: "", person: null });
  const [form, setForm] = useState({ name: "", jobTitle: "", email: "", phone: "" });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const createPerson = useCreatePerson();

  const choose = async (personId: string | null) => {
    setBusy(true);
    const res = await save({ contactPersonId: personId });
    setBusy(false);
    if (res.ok) {
      setMode("view");
      setError(null);
      setPick({ name: "", person: null });
    } else setError(res.message);
  };
  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!form.name.trim()) {
      setError("A name is required.");
      return;
    }
    setBusy(true);
    const made = await createPerson({
      name: form.name.trim(),
      jobTitle: form.jobTitle.trim(),
      email: form.email.trim(),
      phone: form.phone.trim(),
      organizationId: lead.organization?.id ?? null,
    });
    setBusy(false);
    if (!made.person) {
      setError(made.errors.map((x) => x.message).join(" ") || "Could not create the contact.");
      return;
    }
    await choose(made.person.id);
  };

  return (
    <section className="panel contact" aria-labelledby="contact-h" data-testid="contact-card">
      <div className="panel-head">
        <h3 id="contact-h">Contact person</h3>
        {mode === "view" && (
          <button type="button" className="link-btn small" onClick={() => setMode("pick")}>
            {p ? "Change" : "Add contact"}
          </button>
        )}
      </div>
      <div className="panel-body">
        {mode === "view" &&
          (p ? (
            <div className="person">
              <div className="person-head">
                <Avatar name={p.name} initials={initials(p.name)} size={40} />
                <div>
                  <div className="person-name">{p.name}</div>
                  <div className="muted small">
                    {[p.jobTitle, p.department].filter(Boolean).join(", ")}
                    {p.organization ? `${p.jobTitle ? " at " : ""}${p.organization.name}` : ""}
                  </div>
                  {p.decisionRole && <span className="role-badge">{ROLE[p.decisionRole] ?? p.decisionRole}</span>}
                </div>
              </div>
              <dl className="channels">
                {p.emails.map((e) => (
                  <div key={`e-${e.value}`} className="channel">
                    <dt>{e.label}</dt>
                    <dd><a href={`mailto:${e.value}`}>{e.value}</a></dd>
                  </div>
                ))}
                {p.phones.map((ph) => (
                  <div key={`p-${ph.value}`} className="channel">
                    <dt>{ph.label}</dt>
                    <dd><a href={`tel:${ph.value.replace(/\s+/g, "")}`}>{ph.value}</a></dd>
                  </div>
                ))}
              </dl>
              {p.organization && (
                <div className="org muted small">
                  {[p.organization.industry, p.organization.city, p.organization.country].filter(Boolean).join(" · ")}
                  {p.organization.website && (
                    <>
                      {" · "}
                      <span>{p.organization.website}</span>
                    </>
                  )}
                </div>
              )}
            </div>
          ) : (
            <p className="muted">No contact person yet.</p>
          ))}
        {mode === "pick" && (
          <div className="form">
            <label className="field">
              <span>Find a person</span>
              <PersonCombo id="contact-pick" value={pick} onChange={(v) => { setPick(v); if (v.person) void choose(v.person.id); }} placeholder="Type a name, email or phone" />
            </label>
            <div className="form-actions">
              {p && (
                <button type="button" className="btn btn-sm" disabled={busy} onClick={() => void choose(null)}>
                  Remove contact
                </button>
              )}
              <button type="button" className="btn btn-sm" onClick={() => { setMode("create"); setForm({ ...form, name: pick.name }); }}>
                Create new person
              </button>
              <button type="button" className="btn btn-sm" onClick={() => { setMode("view"); setError(null); }}>
                Cancel
              </button>
            </div>
          </div>
        )}
        {mode === "create" && (
          <form className="form" onSubmit={create} aria-label="New contact person">
            <label className="field"><span>Name</span><input className="input" autoFocus value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></label>
            <label className="field"><span>Job title</span><input className="input" value={form.jobTitle} onChange={(e) => setForm({ ...form, jobTitle: e.target.value })} /></label>
            <label className="field"><span>Email</span><input className="input" type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} /></label>
            <label className="field"><span>Phone</span><input className="input" type="tel" placeholder="+44 20 7946 0958" value={form.phone} onChange={(e) => setForm({ ...form, phone: e.target.value })} /></label>
            <div className="form-actions">
              <button type="button" className="btn btn-sm" onClick={() => { setMode("view"); setError(null); }}>Cancel</button>
              <button type="submit" className="btn btn-primary btn-sm" disabled={busy}>Create and link</button>
            </div>
          </form>
        )}
        {error && <p className="field-error" role="alert">{error}</p>}
      </div>
    </section>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? "") + (parts.length > 1 ? parts[parts.length - 1][0] : "")).toUpperCase();
}
