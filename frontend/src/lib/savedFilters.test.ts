import { describe, expect, it } from "vitest";
import { orderSavedFilters } from "./savedFilters";

describe("orderSavedFilters", () => {
  it("puts built-ins first in their order, then the rest by name", () => {
    const list = [
      { name: "Zeta", isBuiltin: false },
      { name: "Overdue", isBuiltin: true },
      { name: "alpha", isBuiltin: false },
      { name: "Cold and old", isBuiltin: true },
    ];
    expect(orderSavedFilters(list).map((f) => f.name)).toEqual(["Overdue", "Cold and old", "alpha", "Zeta"]);
  });
});
