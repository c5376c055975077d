import { describe, expect, it } from "vitest";
import { exportUrl } from "./export";

describe("exportUrl", () => {
  it("carries the filter, the sort and the saved filter as the server expects them", () => {
    const url = new URL(exportUrl({ search: "a&b", value: { gte: "10" } }, [{ field: "VALUE" as never, direction: "DESC" as never }], "U2F2ZWRGaWx0ZXI6MQ"), "http://x");
    expect(url.pathname).toBe("/export/leads.csv");
    expect(JSON.parse(url.searchParams.get("filter")!)).toEqual({ search: "a&b", value: { gte: "10" } });
    expect(JSON.parse(url.searchParams.get("orderBy")!)).toEqual([{ field: "VALUE", direction: "DESC" }]);
    expect(url.searchParams.get("savedFilter")).toBe("U2F2ZWRGaWx0ZXI6MQ");
  });
  it("is the bare endpoint without criteria", () => {
    expect(exportUrl(null, null, null)).toBe("/export/leads.csv");
  });
});
