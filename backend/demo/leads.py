"""Leads with a believable history: stages passed through, product lines, tags, scores and a timeline.

Each lead's history is generated first (which stages it went through, and when), then everything else is
derived from it, so that timestamps always agree: created_at <= every stage change <= stage_entered_at <= now,
closed_at is the moment it entered won or lost, and timeline entries sit inside the stage they belong to.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from backend.activities.models import ActivityKind
from backend.contacts.models import DecisionRole
from backend.demo import catalog
from backend.demo.lines import LineDraft, LineFactory
from backend.demo.people import OrgDraft, PersonDraft, UserDraft, Weighted, pick, round_significant
from backend.leads.models import LeadStatus, SourceCategory
from backend.leads.service import status_for, temperature_for
from backend.pipelines.models import Stage, StageKind

CENT = Decimal("0.01")
SOURCE_CATEGORY_SHARES = {
    SourceCategory.DIGITAL: 40,
    SourceCategory.TRADITIONAL: 12,
    SourceCategory.REFERRAL: 22,
    SourceCategory.SALES_GENERATED: 26,
}
ROLE_WEIGHTS = {DecisionRole.DECISION_MAKER: 3, DecisionRole.INFLUENCER: 3, DecisionRole.USER: 1}


@dataclass(frozen=True)
class Pipeline:
    """What the generator needs to know about the database's default pipeline and reference data."""

    id: int
    stages: list[Stage]  # board order
    rotting_days: int
    sources: list[tuple[int, str, SourceCategory]]
    lead_types: dict[str, int]  # name -> id

    @property
    def open_stages(self) -> list[Stage]:
        return [s for s in self.stages if s.kind == StageKind.OPEN]

    def closing(self, kind: StageKind) -> Stage:
        return next(s for s in self.stages if s.kind == kind)


@dataclass
class ActivityDraft:
    kind: ActivityKind
    at: datetime
    actor: int | None  # index of the user
    data: dict[str, Any] = field(default_factory=dict)
    title: str | None = None
    body: str | None = None

    def row(self, lead_id: int, user_ids: Sequence[int]) -> dict[str, Any]:
        return {
            "lead_id": lead_id,
            "kind": self.kind,
            "title": self.title,
            "body": self.body,
            "data": self.data,
            "actor_id": None if self.actor is None else user_ids[self.actor],
            "created_at": self.at,
        }


@dataclass
class CompetitorDraft:
    """A competing offer, as addCompetitor stores it; on a lost lead one of them may have won the deal."""

    spec: catalog.CompetitorSpec
    price: Decimal
    won_the_deal: bool
    at: datetime

    def row(self, lead_id: int) -> dict[str, Any]:
        spec = self.spec
        notes = f"Quoted {self.price:,.0f} USD per seat and year."
        stamps = {"created_at": self.at, "updated_at": self.at}
        return {
            "lead_id": lead_id,
            "competitor": spec.name,
            "product": spec.product,
            "price": self.price,
            "strengths": spec.strengths,
            "weaknesses": spec.weaknesses,
            "notes": notes,
            "won_the_deal": self.won_the_deal,
            **stamps,
        }


@dataclass
class LeadDraft:
    path: list[Stage]  # every stage the lead was in, in order; the last one is where it is now
    entered: list[datetime]  # when it entered each of them
    sales_person: int
    org: int
    person: int | None
    source: tuple[int, str, SourceCategory]
    lead_type: str
    fields: dict[str, Any] = field(default_factory=dict)
    lines: list[LineDraft] = field(default_factory=list)
    lines_at: datetime | None = None
    competitors: list[CompetitorDraft] = field(default_factory=list)
    factors: list[str] = field(default_factory=list)  # why it was won or lost
    tags: list[int] = field(default_factory=list)
    activities: list[ActivityDraft] = field(default_factory=list)

    @property
    def stage(self) -> Stage:
        return self.path[-1]

    @property
    def created_at(self) -> datetime:
        return self.entered[0]

    def row(
        self, pipeline_id: int, user_ids: Sequence[int], person_ids: Sequence[int], org_ids: Sequence[int]
    ) -> dict[str, Any]:
        return {
            **self.fields,
            "currency": "USD",
            "status": status_for(self.stage),
            "source_id": self.source[0],
            "sales_person_id": user_ids[self.sales_person],
            "person_id": None if self.person is None else person_ids[self.person],
            "organization_id": org_ids[self.org],
            "pipeline_id": pipeline_id,
            "stage_id": self.stage.id,
            "stage_entered_at": self.entered[-1],
            "win_loss_factors": self.factors,
            "external_id": None,
            "version": 1,
            "created_at": self.created_at,
        }


