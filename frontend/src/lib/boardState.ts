// The board's client state: per column, the cards loaded so far (keyset pages), the server's totals for the
// whole column, and the optimistic moves still waiting for the server. Pure functions, unit-tested.
import { parseDecimal, weighted, type Scaled } from "./money";

export interface CardLike {
  id: string;
  value?: string | null;
}

export interface Column<C extends CardLike> {
  stageId: string;
  probability: number;
  cards: C[];
  totalCount: number;
  totalValue: Scaled;
  weightedValue: Scaled;
  endCursor: string | null;
  hasNextPage: boolean;
  loaded: boolean;
}

export interface BoardState<C extends CardLike> {
  columns: Record<string, Column<C>>;
  order: string[];
  /** Moves shown on the board but not yet confirmed by the server, by lead id. */
  pending: Record<string, PendingMove<C>>;
}

export interface PendingMove<C extends CardLike> {
  card: C;
  fromStageId: string;
  toStageId: string;
  fromIndex: number;
  /** The card as shown in the target column (e.g. with the won value). */
  moved: C;
}

export interface PageResult<C extends CardLike> {
  cards: C[];
  totalCount: number;
  totalValue: string;
  weightedValue: string;
  endCursor: string | null;
  hasNextPage: boolean;
}

export type BoardAction<C extends CardLike> =
  | { type: "reset"; stages: { id: string; probability: number }[] }
  | { type: "page"; stageId: string; page: PageResult<C>; replace: boolean }
  | { type: "totals"; stageId: string; totalCount: number; totalValue: string; weightedValue: string }
  | { type: "move"; leadId: string; toStageId: string; patch?: Partial<C> }
  | { type: "confirm"; leadId: string; card: C }
  | { type: "rollback"; leadId: string }
  | { type: "insert"; stageId: string; card: C }
  | { type: "remove"; leadId: string };

export function emptyBoard<C extends CardLike>(): BoardState<C> {
  return { columns: {}, order: [], pending: {} };
}

function emptyColumn<C extends CardLike>(stageId: string, probability: number): Column<C> {
  return {
    stageId,
    probability,
    cards: [],
    totalCount: 0,
    totalValue: 0n,
    weightedValue: 0n,
    endCursor: null,
    hasNextPage: false,
    loaded: false,
  };
}

/** The column a lead is shown in now, if any. */
export function findCard<C extends CardLike>(state: BoardState<C>, leadId: string): { stageId: string; index: number } | null {
  for (const stageId of state.order) {
    const index = state.columns[stageId].cards.findIndex((c) => c.id === leadId);
    if (index >= 0) return { stageId, index };
  }
  return null;
}

function withoutCard<C extends CardLike>(col: Column<C>, card: C): Column<C> {
  return {
    ...col,
    cards: col.cards.filter((c) => c.id !== card.id),
    totalCount: Math.max(0, col.totalCount - 1),
    totalValue: col.totalValue - parseDecimal(card.value),
    weightedValue: col.weightedValue - weighted(card.value, col.probability),
  };
}

function withCard<C extends CardLike>(col: Column<C>, card: C, index = 0): Column<C> {
  const cards = col.cards.filter((c) => c.id !== card.id);
  cards.splice(Math.min(Math.max(index, 0), cards.length), 0, card);
  return {
    ...col,
    cards,
    totalCount: col.totalCount + 1,
    totalValue: col.totalValue + parseDecimal(card.value),
    weightedValue: col.weightedValue + weighted(card.value, col.probability),
  };
}

