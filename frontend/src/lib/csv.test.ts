import { describe, expect, it } from "vitest";
import { neutralizeCell, toCsv } from "./csv";

describe("CSV export", () => {
  it("neutralises cells a spreadsheet would run", () => {
    expect(neutralizeCell("=HYPERLINK(\"http://x\")")).toBe("'=HYPERLINK(\"http://x\")");
    expect(neutralizeCell("+1+2")).toBe("'+1+2");
    expect(neutralizeCell("-2+3")).toBe("'-2+3");
    expect(neutralizeCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(neutralizeCell("\tcmd")).toBe("'\tcmd");
  });
  it("leaves plain text and numbers alone", () => {
    expect(neutralizeCell("Acme = good")).toBe("Acme = good");
    expect(neutralizeCell("1250.00")).toBe("1250.00");
    expect(neutralizeCell("-12.5")).toBe("-12.5");
    expect(neutralizeCell(null)).toBe("");
    expect(neutralizeCell(42)).toBe("42");
  });
  it("quotes separators, quotes and line breaks (RFC 4180)", () => {
    const csv = toCsv(["Title", "Tags"], [["Deal, big", 'He said "hi"'], ["multi\nline", "=1+1"]]);
    expect(csv).toBe('Title,Tags\r\n"Deal, big","He said ""hi"""\r\n"multi\nline",\'=1+1\r\n');
  });
});
