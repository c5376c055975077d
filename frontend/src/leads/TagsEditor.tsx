import { useState } from "react";
import { useClient } from "urql";
import { CreateTagMutation } from "../documents";
import { TagChip } from "../components/ui";
import { useReference } from "../reference";
import type { SaveResult } from "./InlineField";
import type { LeadDetail } from "./LeadDetailPage";
import type { UpdateLeadInput } from "../gql/graphql";

const PALETTE = ["#2563eb", "#16a34a", "#d946ef", "#ea580c", "#0891b2", "#dc2626", "#7c3aed", "#ca8a04"];

export function TagsEditor({ lead, save }: { lead: LeadDetail; save: (f: Omit<UpdateLeadInput, "id" | "version">) => Promise<SaveResult> }) {
  const ref = useReference();
  const client = useClient();
  const [adding, setAdding] = useState(false);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const ids = lead.tags.map((t) => t.id);
  const candidates = ref.tags.filter((t) => !ids.includes(t.id) && t.name.toLowerCase().includes(text.trim().toLowerCase()));
  const exact = ref.tags.find((t) => t.name.toLowerCase() === text.trim().toLowerCase());

  const setTags = async (next: string[]) => {
    const res = await save({ tagIds: next });
    setError(res.ok ? null : res.message);
    return res.ok;
  };
  const add = async (tagId: string) => {
    if (await setTags([...ids, tagId])) {
      setText("");
      setAdding(false);
    }
  };
  const createAndAdd = async () => {
    const name = text.trim();
    if (!name) return;
    if (exact) return add(exact.id);
    const res = await client
      .mutation(CreateTagMutation, { input: { name, color: PALETTE[ref.tags.length % PALETTE.length] } })
      .toPromise();
    const payload = res.data?.createTag;
    if (res.error || !payload?.tag) {
      setError(payload?.errors.map((e) => e.message).join(" ") ?? res.error?.message ?? "Could not create the tag.");
      return;
    }
    ref.refresh();
    await add(payload.tag.id);
  };

  return (
    <div className="ifield" data-testid="field-tags">
      <span className="ifield-label" id="tags-label">Tags</span>
      <div className="ifield-value">
        <div className="tag-edit" aria-labelledby="tags-label">
          {lead.tags.map((t) => (
            <TagChip key={t.id} name={t.name} color={t.color} onRemove={() => void setTags(ids.filter((x) => x !== t.id))} />
          ))}
          {!adding && (
            <button type="button" className="link-btn small" onClick={() => setAdding(true)}>
              + Add tag
            </button>
          )}
        </div>
        {adding && (
          <div className="combo tag-combo" onKeyDown={(e) => e.key === "Escape" && (e.stopPropagation(), setAdding(false))}>
            <input
              className="input"
              autoFocus
              placeholder="Find or create a tag"
              aria-label="Find or create a tag"
              value={text}
              onChange={(e) => setText(e.target.value)}
              onBlur={() => window.setTimeout(() => setAdding(false), 200)}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  if (candidates.length === 1 && !exact) void add(candidates[0].id);
                  else void createAndAdd();
                }
              }}
            />
            <ul className="combo-list" role="listbox">
              {candidates.slice(0, 8).map((t) => (
                <li key={t.id} role="option" aria-selected={false} onMouseDown={(e) => (e.preventDefault(), void add(t.id))}>
                  <span><TagChip name={t.name} color={t.color} /></span>
                </li>
              ))}
              {text.trim() && !exact && (
                <li role="option" aria-selected={false} onMouseDown={(e) => (e.preventDefault(), void createAndAdd())}>
                  <span>Create tag “{text.trim()}”</span>
                </li>
              )}
            </ul>
          </div>
        )}
        {error && <p className="field-error" role="alert">{error}</p>}
      </div>
    </div>
  );
}
