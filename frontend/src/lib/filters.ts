// The filter bar's state lives in the URL (so a filtered board or list can be bookmarked and shared) and turns
// into the API's LeadFilter. Param names are short and stable: changing them breaks people's bookmarks.
export interface FilterState {
  salesPerson: string[];
  source: string[];
  leadType: string[];
  tags: string[];
  valueMin: string;
  valueMax: string;
  q: string;
}

export const EMPTY_FILTER: FilterState = {
  salesPerson: [],
  source: [],
  leadType: [],
  tags: [],
  valueMin: "",
  valueMax: "",
  q: "",
};

const LIST_PARAMS = { salesPerson: "owner", source: "source", leadType: "type", tags: "tags" } as const;
const TEXT_PARAMS = { valueMin: "min", valueMax: "max", q: "q" } as const;
export const FILTER_PARAM_NAMES: string[] = [...Object.values(LIST_PARAMS), ...Object.values(TEXT_PARAMS)];

function splitIds(raw: string | null): string[] {
  if (!raw) return [];
  return [...new Set(raw.split(",").map((s) => s.trim()).filter(Boolean))];
}

export function parseFilter(params: URLSearchParams): FilterState {
  const state: FilterState = { ...EMPTY_FILTER };
  for (const [key, param] of Object.entries(LIST_PARAMS) as [keyof typeof LIST_PARAMS, string][]) {
    state[key] = splitIds(params.get(param));
  }
  for (const [key, param] of Object.entries(TEXT_PARAMS) as [keyof typeof TEXT_PARAMS, string][]) {
    state[key] = (params.get(param) ?? "").trim();
  }
  if (!isNumber(state.valueMin)) state.valueMin = "";
  if (!isNumber(state.valueMax)) state.valueMax = "";
  return state;
}

function isNumber(s: string): boolean {
  return s === "" || /^\d+(\.\d+)?$/.test(s);
}

/** Writes the filter into `params` (keeping unrelated params such as sort), removing empty criteria. */
export function writeFilter(state: FilterState, params: URLSearchParams = new URLSearchParams()): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [key, param] of Object.entries(LIST_PARAMS) as [keyof typeof LIST_PARAMS, string][]) {
    const ids = state[key];
    if (ids.length) next.set(param, ids.join(","));
    else next.delete(param);
  }
  for (const [key, param] of Object.entries(TEXT_PARAMS) as [keyof typeof TEXT_PARAMS, string][]) {
    const v = state[key].trim();
    if (v) next.set(param, v);
    else next.delete(param);
  }
  return next;
}

export function isEmptyFilter(state: FilterState): boolean {
  return countCriteria(state) === 0;
}

export function countCriteria(state: FilterState): number {
  return (
    (state.salesPerson.length ? 1 : 0) +
    (state.source.length ? 1 : 0) +
    (state.leadType.length ? 1 : 0) +
    (state.tags.length ? 1 : 0) +
    (state.valueMin || state.valueMax ? 1 : 0) +
    (state.q ? 1 : 0)
  );
}

export interface ApiLeadFilter {
  salesPerson?: { in: string[] };
  source?: { in: string[] };
  leadType?: { in: string[] };
  tags?: { anyOf: string[] };
  value?: { gte?: string; lte?: string };
  search?: string;
}

/** The API's LeadFilter for the bar's state; null when nothing is filtered. */
export function toLeadFilter(state: FilterState): ApiLeadFilter | null {
  const f: ApiLeadFilter = {};
  if (state.salesPerson.length) f.salesPerson = { in: state.salesPerson };
  if (state.source.length) f.source = { in: state.source };
  if (state.leadType.length) f.leadType = { in: state.leadType };
  if (state.tags.length) f.tags = { anyOf: state.tags };
  if (state.valueMin || state.valueMax) {
    f.value = {};
    if (state.valueMin) f.value.gte = state.valueMin;
    if (state.valueMax) f.value.lte = state.valueMax;
  }
  if (state.q) f.search = state.q;
  return Object.keys(f).length ? f : null;
}

// ---- list sorting, also in the URL: ?sort=value:desc
export const SORT_FIELDS = [
  "TITLE",
  "VALUE",
  "STAGE",
  "SALES_PERSON",
  "CONTACT_PERSON",
  "SOURCE",
  "LEAD_TYPE",
  "TAGS",
  "EXPECTED_CLOSE_DATE",
  "CREATED_AT",
] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export interface SortState {
  field: SortField;
  direction: "ASC" | "DESC";
}
export const DEFAULT_SORT: SortState = { field: "CREATED_AT", direction: "DESC" };

export function parseSort(params: URLSearchParams): SortState {
  const raw = params.get("sort");
  if (!raw) return DEFAULT_SORT;
  const [f, d] = raw.split(":");
  const field = (f ?? "").toUpperCase() as SortField;
  if (!SORT_FIELDS.includes(field)) return DEFAULT_SORT;
  return { field, direction: (d ?? "").toLowerCase() === "desc" ? "DESC" : "ASC" };
}

export function writeSort(sort: SortState, params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params);
  if (sort.field === DEFAULT_SORT.field && sort.direction === DEFAULT_SORT.direction) next.delete("sort");
  else next.set("sort", `${sort.field.toLowerCase()}:${sort.direction.toLowerCase()}`);
  return next;
}

/** Clicking a header: a new column sorts ascending (dates and values newest/highest first), the same one flips. */
export function toggleSort(current: SortState, field: SortField): SortState {
  if (current.field === field) return { field, direction: current.direction === "ASC" ? "DESC" : "ASC" };
  const descFirst = field === "VALUE" || field === "CREATED_AT";
  return { field, direction: descFirst ? "DESC" : "ASC" };
}