def allocate(total: int, shares: Sequence[float]) -> list[int]:
    """Splits `total` in proportion to `shares` (largest remainder), giving every share one if it can."""
    weight = sum(shares)
    exact = [total * s / weight for s in shares]
    counts = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(shares)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    for i, count in enumerate(counts):
        donor = max(range(len(counts)), key=lambda j: counts[j])
        if count == 0 and counts[donor] > 1:
            counts[i], counts[donor] = 1, counts[donor] - 1
    return counts


class LeadFactory:
    def __init__(
        self,
        rng: random.Random,
        now: datetime,
        pipeline: Pipeline,
        users: list[UserDraft],
        orgs: list[OrgDraft],
        persons: list[PersonDraft],
    ) -> None:
        self.rng, self.now, self.pipeline = rng, now, pipeline
        self.start = now - timedelta(days=365)
        self.users, self.orgs, self.persons = users, orgs, persons
        self.user_weights = Weighted([(i, u.weight) for i, u in enumerate(users)])
        # Bigger companies buy more often, but small ones are many.
        self.org_weights = Weighted([(i, 1 + math.log10(o.employees)) for i, o in enumerate(orgs)])
        by_category: dict[SourceCategory, list[tuple[int, str, SourceCategory]]] = {}
        for source in pipeline.sources:
            by_category.setdefault(source[2], []).append(source)
        self.source_weights = Weighted(
            [(s, SOURCE_CATEGORY_SHARES[c] / len(group)) for c, group in by_category.items() for s in group]
        )
        self.tag_index = {name: i for i, (name, _) in enumerate(catalog.TAGS)}
        self.line_factory = LineFactory(rng)

    # --- which stages, and when ---------------------------------------------------------------------------

    def targets(self, count: int) -> list[Stage]:
        """The stage every lead ends up in: exact funnel shares, in a random order."""
        stages = self.pipeline.stages
        shares = [catalog.STAGE_SHARES.get(s.code, 10 if s.kind == StageKind.OPEN else 15) for s in stages]
        targets = [stage for stage, n in zip(stages, allocate(count, shares), strict=True) for _ in range(n)]
        self.rng.shuffle(targets)
        return targets

    def path_to(self, target: Stage) -> list[Stage]:
        opens = self.pipeline.open_stages
        if target.kind == StageKind.OPEN:
            return opens[: opens.index(target) + 1]
        if target.kind == StageKind.WON:
            return [*opens, target]
        weights = [(i, catalog.LOST_FROM.get(s.code, 10)) for i, s in enumerate(opens)]
        return [*opens[: pick(self.rng, weights) + 1], target]

    def _dwell(self, stage: Stage) -> float:
        """Days spent in a stage before moving on: log-normal around the stage's expected duration."""
        expected = stage.expected_days or 7
        return max(0.05, min(4 * expected, self.rng.lognormvariate(math.log(expected), 0.6)))

    def _age_in_stage(self, stage: Stage) -> float:
        """Days an open lead has been in its current stage; some are rotting (past the pipeline's threshold)."""
        rot = self.pipeline.rotting_days
        if self.rng.random() < 0.18:
            return self.rng.uniform(rot + 1, rot * 4)
        return self.rng.uniform(0.02, min(rot - 1, 2 * (stage.expected_days or 7)))

    def timeline(self, path: list[Stage]) -> list[datetime]:
        """When the lead entered each stage of its path (the first entry is when it was created)."""
        dwells = [self._dwell(s) for s in path[:-1]]
        year = (self.now - self.start).days - 1
        if path[-1].kind == StageKind.OPEN:
            age = min(year - 1, self._age_in_stage(path[-1]))  # a pipeline may rot only after months
            scale = min(1.0, (year - age) / sum(dwells)) if dwells else 1.0
            created = self.now - timedelta(days=age + sum(dwells) * scale)
        else:
            scale = min(1.0, year * 0.9 / sum(dwells))
            room = year - sum(dwells) * scale
            # Closed leads spread over the whole year, a little denser towards today (the team grew).
            created = self.start + timedelta(days=room * self.rng.random() ** 0.85)
        entered = [created]
        for days in dwells:
            entered.append(entered[-1] + timedelta(days=days * scale))
        entered = _whole_seconds(entered, self.now)
        for i, moment in enumerate(entered):  # people create and move leads during office hours
            lower = entered[i - 1] if i else self.start
            upper = entered[i + 1] if i + 1 < len(entered) else self.now
            entered[i] = self._office_hours(moment, lower, upper)
        return entered

    # --- one lead -----------------------------------------------------------------------------------------

    def lead(self, target: Stage) -> LeadDraft:
        path = self.path_to(target)
        org_index = self.org_weights.draw(self.rng)
        org = self.orgs[org_index]
        lead = LeadDraft(
            path=path,
            entered=self.timeline(path),
            sales_person=org.owner if self.rng.random() < 0.8 else self.user_weights.draw(self.rng),
            org=org_index,
            person=self._contact(org),
            source=self.source_weights.draw(self.rng),
            lead_type="Existing business" if self.rng.random() < 0.25 else "New business",
        )
        if self.rng.random() < catalog.LINES_SHARE.get(target.code, 0.5):
            lead.lines = self.line_factory.lines(org)
        self._fill(lead)
        self._activities(lead)
        return lead

    def _contact(self, org: OrgDraft) -> int | None:
        if self.rng.random() < 0.02:  # a few leads name only the company
            return None
        candidates = [(i, ROLE_WEIGHTS.get(self.persons[i].job.role, 1)) for i in org.persons]
        return pick(self.rng, candidates)

    def _fill(self, lead: LeadDraft) -> None:
        stage = lead.stage
        value = self._value(lead)
        closed_at = lead.entered[-1] if stage.kind != StageKind.OPEN else None
        score = self._score(stage)
        lost_reason = self._lost_reason(lead.path) if stage.kind == StageKind.LOST else None
        lead.competitors = self._competitors(lead, lost_reason)
        lead.factors = self._factors(stage, lost_reason)
        lead.fields = {
            "value": value,
            "lost_reason": lost_reason,
            "closed_at": closed_at,
            "lead_type_id": self.pipeline.lead_types.get(lead.lead_type),
            "expected_close_date": self._close_date(lead),
            "score": score,
            "temperature": temperature_for(score),
        }
        lead.fields["title"] = self._title(lead)
        lead.fields["description"] = self._description(lead)
        lead.tags = self._tags(lead, value)

    # --- money --------------------------------------------------------------------------------------------

    def _value(self, lead: LeadDraft) -> Decimal | None:
        if lead.lines:
            return sum((line.amount for line in lead.lines), Decimal("0.00"))
        if self.rng.random() < catalog.NO_VALUE_SHARE.get(lead.stage.code, 0):
            return None  # not estimated yet: only early leads, never a closed one
        employees = self.orgs[lead.org].employees
        raw = 1_500 * employees**0.45 * self.rng.lognormvariate(0, 0.7)
        return Decimal(max(500, round_significant(raw, 2))).quantize(CENT)

    # --- qualification, dates, words ----------------------------------------------------------------------

    def _score(self, stage: Stage) -> int | None:
        if self.rng.random() < 0.35:
            return None
        mean, spread = catalog.SCORES.get(stage.code, (50, 20))
        return max(0, min(100, round(self.rng.gauss(mean, spread))))

    def _competitors(self, lead: LeadDraft, lost_reason: str | None) -> list[CompetitorDraft]:
        """Rival offers come up in the first conversations; a lead lost to a competitor always names it."""
        lost_to_rival = lost_reason == catalog.LOST_TO_COMPETITOR
        if not lost_to_rival and (len(lead.path) < 2 or self.rng.random() > 0.3):
            return []
        profiles = self.rng.sample(catalog.COMPETITOR_PROFILES, self.rng.choice([1, 1, 2]))
        index = min(1, len(lead.path) - (1 if lead.stage.kind == StageKind.OPEN else 2))
        begin = lead.entered[index]
        end = lead.entered[index + 1] if index + 1 < len(lead.entered) else self.now
        drafts = []
        for n, spec in enumerate(profiles):
            price = Decimal(round(float(spec.seat_price) * self.rng.uniform(0.85, 1.05))).quantize(CENT)
            at = self._working_moment(begin, end) or begin
            drafts.append(CompetitorDraft(spec, price, won_the_deal=lost_to_rival and n == 0, at=at))
        return sorted(drafts, key=lambda c: c.at)

    def _factors(self, stage: Stage, lost_reason: str | None) -> list[str]:
        """Why a closed lead went the way it did (most reps fill it in); a lost reason implies one factor."""
        if stage.kind == StageKind.OPEN or self.rng.random() < 0.2:
            return []
        mapped = catalog.REASON_FACTORS.get(lost_reason or "")
        factors = [mapped] if mapped else []
        pool = catalog.WON_FACTORS if stage.kind == StageKind.WON else catalog.LOST_FACTORS
        for _ in range(self.rng.randint(1, 2)):
            factor = pick(self.rng, pool)
            if factor not in factors:
                factors.append(factor)
        return factors

    def _lost_reason(self, path: list[Stage]) -> str:
        late = len(path) >= 5  # dropped out in demo or negotiation
        return pick(self.rng, catalog.LATE_LOST_REASONS if late else catalog.EARLY_LOST_REASONS)

    def _close_date(self, lead: LeadDraft) -> date | None:
        stage, today, created = lead.stage, self.now.date(), lead.created_at.date()
        if stage.kind == StageKind.WON:
            return lead.entered[-1].date()  # what moveLead sets when a lead is won
        cycle = sum(s.expected_days or 7 for s in self.pipeline.open_stages)
        planned = created + timedelta(days=round(cycle * self.rng.lognormvariate(0, 0.35)))
        if stage.kind == StageKind.LOST:
            return planned if self.rng.random() < 0.8 else None
        if stage.code == "new" and self.rng.random() < 0.25:
            return None
        if self.rng.random() < 0.18 and created < today - timedelta(days=2):
            return today - timedelta(days=self.rng.randint(1, min(60, (today - created).days - 1)))
        remaining = sum(s.expected_days or 7 for s in self.pipeline.open_stages[len(lead.path) - 1 :])
        return max(planned, today + timedelta(days=round(remaining * self.rng.lognormvariate(0, 0.35)) + 3))

    def _title(self, lead: LeadDraft) -> str:
        org = self.orgs[lead.org]
        if not lead.lines:
            return f"{org.short_name} - {self.rng.choice(catalog.GENERIC_TOPICS)}"
        product = catalog.PRODUCTS[lead.lines[0].product].name
        year = (lead.fields["expected_close_date"] or self.now.date()).year
        templates = (
            catalog.EXISTING_BUSINESS_TITLES if lead.lead_type == "Existing business" else catalog.NEW_BUSINESS_TITLES
        )
        return self.rng.choice(templates).format(org=org.short_name, product=product, year=year)

    def _words(self, lead: LeadDraft) -> dict[str, Any]:
        """The fill-ins of descriptions and timeline texts."""
        org = self.orgs[lead.org]
        person = self.persons[lead.person] if lead.person is not None else None
        product = catalog.PRODUCTS[lead.lines[0].product].name if lead.lines else "Sales Cloud Professional"
        return {
            "first": person.first_name if person else "the team",
            "title": person.job.title if person else "buyer",
            "org": org.short_name,
            "city": org.city.name,
            "industry": org.industry.name.lower(),
            "team": max(5, round_significant(org.employees * self.rng.uniform(0.03, 0.2), 1)),
            "product": product,
            "competitor": lead.competitors[0].spec.name if lead.competitors else self.rng.choice(catalog.COMPETITORS),
            "source": lead.source[1].lower(),
            "day": self.rng.choice(catalog.WEEKDAYS),
            "reason": (lead.fields.get("lost_reason") or "").lower(),
        }

    def _description(self, lead: LeadDraft) -> str | None:
        if self.rng.random() < 0.55:
            return None
        words = self._words(lead)
        text = self.rng.choice(catalog.DESCRIPTIONS).format(**words)
        return text[0].upper() + text[1:]

    def _tags(self, lead: LeadDraft, value: Decimal | None) -> list[int]:
        org, stage, rng = self.orgs[lead.org], lead.stage, self.rng
        source, existing = lead.source[1], lead.lead_type == "Existing business"
        rotting = stage.kind == StageKind.OPEN and (self.now - lead.entered[-1]).days > self.pipeline.rotting_days
        wanted = {
            "Enterprise": org.employees >= 1_000 and rng.random() < 0.7,
            "SMB": org.employees < 250 and rng.random() < 0.5,
            "Key account": org.employees >= 5_000 and rng.random() < 0.6,
            "Strategic": value is not None and value >= 100_000 and rng.random() < 0.5,
            "Renewal": existing and "renewal" in lead.fields["title"],
            "Upsell": existing and "renewal" not in lead.fields["title"] and rng.random() < 0.7,
            "Partner deal": source == "Partner referral",
            "Referral": source in ("Customer referral", "Employee referral") and rng.random() < 0.8,
            "Competitive": bool(lead.competitors),
            "Budget approved": len(lead.path) >= 3 and stage.kind != StageKind.LOST and rng.random() < 0.3,
            "Needs follow-up": stage.kind == StageKind.OPEN and rng.random() < (0.5 if rotting else 0.1),
            "Trial": stage.code in ("new", "contacted") and rng.random() < 0.1,
        }
        return [self.tag_index[name] for name, on in wanted.items() if on]

    # --- timeline -----------------------------------------------------------------------------------------

    def _activities(self, lead: LeadDraft) -> None:
        actor = lead.sales_person
        creator = None if lead.source[1] in catalog.FORM_SOURCES else actor
        events = [ActivityDraft(ActivityKind.LEAD_CREATED, lead.created_at, creator, {"stage": lead.path[0].name})]
        events += self._line_events(lead)
        events += [self._competitor_event(lead, c) for c in lead.competitors]
        for i in range(1, len(lead.path)):
            events.append(ActivityDraft(ActivityKind.STAGE_CHANGED, lead.entered[i], actor, self._move_data(lead, i)))
        events += self._user_activities(lead)
        events.sort(key=lambda a: a.at)  # stable: a stage change stays before what happened at the same second
        lead.activities = events
        # The last write to the lead row itself: its last move, or product lines added after it.
        lead.fields["updated_at"] = max(lead.entered[-1], lead.lines_at or lead.entered[-1])

    def _line_events(self, lead: LeadDraft) -> list[ActivityDraft]:
        """Lines are added on qualification (or soon after creation for leads that never got that far)."""
        if not lead.lines:
            return []
        stage_index = min(2, len(lead.path) - 1) if lead.stage.kind == StageKind.OPEN else min(2, len(lead.path) - 2)
        begin = lead.entered[stage_index]
        end = lead.entered[stage_index + 1] if stage_index + 1 < len(lead.entered) else self.now
        step = min(timedelta(minutes=4), (end - begin) / (len(lead.lines) + 2))
        events = []
        for n, line in enumerate(lead.lines, start=1):
            at = (begin + step * n).replace(microsecond=0)
            events.append(ActivityDraft(ActivityKind.PRODUCTS_CHANGED, at, lead.sales_person, line.record()))
        lead.lines_at = events[-1].at
        return events

    @staticmethod
    def _competitor_event(lead: LeadDraft, competitor: CompetitorDraft) -> ActivityDraft:
        """What addCompetitor records."""
        data = {"changes": [{"field": "competitors", "old": None, "new": competitor.spec.name}]}
        return ActivityDraft(ActivityKind.FIELDS_CHANGED, competitor.at, lead.sales_person, data)

    def _move_data(self, lead: LeadDraft, i: int) -> dict[str, Any]:
        """The same `data` moveLead records."""
        source, target = lead.path[i - 1], lead.path[i]
        status = status_for(target)
        value = lead.fields["value"]
        return {
            "from_stage_id": source.id,
            "from_stage": source.name,
            "to_stage_id": target.id,
            "to_stage": target.name,
            "reason": None,
            "lost_reason": lead.fields["lost_reason"] if status == LeadStatus.LOST else None,
            "won_value": str(value) if status == LeadStatus.WON and value is not None else None,
            # Given with the move that closes the lead, as moveLead's winLossFactors.
            "win_loss_factors": lead.factors if status != LeadStatus.OPEN and lead.factors else None,
        }

    def _user_activities(self, lead: LeadDraft) -> list[ActivityDraft]:
        words = self._words(lead)
        events = []
        for i, stage in enumerate(lead.path):
            if stage.kind != StageKind.OPEN:
                continue
            begin = lead.entered[i]
            end = lead.entered[i + 1] if i + 1 < len(lead.entered) else self.now
            if i + 1 == len(lead.entered) and (end - begin).days > self.pipeline.rotting_days:
                end = begin + (end - begin) / 3  # a rotting lead: nobody touched it lately
            templates = catalog.ACTIVITY_TEMPLATES.get(stage.code, catalog.ACTIVITY_TEMPLATES["contacted"])
            low, high = catalog.ACTIVITIES_PER_STAGE.get(stage.code, (0, 2))
            count = min(len(templates), self.rng.randint(low, high))
            # In the templates' order (a proposal before its pricing call), at increasing times.
            chosen = sorted(self.rng.sample(range(len(templates)), count))
            moments = sorted(m for m in (self._working_moment(begin, end) for _ in chosen) if m is not None)
            pairs = zip(chosen, moments, strict=False)  # a stage too short for a moment gets fewer entries
            events += [self._activity(templates[t], words, lead.sales_person, at) for t, at in pairs]
        if lead.stage.kind != StageKind.OPEN and self.rng.random() < 0.6:
            note = catalog.WON_NOTE if lead.stage.kind == StageKind.WON else catalog.LOST_NOTE
            at = self._working_moment(lead.entered[-2], lead.entered[-1])
            events += [self._activity(note, words, lead.sales_person, at)] if at else []
        return events

    @staticmethod
    def _activity(template: tuple[str, str, str], words: dict[str, Any], actor: int, at: datetime) -> ActivityDraft:
        kind, title, body = template
        return ActivityDraft(ActivityKind(kind), at, actor, {}, title, body.format(**words))

    def _working_moment(self, begin: datetime, end: datetime) -> datetime | None:
        """A moment strictly between begin and end, during office hours when one fits."""
        span = int((end - begin).total_seconds())
        if span < 3:
            return None
        return self._office_hours(begin + timedelta(seconds=self.rng.randint(1, span - 1)), begin, end)

    def _office_hours(self, moment: datetime, lower: datetime, upper: datetime) -> datetime:
        """The same day (a weekend: the Friday before) between 8:00 and 18:00 UTC, if that stays strictly
        between lower and upper; otherwise the moment itself."""
        candidate = moment.replace(hour=self.rng.randint(8, 17), minute=self.rng.randrange(60), second=0)
        if candidate.weekday() >= 5:
            candidate -= timedelta(days=candidate.weekday() - 4)
        return candidate if lower < candidate < upper else moment


def _whole_seconds(moments: list[datetime], now: datetime) -> list[datetime]:
    """Rounded to the second, strictly increasing, and never at or after `now`."""
    result: list[datetime] = []
    for moment in moments:
        moment = min(moment.replace(microsecond=0), now - timedelta(seconds=1))
        if result and moment <= result[-1]:
            moment = result[-1] + timedelta(seconds=1)
        result.append(moment)
    return result
