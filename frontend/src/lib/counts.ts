// The list counts its matches only this far (totalCount(atMost:)), then says "500+". Beyond a few hundred leads a
// seller refines the filter rather than pages through them (20 pages at the default 25 rows), and a rep's own open
// pipeline stays below it, so its count stays exact; counting further would cost a scan that grows with the table.
export const LIST_COUNT_CAP = 500;

/** Whether the server stopped counting: it returns cap + 1 when more than cap leads match. */
export function isCapped(count: number, cap: number = LIST_COUNT_CAP): boolean {
  return count > cap;
}

/** "37 leads", "1 lead", "500+ leads". */
export function leadCountText(count: number, cap: number = LIST_COUNT_CAP): string {
  if (isCapped(count, cap)) return `${cap.toLocaleString("en-US")}+ leads`;
  return `${count.toLocaleString("en-US")} lead${count === 1 ? "" : "s"}`;
}

/** The pager's "1–25 of 37" or "1–25 of 500+". */
export function ofCountText(count: number, cap: number = LIST_COUNT_CAP): string {
  return isCapped(count, cap) ? `${cap.toLocaleString("en-US")}+` : count.toLocaleString("en-US");
}
