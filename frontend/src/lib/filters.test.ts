import { describe, expect, it } from "vitest";
import { EMPTY_FILTER, parseFilter, parseSort, toLeadFilter, toggleSort, writeFilter, writeSort } from "./filters";

describe("filter state in the URL", () => {
  it("round-trips through the query string", () => {
    const state = { ...EMPTY_FILTER, salesPerson: ["VXNlcjox", "VXNlcjoy"], tags: ["VGFnOjE"], valueMin: "1000", q: "acme corp" };
    const params = writeFilter(state);
    expect(params.toString()).toBe("owner=VXNlcjox%2CVXNlcjoy&tags=VGFnOjE&min=1000&q=acme+corp");
    expect(parseFilter(params)).toEqual(state);
  });
  it("keeps unrelated params and drops cleared criteria", () => {
    const params = writeFilter({ ...EMPTY_FILTER }, new URLSearchParams("sort=value:desc&q=old&owner=x"));
    expect(params.toString()).toBe("sort=value%3Adesc");
  });
  it("ignores garbage in a shared link", () => {
    const state = parseFilter(new URLSearchParams("min=abc&max=500&owner=,a,,a"));
    expect(state.valueMin).toBe("");
    expect(state.valueMax).toBe("500");
    expect(state.salesPerson).toEqual(["a"]);
  });
  it("builds the API filter", () => {
    expect(toLeadFilter(EMPTY_FILTER)).toBeNull();
    expect(
      toLeadFilter({ ...EMPTY_FILTER, source: ["s1"], leadType: ["t1"], tags: ["a", "b"], valueMin: "10", valueMax: "20", q: "x" }),
    ).toEqual({
      source: { in: ["s1"] },
      leadType: { in: ["t1"] },
      tags: { anyOf: ["a", "b"] },
      value: { gte: "10", lte: "20" },
      search: "x",
    });
    expect(toLeadFilter({ ...EMPTY_FILTER, valueMax: "5" })).toEqual({ value: { lte: "5" } });
  });
  it("sorts by clicked column and flips on the second click", () => {
    const s1 = toggleSort({ field: "CREATED_AT", direction: "DESC" }, "TITLE");
    expect(s1).toEqual({ field: "TITLE", direction: "ASC" });
    expect(toggleSort(s1, "TITLE")).toEqual({ field: "TITLE", direction: "DESC" });
    const p = writeSort(s1, new URLSearchParams("q=a"));
    expect(p.get("sort")).toBe("title:asc");
    expect(parseSort(p)).toEqual(s1);
    expect(parseSort(new URLSearchParams("sort=bogus:asc"))).toEqual({ field: "CREATED_AT", direction: "DESC" });
  });
});
