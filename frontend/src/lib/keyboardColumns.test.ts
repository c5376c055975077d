import { describe, expect, it } from "vitest";
import { neighbourColumn } from "./keyboardColumns";

const cols = [
  { id: "qualified", left: 600, width: 280, top: 180 },
  { id: "new", left: 20, width: 280, top: 180 },
  { id: "contacted", left: 310, width: 280, top: 180 },
];

describe("keyboard column moves", () => {
  it("goes to the next column right or left, in screen order", () => {
    expect(neighbourColumn(cols, 160, "right")?.id).toBe("contacted");
    expect(neighbourColumn(cols, 450, "right")?.id).toBe("qualified");
    expect(neighbourColumn(cols, 450, "left")?.id).toBe("new");
  });
  it("stays at the ends", () => {
    expect(neighbourColumn(cols, 700, "right")?.id).toBe("qualified");
    expect(neighbourColumn(cols, 100, "left")?.id).toBe("new");
  });
  it("treats a position in a gap as the nearest column", () => {
    expect(neighbourColumn(cols, 306, "right")?.id).toBe("qualified");
    expect(neighbourColumn(cols, 304, "right")?.id).toBe("contacted");
    expect(neighbourColumn([], 10, "right")).toBeNull();
  });
});
