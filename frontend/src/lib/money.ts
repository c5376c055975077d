// Money arrives from the API as decimal strings. Arithmetic happens on scaled integers (1/10000 units) so that
// sums of many values never pick up binary floating-point noise.
const SCALE = 10000n;

export type Scaled = bigint;

/** "1250.5" -> 12505000n; null/empty/invalid -> 0n. */
export function parseDecimal(value: string | null | undefined): Scaled {
  if (value == null) return 0n;
  const s = String(value).trim();
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return 0n;
  const sign = m[1] === "-" ? -1n : 1n;
  const whole = BigInt(m[2] || "0");
  const fracDigits = (m[3] ?? "").padEnd(5, "0");
  // round half away from zero on the 5th fraction digit
  let frac = BigInt(fracDigits.slice(0, 4));
  if (Number(fracDigits[4]) >= 5) frac += 1n;
  return sign * (whole * SCALE + frac);
}

/** The decimal string the API accepts, with 2 fraction digits (rounded half away from zero). */
export function toDecimalString(value: Scaled): string {
  const cents = roundToCents(value);
  const neg = cents < 0n;
  const abs = neg ? -cents : cents;
  return `${neg ? "-" : ""}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

function roundToCents(value: Scaled): bigint {
  const neg = value < 0n;
  const abs = neg ? -value : value;
  const cents = (abs + 50n) / 100n;
  return neg ? -cents : cents;
}

/** 12500000n -> "1,250.00" (thousands separators, always 2 decimals). */
export function formatScaled(value: Scaled): string {
  const cents = roundToCents(value);
  const neg = cents < 0n;
  const abs = neg ? -cents : cents;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${neg ? "-" : ""}${whole}.${String(abs % 100n).padStart(2, "0")}`;
}

export function formatMoney(value: string | null | undefined, currency?: string | null): string {
  if (value == null || value === "") return "—";
  const text = formatScaled(parseDecimal(value));
  return currency && currency !== "USD" ? `${text} ${currency}` : `$${text}`;
}

/** Short form for column headers: $1.2M, $12.5K, $950. */
export function formatCompact(value: Scaled): string {
  const units = Number(roundToCents(value)) / 100;
  const abs = Math.abs(units);
  if (abs >= 1_000_000) return `$${(units / 1_000_000).toFixed(abs >= 10_000_000 ? 0 : 1)}M`;
  if (abs >= 10_000) return `$${(units / 1000).toFixed(abs >= 100_000 ? 0 : 1)}K`;
  return `$${formatScaled(value).replace(/\.00$/, "")}`;
}

/** value × probability / 100, as the server computes a lead's weighted value. */
export function weighted(value: string | null | undefined, probability: number): Scaled {
  return (parseDecimal(value) * BigInt(Math.round(probability))) / 100n;
}

export function sum(values: Array<string | null | undefined>): Scaled {
  return values.reduce<Scaled>((acc, v) => acc + parseDecimal(v), 0n);
}

/** A user's money input ("1,250.50", "$ 300") as an API decimal string, or null when it is not a number. */
export function normalizeMoneyInput(input: string): string | null {
  const s = input.replace(/[\s,$€£]/g, "");
  if (s === "") return null;
  if (!/^-?\d+(\.\d+)?$/.test(s)) return null;
  return toDecimalString(parseDecimal(s));
}
