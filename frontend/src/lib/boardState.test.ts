import { describe, expect, it } from "vitest";
import { boardReducer, emptyBoard, findCard, type BoardState } from "./boardState";
import { toDecimalString } from "./money";

type Card = { id: string; value: string | null; title: string };
const page = (cards: Card[], totalCount: number, totalValue: string, weightedValue: string, hasNextPage = false) => ({
  cards,
  totalCount,
  totalValue,
  weightedValue,
  endCursor: cards.length ? `c-${cards[cards.length - 1].id}` : null,
  hasNextPage,
});

function board(): BoardState<Card> {
  let s = boardReducer(emptyBoard<Card>(), {
    type: "reset",
    stages: [
      { id: "new", probability: 10 },
      { id: "qualified", probability: 40 },
    ],
  });
  s = boardReducer(s, {
    type: "page",
    stageId: "new",
    replace: true,
    page: page([{ id: "a", value: "1000.00", title: "A" }, { id: "b", value: "500.00", title: "B" }], 30, "20000.00", "2000.00", true),
  });
  s = boardReducer(s, { type: "page", stageId: "qualified", replace: true, page: page([], 0, "0", "0") });
  return s;
}

describe("board state", () => {
  it("moves a card at once and adjusts both columns' whole-column totals", () => {
    const s = boardReducer(board(), { type: "move", leadId: "b", toStageId: "qualified" });
    expect(s.columns.new.cards.map((c) => c.id)).toEqual(["a"]);
    expect(s.columns.new.totalCount).toBe(29);
    expect(toDecimalString(s.columns.new.totalValue)).toBe("19500.00");
    expect(toDecimalString(s.columns.new.weightedValue)).toBe("1950.00");
    expect(s.columns.qualified.cards.map((c) => c.id)).toEqual(["b"]);
    expect(s.columns.qualified.totalCount).toBe(1);
    expect(toDecimalString(s.columns.qualified.weightedValue)).toBe("200.00");
    expect(s.pending.b.fromStageId).toBe("new");
  });
  it("rolls a refused move back to where the card was", () => {
    const before = board();
    const moved = boardReducer(before, { type: "move", leadId: "b", toStageId: "qualified", patch: { value: "800.00" } });
    expect(toDecimalString(moved.columns.qualified.totalValue)).toBe("800.00");
    const back = boardReducer(moved, { type: "rollback", leadId: "b" });
    expect(back.columns.new.cards.map((c) => c.id)).toEqual(["a", "b"]);
    expect(back.columns.new.totalCount).toBe(30);
    expect(toDecimalString(back.columns.new.totalValue)).toBe("20000.00");
    expect(back.columns.qualified.cards).toEqual([]);
    expect(back.columns.qualified.totalCount).toBe(0);
    expect(toDecimalString(back.columns.qualified.totalValue)).toBe("0.00");
    expect(back.pending).toEqual({});
  });
  it("confirms with the server's card", () => {
    let s = boardReducer(board(), { type: "move", leadId: "a", toStageId: "qualified" });
    s = boardReducer(s, { type: "confirm", leadId: "a", card: { id: "a", value: "1200.00", title: "A2" } });
    expect(s.pending).toEqual({});
    expect(s.columns.qualified.cards[0].title).toBe("A2");
    expect(toDecimalString(s.columns.qualified.totalValue)).toBe("1200.00");
    expect(toDecimalString(s.columns.qualified.weightedValue)).toBe("480.00");
  });
  it("never shows a card twice when pages arrive while cards move", () => {
    let s = boardReducer(board(), { type: "move", leadId: "a", toStageId: "qualified" });
    // the next page of "new" was requested before the move reached the server and still contains "a"
    s = boardReducer(s, {
      type: "page",
      stageId: "new",
      replace: false,
      page: page([{ id: "a", value: "1000.00", title: "A" }, { id: "b", value: "500.00", title: "B" }, { id: "c", value: null, title: "C" }], 29, "19000.00", "1900.00"),
    });
    expect(s.columns.new.cards.map((c) => c.id)).toEqual(["b", "c"]);
    expect(findCard(s, "a")).toEqual({ stageId: "qualified", index: 0 });
  });
  it("keeps a pending card visible when its target column reloads", () => {
    let s = boardReducer(board(), { type: "move", leadId: "a", toStageId: "qualified" });
    s = boardReducer(s, { type: "page", stageId: "qualified", replace: true, page: page([], 0, "0", "0") });
    expect(s.columns.qualified.cards.map((c) => c.id)).toEqual(["a"]);
  });
  it("quick-added and deleted cards update the totals", () => {
    let s = boardReducer(board(), { type: "insert", stageId: "qualified", card: { id: "n", value: "100.00", title: "N" } });
    expect(s.columns.qualified.totalCount).toBe(1);
    s = boardReducer(s, { type: "remove", leadId: "n" });
    expect(s.columns.qualified.totalCount).toBe(0);
  });
});
