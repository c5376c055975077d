import { describe, expect, it } from "vitest";
import { formatDate, isOverdue, todayIso } from "./dates";

describe("dates", () => {
  const now = new Date(2026, 2, 15, 23, 30); // Mar 15 2026, late evening local time
  it("knows today's local date", () => {
    expect(todayIso(now)).toBe("2026-03-15");
  });
  it("marks open leads past their close date as overdue", () => {
    expect(isOverdue("2026-03-14", "OPEN", now)).toBe(true);
    expect(isOverdue("2026-03-15", "OPEN", now)).toBe(false);
    expect(isOverdue("2026-04-01", "OPEN", now)).toBe(false);
    expect(isOverdue("2026-03-01", "WON", now)).toBe(false);
    expect(isOverdue("2026-03-01", "LOST", now)).toBe(false);
    expect(isOverdue(null, "OPEN", now)).toBe(false);
  });
  it("formats calendar dates without shifting them", () => {
    expect(formatDate("2026-01-01")).toBe("Jan 1, 2026");
    expect(formatDate(null)).toBe("—");
  });
});
