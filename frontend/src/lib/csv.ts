// CSV export. A spreadsheet runs a cell that starts with =, +, - or @ (and tab / carriage return) as a formula;
// such text cells get a leading apostrophe so the spreadsheet shows the characters instead (OWASP "CSV injection").
const DANGEROUS = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

export function neutralizeCell(value: unknown): string {
  if (value == null) return "";
  const text = String(value);
  if (PLAIN_NUMBER.test(text)) return text; // -12.50 is a number, not a formula
  return DANGEROUS.test(text) ? `'${text}` : text;
}

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) || /^\s|\s$/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** RFC 4180 text (CRLF line ends) of a header and rows, every cell neutralised. */
export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((row) => row.map((c) => quote(neutralizeCell(c))).join(",")).join("\r\n") + "\r\n";
}
