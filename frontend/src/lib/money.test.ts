import { describe, expect, it } from "vitest";
import { formatCompact, formatMoney, formatScaled, normalizeMoneyInput, parseDecimal, sum, toDecimalString, weighted } from "./money";

describe("money", () => {
  it("parses API decimals exactly", () => {
    expect(parseDecimal("1250.5")).toBe(12505000n);
    expect(parseDecimal("0.1")).toBe(1000n);
    expect(parseDecimal(null)).toBe(0n);
    expect(parseDecimal("abc")).toBe(0n);
    expect(parseDecimal("-3.25")).toBe(-32500n);
  });
  it("formats with separators and two decimals", () => {
    expect(formatScaled(parseDecimal("1250"))).toBe("1,250.00");
    expect(formatScaled(parseDecimal("1234567.891"))).toBe("1,234,567.89");
    expect(formatMoney("1250.00")).toBe("$1,250.00");
    expect(formatMoney("99", "EUR")).toBe("99.00 EUR");
    expect(formatMoney(null)).toBe("—");
  });
  it("sums without floating-point noise", () => {
    expect(toDecimalString(sum(["0.1", "0.2", null, "0.3"]))).toBe("0.60");
    const many = Array.from({ length: 1000 }, () => "0.01");
    expect(toDecimalString(sum(many))).toBe("10.00");
  });
  it("weights by the stage probability", () => {
    expect(toDecimalString(weighted("1000.00", 40))).toBe("400.00");
    expect(toDecimalString(weighted("333.33", 10))).toBe("33.33");
    expect(toDecimalString(weighted(null, 60))).toBe("0.00");
    expect(toDecimalString(sum(["100", "250"]) * 60n / 100n)).toBe("210.00");
  });
  it("reads what people type", () => {
    expect(normalizeMoneyInput("1,250.5")).toBe("1250.50");
    expect(normalizeMoneyInput("$ 300")).toBe("300.00");
    expect(normalizeMoneyInput("")).toBeNull();
    expect(normalizeMoneyInput("12abc")).toBeNull();
  });
  it("abbreviates header totals", () => {
    expect(formatCompact(parseDecimal("1250000"))).toBe("$1.3M");
    expect(formatCompact(parseDecimal("12500"))).toBe("$12.5K");
    expect(formatCompact(parseDecimal("950"))).toBe("$950");
  });
});
