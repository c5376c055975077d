import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  TouchSensor,
  pointerWithin,
  rectIntersection,
  useDroppable,
  useSensor,
  useSensors,
  type CollisionDetection,
  type DragEndEvent,
  type DragStartEvent,
  type KeyboardCoordinateGetter,
  type Announcements,
  AutoScrollActivator,
} from "@dnd-kit/core";
import { useNavigate, useParams, useSearchParams } from "react-router";
import { useClient } from "urql";
import { BoardTotalsQuery, MoveLeadMutation, StageMoreQuery, StagePageQuery } from "../documents";
import { neighbourColumn } from "../lib/keyboardColumns";
import { boardReducer, emptyBoard, findCard, type Column as ColumnState } from "../lib/boardState";
import { formatCompact, formatScaled, parseDecimal } from "../lib/money";
import { FilterBar, useFilter } from "../components/FilterBar";
import { StageDialog, type MoveExtras } from "../components/StageDialog";
import { useToast } from "../components/Toasts";
import { Spinner } from "../components/ui";
import { useReference, type StageRef } from "../reference";
import { Card, CardBody, type BoardCard } from "./Card";
import { QuickAdd } from "./QuickAdd";
import type { LeadFilter } from "../gql/graphql";

const PAGE = 20;
// Newest in the stage first: a card dropped on a column lands on top, where the server will also put it.
const ORDER = [{ field: "STAGE_ENTERED_AT" as const, direction: "DESC" as const }];

/** Arrow left/right jumps the picked-up card to the neighbouring column. */
const columnKeyboardCoordinates: KeyboardCoordinateGetter = (event, { context, currentCoordinates }) => {
  const { collisionRect, droppableRects, droppableContainers } = context;
  if (!collisionRect) return undefined;
  if (event.code !== "ArrowRight" && event.code !== "ArrowLeft") {
    if (event.code === "ArrowUp" || event.code === "ArrowDown") event.preventDefault();
    return undefined;
  }
  event.preventDefault();
  const rects = droppableContainers
    .getEnabled()
    .map((c) => ({ id: c.id, rect: droppableRects.get(c.id) }))
    .filter((r): r is { id: string | number; rect: NonNullable<typeof r.rect> } => !!r.rect)
    .map((r) => ({ id: r.id, left: r.rect.left, width: r.rect.width, top: r.rect.top }));
  const target = neighbourColumn(rects, collisionRect.left + collisionRect.width / 2, event.code === "ArrowRight" ? "right" : "left");
  if (!target) return undefined;
  return {
    x: target.left + (target.width - collisionRect.width) / 2,
    y: Math.max(currentCoordinates.y, target.top + 8),
  };
};

const collision: CollisionDetection = (args) => {
  if (args.pointerCoordinates) {
    const hits = pointerWithin(args);
    if (hits.length) return hits;
  }
  return rectIntersection(args);
};

interface PendingDrop {
  lead: BoardCard;
  stage: StageRef;
}

