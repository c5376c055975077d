import { describe, expect, it } from "vitest";
import { isCapped, LIST_COUNT_CAP, leadCountText, ofCountText } from "./counts";

describe("capped lead counts", () => {
  it("says exactly how many up to the cap", () => {
    expect(leadCountText(0)).toBe("0 leads");
    expect(leadCountText(1)).toBe("1 lead");
    expect(leadCountText(LIST_COUNT_CAP)).toBe("500 leads");
    expect(ofCountText(27)).toBe("27");
    expect(isCapped(LIST_COUNT_CAP)).toBe(false);
  });
  it("says cap+ once the server stopped counting (it answers cap + 1)", () => {
    expect(isCapped(LIST_COUNT_CAP + 1)).toBe(true);
    expect(leadCountText(LIST_COUNT_CAP + 1)).toBe("500+ leads");
    expect(ofCountText(LIST_COUNT_CAP + 1)).toBe("500+");
    expect(leadCountText(1001, 1000)).toBe("1,000+ leads");
  });
});
