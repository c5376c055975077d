// Turns a timeline entry's `data` into words. The API keeps model field names (snake_case) and raw ids of
// linked records, so ids are mapped to names through the reference data when we have them.
import { formatDate } from "./dates";
import { formatMoney } from "./money";

export interface Lookup {
  user?: (id: string) => string | undefined;
  source?: (id: string) => string | undefined;
  leadType?: (id: string) => string | undefined;
}

const LABELS: Record<string, string> = {
  title: "title",
  description: "description",
  value: "value",
  currency: "currency",
  source_id: "source",
  lead_type_id: "type",
  sales_person_id: "sales person",
  contact_person_id: "contact person",
  organization_id: "organization",
  expected_close_date: "expected close date",
  score: "score",
  tags: "tags",
};

/** The API's global id for a database id (base64 of "Type:id", unpadded). */
export function globalId(type: string, raw: unknown): string {
  return btoa(`${type}:${raw}`).replace(/=+$/, "");
}

export function describeValue(field: string, value: unknown, lookup: Lookup = {}): string {
  if (value === null || value === undefined || value === "") return "empty";
  if (Array.isArray(value)) return value.length ? value.join(", ") : "none";
  const s = String(value);
  switch (field) {
    case "value":
      return formatMoney(s);
    case "expected_close_date":
      return formatDate(s);
    case "sales_person_id":
      return lookup.user?.(globalId("User", s)) ?? `user #${s}`;
    case "source_id":
      return lookup.source?.(globalId("Source", s)) ?? `source #${s}`;
    case "lead_type_id":
      return lookup.leadType?.(globalId("LeadType", s)) ?? `type #${s}`;
    default:
      return s;
  }
}

export interface FieldChange {
  field: string;
  label: string;
  from: string;
  to: string;
}

export function fieldChanges(data: unknown, lookup: Lookup = {}): FieldChange[] {
  const changes = (data as { changes?: { field: string; old: unknown; new: unknown }[] } | null)?.changes ?? [];
  return changes.map((c) => ({
    field: c.field,
    label: LABELS[c.field] ?? c.field.replace(/_id$/, "").replace(/_/g, " "),
    from: describeValue(c.field, c.old, lookup),
    to: describeValue(c.field, c.new, lookup),
  }));
}

export function stageChange(data: unknown): { from: string | null; to: string; reason?: string | null; lostReason?: string | null; wonValue?: string | null } {
  const d = (data ?? {}) as Record<string, string | null>;
  return { from: d.from_stage ?? null, to: d.to_stage ?? "?", reason: d.reason, lostReason: d.lost_reason, wonValue: d.won_value };
}
