"""The whole demo data set, generated in memory from a seed and a date (no database, no clock)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from backend.demo.leads import LeadDraft, LeadFactory, Pipeline
from backend.demo.people import OrgDraft, PeopleFactory, PersonDraft, UserDraft


@dataclass
class DemoData:
    now: datetime  # the data set's "now": midnight UTC at the start of `today`
    users: list[UserDraft]
    orgs: list[OrgDraft]
    persons: list[PersonDraft]
    leads: list[LeadDraft]


def sizes(leads: int) -> tuple[int, int]:
    """Sales persons and organizations for a number of leads: 3,000 leads -> 10 reps, 300 companies."""
    return min(40, max(3, leads // 300)), max(10, leads // 10)


def generate(pipeline: Pipeline, lead_count: int, seed: int, today: date) -> DemoData:
    rng = random.Random(seed)
    # History ends at the start of `today`, so nothing lies in the future whatever the hour of seeding.
    now = datetime.combine(today, time(), UTC)
    start = now - timedelta(days=365)
    people = PeopleFactory(rng, seed, start)
    user_count, org_count = sizes(lead_count)
    users = people.users(user_count)
    orgs = people.organizations(org_count, len(users))
    persons = people.persons(orgs)
    factory = LeadFactory(rng, now, pipeline, users, orgs, persons)
    leads = [factory.lead(target) for target in factory.targets(lead_count)]
    leads.sort(key=lambda lead: lead.created_at)  # ids grow with creation time, as in a real database
    _backdate(rng, start, now, orgs, persons, leads)
    return DemoData(now, users, orgs, persons, leads)


def _backdate(
    rng: random.Random,
    start: datetime,
    now: datetime,
    orgs: list[OrgDraft],
    persons: list[PersonDraft],
    leads: list[LeadDraft],
) -> None:
    """Contacts were entered shortly before their first lead; companies before their first contact."""
    first_lead: dict[int, datetime] = {}
    for lead in leads:  # sorted by creation: the first seen is the earliest
        if lead.person is not None:
            first_lead.setdefault(lead.person, lead.created_at)
    for index, person in enumerate(persons):
        if index in first_lead:
            person.created_at = first_lead[index] - timedelta(minutes=rng.randint(10, 4_320))
        else:
            person.created_at = start + timedelta(days=rng.uniform(0, 360))
        person.created_at = person.created_at.replace(microsecond=0)
    org_first_lead: dict[int, datetime] = {}
    for lead in leads:
        org_first_lead.setdefault(lead.org, lead.created_at)
    for index, org in enumerate(orgs):
        earliest = min([persons[p].created_at for p in org.persons] + [org_first_lead.get(index, now)])
        org.created_at = (earliest - timedelta(minutes=rng.randint(1, 1_440))).replace(microsecond=0)