export function boardReducer<C extends CardLike>(state: BoardState<C>, action: BoardAction<C>): BoardState<C> {
  switch (action.type) {
    case "reset": {
      const columns: Record<string, Column<C>> = {};
      for (const s of action.stages) columns[s.id] = emptyColumn<C>(s.id, s.probability);
      return { columns, order: action.stages.map((s) => s.id), pending: {} };
    }
    case "page": {
      const col = state.columns[action.stageId];
      if (!col) return state;
      // A card can be in one column only: skip what the page returns for a card shown elsewhere (it moved
      // while the page was on its way) and what this column already has (no duplicates across pages).
      const elsewhere = new Set<string>();
      for (const id of state.order) if (id !== action.stageId) for (const c of state.columns[id].cards) elsewhere.add(c.id);
      const base = action.replace ? [] : col.cards;
      const seen = new Set(base.map((c) => c.id));
      const fresh = action.page.cards.filter((c) => !elsewhere.has(c.id) && !seen.has(c.id));
      // Cards moved into this column and still pending stay visible across a reload of the column.
      const pendingHere = action.replace
        ? Object.values(state.pending)
            .filter((p) => p.toStageId === action.stageId && !fresh.some((c) => c.id === p.card.id))
            .map((p) => col.cards.find((c) => c.id === p.card.id) ?? p.moved)
        : [];
      return {
        ...state,
        columns: {
          ...state.columns,
          [action.stageId]: {
            ...col,
            cards: [...pendingHere, ...base, ...fresh],
            totalCount: action.page.totalCount,
            totalValue: parseDecimal(action.page.totalValue),
            weightedValue: parseDecimal(action.page.weightedValue),
            endCursor: action.page.endCursor,
            hasNextPage: action.page.hasNextPage,
            loaded: true,
          },
        },
      };
    }
    case "totals": {
      const col = state.columns[action.stageId];
      if (!col) return state;
      return {
        ...state,
        columns: {
          ...state.columns,
          [action.stageId]: {
            ...col,
            totalCount: action.totalCount,
            totalValue: parseDecimal(action.totalValue),
            weightedValue: parseDecimal(action.weightedValue),
          },
        },
      };
    }
    case "move": {
      const at = findCard(state, action.leadId);
      if (!at || at.stageId === action.toStageId || !state.columns[action.toStageId]) return state;
      const from = state.columns[at.stageId];
      const card = from.cards[at.index];
      const moved = { ...card, ...(action.patch ?? {}) } as C;
      return {
        ...state,
        columns: {
          ...state.columns,
          [at.stageId]: withoutCard(from, card),
          [action.toStageId]: withCard(state.columns[action.toStageId], moved, 0),
        },
        pending: {
          ...state.pending,
          [action.leadId]: { card, moved, fromStageId: at.stageId, toStageId: action.toStageId, fromIndex: at.index },
        },
      };
    }
    case "confirm": {
      const { [action.leadId]: _done, ...pending } = state.pending;
      const at = findCard(state, action.leadId);
      if (!at) return { ...state, pending };
      const col = state.columns[at.stageId];
      const old = col.cards[at.index];
      const cards = col.cards.slice();
      cards[at.index] = action.card;
      const dv = parseDecimal(action.card.value) - parseDecimal(old.value);
      return {
        ...state,
        pending,
        columns: {
          ...state.columns,
          [at.stageId]: {
            ...col,
            cards,
            totalValue: col.totalValue + dv,
            weightedValue: col.weightedValue + weighted(action.card.value, col.probability) - weighted(old.value, col.probability),
          },
        },
      };
    }
    case "rollback": {
      const move = state.pending[action.leadId];
      if (!move) return state;
      const { [action.leadId]: _undone, ...pending } = state.pending;
      const at = findCard(state, action.leadId);
      let columns = state.columns;
      if (at) {
        const current = columns[at.stageId].cards[at.index];
        columns = { ...columns, [at.stageId]: withoutCard(columns[at.stageId], current) };
      }
      columns = { ...columns, [move.fromStageId]: withCard(columns[move.fromStageId], move.card, move.fromIndex) };
      return { ...state, columns, pending };
    }
    case "insert": {
      const col = state.columns[action.stageId];
      if (!col) return state;
      return { ...state, columns: { ...state.columns, [action.stageId]: withCard(col, action.card, 0) } };
    }
    case "remove": {
      const at = findCard(state, action.leadId);
      if (!at) return state;
      const col = state.columns[at.stageId];
      return { ...state, columns: { ...state.columns, [at.stageId]: withoutCard(col, col.cards[at.index]) } };
    }
  }
}
