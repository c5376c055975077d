import { memo } from "react";
import { useDraggable } from "@dnd-kit/core";
import { useNavigate } from "react-router";
import type { CardFieldsFragment } from "../gql/graphql";
import { formatDate, isOverdue } from "../lib/dates";
import { formatMoney } from "../lib/money";
import { Avatar, TagChip } from "../components/ui";

export type BoardCard = CardFieldsFragment;

export function CardBody({ lead, rottingDays }: { lead: BoardCard; rottingDays?: number | null }) {
  const overdue = isOverdue(lead.expectedCloseDate, lead.status);
  const who = [lead.contactPerson?.name, lead.organization?.name].filter(Boolean).join(" · ");
  return (
    <>
      <div className="card-top">
        <span className="card-title">{lead.title}</span>
        {lead.isRotting && (
          <span
            className="rot"
            title={`Rotting: ${lead.daysInStage} days in this stage${rottingDays ? ` (limit ${rottingDays})` : ""}`}
            aria-label={`Rotting: ${lead.daysInStage} days in this stage`}
          >
            <svg viewBox="0 0 16 16" aria-hidden>
              <path d="M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13Zm.75 3v3.2l2.4 1.45-.75 1.3L7.25 8.5v-4h1.5Z" fill="currentColor" />
            </svg>
            {lead.daysInStage}d
          </span>
        )}
      </div>
      {who && <div className="card-who">{who}</div>}
      {lead.tags.length > 0 && (
        <div className="card-tags">
          {lead.tags.map((t) => (
            <TagChip key={t.id} name={t.name} color={t.color} />
          ))}
        </div>
      )}
      <div className="card-foot">
        <span className="card-value">{formatMoney(lead.value, lead.currency)}</span>
        {lead.expectedCloseDate && (
          <span className={`card-date ${overdue ? "overdue" : ""}`} title={overdue ? "Expected close date has passed" : "Expected close date"}>
            {overdue && <span className="sr-only">Overdue: </span>}
            {formatDate(lead.expectedCloseDate)}
          </span>
        )}
        {lead.salesPerson && <Avatar name={lead.salesPerson.name} initials={lead.salesPerson.initials} size={22} />}
      </div>
    </>
  );
}

export const Card = memo(function Card({
  lead,
  rottingDays,
  pending,
}: {
  lead: BoardCard;
  rottingDays?: number | null;
  pending: boolean;
}) {
  const navigate = useNavigate();
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id: lead.id, data: { lead } });
  return (
    <article
      ref={setNodeRef}
      className={`card ${isDragging ? "dragging" : ""} ${pending ? "pending" : ""} ${lead.isRotting ? "rotting" : ""}`}
      data-lead-id={lead.id}
      data-testid="lead-card"
      {...attributes}
      {...listeners}
      aria-roledescription="draggable lead"
      aria-label={`${lead.title}, ${formatMoney(lead.value, lead.currency)}. Space to pick up and move with arrow keys, Enter to open.`}
      onClick={() => navigate(`/leads/${lead.id}`)}
      onKeyDown={(e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          navigate(`/leads/${lead.id}`);
          return;
        }
        listeners?.onKeyDown?.(e);
      }}
    >
      <CardBody lead={lead} rottingDays={rottingDays} />
    </article>
  );
});