export function BoardPage() {
  const { pipelineId: routePipeline } = useParams();
  const ref = useReference();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const pipeline = useMemo(
    () =>
      (routePipeline ? ref.pipelines.find((p) => p.id === routePipeline) : null) ??
      (routePipeline ? null : (ref.pipelines.find((p) => p.isDefault) ?? ref.pipelines[0] ?? null)),
    [ref.pipelines, routePipeline],
  );

  if (!ref.loaded)
    return ref.error ? (
      <div className="empty-state" role="alert"><h2>Could not load the pipeline</h2><p>{ref.error}</p></div>
    ) : (
      <div className="page-loading"><Spinner /></div>
    );
  if (!pipeline) return <div className="empty-state"><h2>Pipeline not found</h2><p>This pipeline does not exist or was removed.</p></div>;

  return (
    <div className="board-page">
      <div className="page-head">
        <div className="page-title">
          <h1>Pipeline</h1>
          <select
            className="select"
            aria-label="Pipeline"
            value={pipeline.id}
            onChange={(e) => navigate({ pathname: `/board/${e.target.value}`, search: params.toString() })}
          >
            {ref.pipelines.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <FilterBar />
      <Board key={pipeline.id} pipeline={pipeline} />
    </div>
  );
}

function Board({ pipeline }: { pipeline: (ReturnType<typeof useReference>)["pipelines"][number] }) {
  const client = useClient();
  const toast = useToast();
  const { apiFilter, filterKey, savedFilter } = useFilter();
  const stages = useMemo(() => [...pipeline.stages].sort((a, b) => a.position - b.position), [pipeline.stages]);
  const [state, dispatch] = useReducer(boardReducer<BoardCard>, undefined, () => emptyBoard<BoardCard>());
  const stateRef = useRef(state);
  stateRef.current = state;
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [drop, setDrop] = useState<PendingDrop | null>(null);
  const [quickAdd, setQuickAdd] = useState<string | null>(null);
  const generation = useRef(0);
  const [reloads, setReloads] = useState(0);
  const filter = apiFilter as LeadFilter | null;

  // (Re)load the first page of every column: one nested query for the whole board.
  useEffect(() => {
    const gen = ++generation.current;
    dispatch({ type: "reset", stages: stages.map((s) => ({ id: s.id, probability: s.probability })) });
    setLoading(true);
    setError(null);
    client
      .query(StagePageQuery, { pipelineId: pipeline.id, filter, savedFilter, first: PAGE, orderBy: ORDER }, { requestPolicy: "network-only" })
      .toPromise()
      .then((res) => {
        if (gen !== generation.current) return;
        setLoading(false);
        if (res.error || !res.data?.pipeline) {
          setError(res.error?.message ?? "The board could not be loaded.");
          return;
        }
        for (const s of res.data.pipeline.stages) {
          dispatch({
            type: "page",
            stageId: s.id,
            replace: true,
            page: {
              cards: s.leads.edges.map((e) => e.node),
              totalCount: s.leads.totalCount,
              totalValue: s.leads.totalValue,
              weightedValue: s.leads.weightedValue,
              endCursor: s.leads.pageInfo.endCursor ?? null,
              hasNextPage: s.leads.pageInfo.hasNextPage,
            },
          });
        }
      });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, pipeline.id, filterKey, stages, reloads]);

  const loadingMore = useRef(new Set<string>());
  const loadMore = useCallback(
    (stageId: string) => {
      const col = stateRef.current.columns[stageId];
      if (!col || !col.hasNextPage || loadingMore.current.has(stageId)) return;
      loadingMore.current.add(stageId);
      const gen = generation.current;
      client
        .query(StageMoreQuery, { stageId, filter, savedFilter, first: PAGE, after: col.endCursor, orderBy: ORDER }, { requestPolicy: "network-only" })
        .toPromise()
        .then((res) => {
          loadingMore.current.delete(stageId);
          if (gen !== generation.current) return;
          const node = res.data?.node;
          if (!node || node.__typename !== "Stage") {
            if (res.error) toast(`Could not load more leads: ${res.error.message}`, "error");
            return;
          }
          dispatch({
            type: "page",
            stageId,
            replace: false,
            page: {
              cards: node.leads.edges.map((e) => e.node),
              totalCount: node.leads.totalCount,
              totalValue: node.leads.totalValue,
              weightedValue: node.leads.weightedValue,
              endCursor: node.leads.pageInfo.endCursor ?? null,
              hasNextPage: node.leads.pageInfo.hasNextPage,
            },
          });
        });
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [client, filterKey],
  );

  const refreshTotals = useCallback(() => {
    const gen = generation.current;
    client
      .query(BoardTotalsQuery, { pipelineId: pipeline.id, filter, savedFilter }, { requestPolicy: "network-only" })
      .toPromise()
      .then((res) => {
        if (gen !== generation.current || !res.data?.pipeline) return;
        for (const s of res.data.pipeline.stages)
          dispatch({ type: "totals", stageId: s.id, totalCount: s.leads.totalCount, totalValue: s.leads.totalValue, weightedValue: s.leads.weightedValue });
      });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, pipeline.id, filterKey]);

  const move = useCallback(
    async (lead: BoardCard, stage: StageRef, extras: MoveExtras = {}) => {
      const patch: Partial<BoardCard> = { status: stage.kind };
      // an unchanged won value is not sent: a lead with products may not be given a value by hand
      const wonValue =
        stage.kind === "WON" && extras.wonValue && parseDecimal(extras.wonValue) !== parseDecimal(lead.value) ? extras.wonValue : null;
      if (wonValue) patch.value = wonValue;
      dispatch({ type: "move", leadId: lead.id, toStageId: stage.id, patch });
      const res = await client
        .mutation(MoveLeadMutation, {
          input: {
            id: lead.id,
            version: lead.version,
            stageId: stage.id,
            lostReason: extras.lostReason ?? null,
            wonValue,
            closeDate: extras.closeDate ?? null,
          },
        })
        .toPromise();
      const payload = res.data?.moveLead;
      if (res.error || !payload || payload.errors.length || !payload.lead) {
        dispatch({ type: "rollback", leadId: lead.id });
        const err = payload?.errors[0];
        const why =
          err?.code === "CONFLICT"
            ? "someone else changed this lead in the meantime. The board now shows the latest version."
            : (err?.message ?? res.error?.message ?? "the server refused it.");
        toast(`“${lead.title}” was not moved to ${stage.name}: ${why}`, "error");
        // a stale card cannot be moved again: fetch the board's current state
        if (err?.code === "CONFLICT") setReloads((n) => n + 1);
        return;
      }
      dispatch({ type: "confirm", leadId: lead.id, card: payload.lead });
      toast(`Moved “${lead.title}” to ${stage.name}`, "success");
      refreshTotals();
    },
    [client, toast, refreshTotals],
  );

  const [keyboardDrag, setKeyboardDrag] = useState(false);
  const onDragStart = (e: DragStartEvent) => {
    setActiveId(String(e.active.id));
    setKeyboardDrag(e.activatorEvent instanceof KeyboardEvent);
  };
  const onDragEnd = (e: DragEndEvent) => {
    setActiveId(null);
    const leadId = String(e.active.id);
    const to = e.over ? String(e.over.id) : null;
    const at = findCard(stateRef.current, leadId);
    if (!to || !at || at.stageId === to) return;
    const lead = stateRef.current.columns[at.stageId].cards[at.index];
    const stage = stages.find((s) => s.id === to);
    if (!stage) return;
    if (stateRef.current.pending[leadId]) {
      toast("This lead is still being moved; wait a moment.", "info");
      return;
    }
    if (stage.kind === "WON" || stage.kind === "LOST") setDrop({ lead, stage });
    else void move(lead, stage);
  };

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 220, tolerance: 8 } }),
    useSensor(KeyboardSensor, {
      coordinateGetter: columnKeyboardCoordinates,
      keyboardCodes: { start: ["Space"], cancel: ["Escape"], end: ["Space", "Enter"] },
    }),
  );

  const stageName = (id: string | number | undefined) => stages.find((s) => s.id === id)?.name ?? "no column";
  const titleOf = (id: string | number) => {
    const at = findCard(stateRef.current, String(id));
    return at ? stateRef.current.columns[at.stageId].cards[at.index].title : "lead";
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${titleOf(active.id)}. Use left and right arrows to choose a stage, space to drop, escape to cancel.`,
    onDragOver: ({ active, over }) => `${titleOf(active.id)} is over ${stageName(over?.id)}.`,
    onDragEnd: ({ active, over }) => `${titleOf(active.id)} dropped on ${stageName(over?.id)}.`,
    onDragCancel: ({ active }) => `Moving ${titleOf(active.id)} was cancelled.`,
  };

  const activeCard = activeId ? (() => {
    const at = findCard(state, activeId);
    return at ? state.columns[at.stageId].cards[at.index] : null;
  })() : null;

  if (error) return <div className="empty-state" role="alert"><h2>Could not load the board</h2><p>{error}</p></div>;

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collision}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={() => setActiveId(null)}
      accessibility={{ announcements }}
      // scroll the board only when the pointer is really at its edge, and never the columns sideways
      // pointer and touch drags scroll the board when the card nears its edge; the keyboard moves column by column
      autoScroll={keyboardDrag ? false : { activator: AutoScrollActivator.DraggableRect, threshold: { x: 0.1, y: 0.15 } }}
    >
      <div className="board" aria-busy={loading}>
        {stages.map((stage) => {
          const col = state.columns[stage.id];
          if (!col) return null;
          return (
            <BoardColumn
              key={stage.id}
              stage={stage}
              col={col}
              loading={loading}
              rottingDays={pipeline.rottingDays}
              pending={state.pending}
              onLoadMore={loadMore}
              quickAdd={quickAdd === stage.id}
              onQuickAdd={() => setQuickAdd(quickAdd === stage.id ? null : stage.id)}
              quickAddForm={
                quickAdd === stage.id ? (
                  <QuickAdd
                    pipelineId={pipeline.id}
                    stageId={stage.id}
                    stageName={stage.name}
                    onClose={() => setQuickAdd(null)}
                    onCreated={(card) => {
                      dispatch({ type: "insert", stageId: stage.id, card });
                      toast(`Lead “${card.title}” created in ${stage.name}`, "success");
                      refreshTotals();
                    }}
                  />
                ) : null
              }
            />
          );
        })}
      </div>
      <DragOverlay dropAnimation={null}>
        {activeCard ? (
          <div className="card overlay">
            <CardBody lead={activeCard} rottingDays={pipeline.rottingDays} />
          </div>
        ) : null}
      </DragOverlay>
      {drop && (
        <StageDialog
          kind={drop.stage.kind as "WON" | "LOST"}
          stageName={drop.stage.name}
          leadTitle={drop.lead.title}
          value={drop.lead.value}
          onCancel={() => setDrop(null)}
          onConfirm={(extras) => {
            const d = drop;
            setDrop(null);
            void move(d.lead, d.stage, extras);
          }}
        />
      )}
    </DndContext>
  );
}

function BoardColumn({
  stage,
  col,
  loading,
  rottingDays,
  pending,
  onLoadMore,
  quickAdd,
  onQuickAdd,
  quickAddForm,
}: {
  stage: StageRef;
  col: ColumnState<BoardCard>;
  loading: boolean;
  rottingDays?: number | null;
  pending: Record<string, unknown>;
  onLoadMore: (stageId: string) => void;
  quickAdd: boolean;
  onQuickAdd: () => void;
  quickAddForm: React.ReactNode;
}) {
  const { setNodeRef, isOver } = useDroppable({ id: stage.id, data: { stage } });
  const body = useRef<HTMLDivElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !col.hasNextPage) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && onLoadMore(stage.id), {
      root: body.current,
      rootMargin: "200px",
    });
    io.observe(el);
    return () => io.disconnect();
  }, [col.hasNextPage, col.cards.length, onLoadMore, stage.id]);
  const headingId = `col-${stage.id}`;
  return (
    <section
      ref={setNodeRef}
      className={`column kind-${stage.kind.toLowerCase()} ${isOver ? "over" : ""}`}
      aria-labelledby={headingId}
      data-stage={stage.name}
      data-testid="board-column"
    >
      <header className="column-head">
        <div className="column-title">
          <h2 id={headingId}>{stage.name}</h2>
          <span className="count" data-testid="column-count" aria-label={`${col.totalCount} leads`}>
            {col.totalCount}
          </span>
          <span className="prob" title="Win probability">
            {stage.probability}%
          </span>
          {stage.kind === "OPEN" && (
            <button
              type="button"
              className="icon-btn add-btn"
              aria-label={`Quick-add a lead to ${stage.name}`}
              aria-expanded={quickAdd}
              onClick={onQuickAdd}
            >
              +
            </button>
          )}
        </div>
        <div className="column-sums">
          <span title={`Total value: $${formatScaled(col.totalValue)}`} data-testid="column-total">
            {formatCompact(col.totalValue)}
          </span>
          <span className="weighted" title={`Weighted value (value × ${stage.probability}%): $${formatScaled(col.weightedValue)}`} data-testid="column-weighted">
            weighted {formatCompact(col.weightedValue)}
          </span>
        </div>
        <div className={`column-bar kind-${stage.kind.toLowerCase()}`} />
      </header>
      <div className="column-body" ref={body}>
        {quickAddForm}
        {loading && !col.loaded ? (
          <div className="skeletons" aria-hidden>
            <div className="skeleton" />
            <div className="skeleton" />
          </div>
        ) : col.cards.length === 0 && !quickAdd ? (
          <div className="column-empty">No leads</div>
        ) : (
          col.cards.map((lead) => <Card key={lead.id} lead={lead} rottingDays={rottingDays} pending={!!pending[lead.id]} />)
        )}
        {col.hasNextPage && (
          <div ref={sentinel} className="load-more">
            <button type="button" className="link-btn small" onClick={() => onLoadMore(stage.id)}>
              Load more ({col.totalCount - col.cards.length} more)
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
