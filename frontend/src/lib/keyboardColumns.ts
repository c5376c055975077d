// Keyboard moves on the board: ←/→ take the picked-up card to the neighbouring column.
export interface ColumnRect {
  id: string | number;
  left: number;
  width: number;
  top: number;
}

/** The column the card lands in after one arrow press, from the columns' rects and the card's centre x. */
export function neighbourColumn(columns: ColumnRect[], centerX: number, direction: "left" | "right"): ColumnRect | null {
  if (!columns.length) return null;
  const sorted = [...columns].sort((a, b) => a.left - b.left);
  let index = sorted.findIndex((r) => centerX >= r.left && centerX <= r.left + r.width);
  if (index < 0) {
    // between columns (in a gap): the nearest one counts as current
    index = sorted.reduce((best, r, i) => (Math.abs(r.left + r.width / 2 - centerX) < Math.abs(sorted[best].left + sorted[best].width / 2 - centerX) ? i : best), 0);
  }
  const next = direction === "right" ? Math.min(index + 1, sorted.length - 1) : Math.max(index - 1, 0);
  return sorted[next];
}
