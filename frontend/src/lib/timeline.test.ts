import { describe, expect, it } from "vitest";
import { fieldChanges, globalId, stageChange } from "./timeline";

describe("timeline entries", () => {
  it("encodes global ids like the API", () => {
    expect(globalId("Pipeline", 1)).toBe("UGlwZWxpbmU6MQ");
  });
  it("describes field changes in words", () => {
    const users: Record<string, string> = { [globalId("User", 2)]: "Bob Chen" };
    const out = fieldChanges(
      { changes: [
        { field: "value", old: "1000.00", new: "1250.00" },
        { field: "sales_person_id", old: null, new: 2 },
        { field: "tags", old: [], new: ["VIP", "Hot"] },
        { field: "expected_close_date", old: "2026-01-05", new: "2026-02-01" },
      ] },
      { user: (id) => users[id] },
    );
    expect(out.map((c) => `${c.label}: ${c.from} → ${c.to}`)).toEqual([
      "value: $1,000.00 → $1,250.00",
      "sales person: empty → Bob Chen",
      "tags: none → VIP, Hot",
      "expected close date: Jan 5, 2026 → Feb 1, 2026",
    ]);
  });
  it("reads stage changes", () => {
    expect(stageChange({ from_stage: "New", to_stage: "Lost", lost_reason: "No budget" })).toMatchObject({ from: "New", to: "Lost", lostReason: "No budget" });
  });
});
