import { useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { countCriteria, EMPTY_FILTER, parseFilter, toLeadFilter, writeFilter, type FilterState } from "../lib/filters";
import { useReference } from "../reference";
import { MultiSelect } from "./ui";
import { SavedFilterMenu } from "./SavedFilters";

/** The filter state of the current URL, and a setter that writes it back (bookmarkable, shareable). */
export const SAVED_PARAM = "saved";

export function useFilter() {
  const [params, setParams] = useSearchParams();
  const key = params.toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const state = useMemo(() => parseFilter(params), [key]);
  const apiFilter = useMemo(() => toLeadFilter(state), [state]);
  // a saved filter applied on top of the bar's own criteria: ?saved=<SavedFilter id>
  const savedFilter = params.get(SAVED_PARAM) || null;
  const set = (next: FilterState, replace = false) =>
    setParams((p) => {
      const w = writeFilter(next, p);
      w.delete("after");
      return w;
    }, { replace });
  const setSaved = (id: string | null) =>
    setParams((p) => {
      const w = new URLSearchParams(p);
      if (id) w.set(SAVED_PARAM, id);
      else w.delete(SAVED_PARAM);
      w.delete("after");
      return w;
    });
  const clearAll = () =>
    setParams((p) => {
      const w = writeFilter({ ...EMPTY_FILTER }, p);
      w.delete(SAVED_PARAM);
      w.delete("after");
      return w;
    });
  return { state, apiFilter, set, savedFilter, setSaved, clearAll, filterKey: JSON.stringify([apiFilter, savedFilter]) };
}

export function FilterBar({ summary }: { summary?: React.ReactNode }) {
  const { state, set, savedFilter, clearAll } = useFilter();
  const ref = useReference();
  const [q, setQ] = useState(state.q);
  const [min, setMin] = useState(state.valueMin);
  const [max, setMax] = useState(state.valueMax);
  useEffect(() => setQ(state.q), [state.q]);
  useEffect(() => setMin(state.valueMin), [state.valueMin]);
  useEffect(() => setMax(state.valueMax), [state.valueMax]);
  // typing searches after a short pause, without filling the history with every keystroke
  useEffect(() => {
    if (q.trim() === state.q) return;
    const t = window.setTimeout(() => set({ ...state, q: q.trim() }, true), 300);
    return () => window.clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q]);
  const commitRange = () => {
    const clean = (s: string) => (/^\d+(\.\d+)?$/.test(s.replace(/[,\s$]/g, "")) ? s.replace(/[,\s$]/g, "") : "");
    const next = { ...state, valueMin: clean(min), valueMax: clean(max) };
    if (next.valueMin !== state.valueMin || next.valueMax !== state.valueMax) set(next);
  };
  const n = countCriteria(state);
  const [expanded, setExpanded] = useState(false);
  return (
    <div className={`filterbar ${expanded ? "expanded" : ""}`} role="search" aria-label="Filter leads">
      <SavedFilterMenu />
      <div className="search-box">
        <svg viewBox="0 0 20 20" aria-hidden className="search-icon">
          <path d="M8.5 3a5.5 5.5 0 1 0 3.4 9.8l3.6 3.7 1.1-1.1-3.7-3.6A5.5 5.5 0 0 0 8.5 3Zm0 1.5a4 4 0 1 1 0 8 4 4 0 0 1 0-8Z" fill="currentColor" />
        </svg>
        <input
          className="input"
          type="search"
          placeholder="Search title, contact, organization…"
          aria-label="Search leads"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => e.key === "Enter" && set({ ...state, q: q.trim() })}
        />
      </div>
      <button
        type="button"
        className={`chip-btn filters-toggle ${n ? "active" : ""}`}
        aria-expanded={expanded}
        aria-controls="filter-criteria"
        onClick={() => setExpanded((x) => !x)}
      >
        Filters{n ? ` (${n})` : ""}
      </button>
      <div className="criteria" id="filter-criteria">
      <MultiSelect
        label="Sales person"
        options={ref.users.map((u) => ({ id: u.id, label: u.name }))}
        value={state.salesPerson}
        onChange={(ids) => set({ ...state, salesPerson: ids })}
      />
      <MultiSelect
        label="Source"
        options={ref.sources.map((s) => ({ id: s.id, label: s.name }))}
        value={state.source}
        onChange={(ids) => set({ ...state, source: ids })}
      />
      <MultiSelect
        label="Type"
        options={ref.leadTypes.map((s) => ({ id: s.id, label: s.name }))}
        value={state.leadType}
        onChange={(ids) => set({ ...state, leadType: ids })}
      />
      <MultiSelect
        label="Tags"
        options={ref.tags.map((t) => ({ id: t.id, label: t.name, color: t.color }))}
        value={state.tags}
        onChange={(ids) => set({ ...state, tags: ids })}
      />
      <div className={`range ${state.valueMin || state.valueMax ? "active" : ""}`}>
        <span className="range-label">Value</span>
        <input
          className="input"
          inputMode="decimal"
          placeholder="min"
          aria-label="Minimum value"
          value={min}
          onChange={(e) => setMin(e.target.value)}
          onBlur={commitRange}
          onKeyDown={(e) => e.key === "Enter" && commitRange()}
        />
        <span aria-hidden>–</span>
        <input
          className="input"
          inputMode="decimal"
          placeholder="max"
          aria-label="Maximum value"
          value={max}
          onChange={(e) => setMax(e.target.value)}
          onBlur={commitRange}
          onKeyDown={(e) => e.key === "Enter" && commitRange()}
        />
      </div>
      </div>
      {(n > 0 || savedFilter) && (
        <button type="button" className="link-btn" onClick={clearAll}>
          Clear filters ({n + (savedFilter ? 1 : 0)})
        </button>
      )}
      {summary && <div className="filter-summary">{summary}</div>}
    </div>
  );
}
