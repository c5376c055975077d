"""Sales persons, organizations and contact persons, with emails and phones the contacts service accepts."""

from __future__ import annotations

import itertools
import math
import random
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Generic, TypeVar

import phonenumbers
from faker import Faker

from backend.contacts.models import ContactChannel, DecisionRole
from backend.contacts.service import normalize_email, normalize_phone
from backend.demo import catalog
from backend.demo.catalog import City, Country, Industry, JobTitle
from backend.errors import Problems

T = TypeVar("T")


class Weighted(Generic[T]):
    """A weighted choice to draw from many times: the cumulative weights are summed once, so a draw from
    thousands of organizations is a bisection, not a pass over all of them."""

    def __init__(self, weighted: Sequence[tuple[T, int | float]]) -> None:
        self.items = [item for item, _ in weighted]
        self.cumulative = list(itertools.accumulate(weight for _, weight in weighted))

    def draw(self, rng: random.Random) -> T:
        return rng.choices(self.items, cum_weights=self.cumulative)[0]


def pick(rng: random.Random, weighted: Sequence[tuple[T, int | float]]) -> T:
    """One item of (item, weight) pairs; weights need not add up to anything."""
    return Weighted(weighted).draw(rng)


def slug(text: str, sep: str = "-") -> str:
    """ASCII letters and digits only: "Müller & Söhne" -> "muller-sohne" (for email addresses and domains)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", sep, ascii_text.lower()).strip(sep)


def round_significant(value: float, digits: int = 2) -> int:
    """12_345 -> 12_000: the round numbers people actually write down."""
    if value <= 0:
        return 0
    magnitude = 10 ** max(0, math.floor(math.log10(value)) - digits + 1)
    return int(round(value / magnitude) * magnitude)


def checked_email(value: str) -> str:
    normalized = normalize_email(Problems(), "email", value)
    if normalized is None:
        raise AssertionError(f"demo email {value!r} does not pass normalize_email")
    return normalized


class PhoneBook:
    """Random phone numbers that pass normalize_phone, each handed out once."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def number(self, country: Country, prefixes: tuple[str, ...], digits: int) -> str:
        """A fresh number if the ranges have one left; once a range is used up (100 fiction numbers per
        NANP area code), colleagues share numbers, as they share a switchboard."""
        calling_code = phonenumbers.country_code_for_region(country.code)
        valid = None
        for _ in range(100):
            tail = "".join(str(self.rng.randrange(10)) for _ in range(digits))
            raw = f"+{calling_code}{self.rng.choice(prefixes)}{tail}"
            valid = normalize_phone(Problems(), "phone", raw, country.code) or valid
            if valid is not None and valid not in self.used:
                break
        if valid is None:
            raise AssertionError(f"the demo phone ranges of {country.code} {prefixes} give no valid number")
        self.used.add(valid)
        return valid

    def work(self, country: Country, city: City) -> str:
        return self.number(country, city.phone_prefixes, city.digits)

    def mobile(self, country: Country, city: City) -> str:
        if not country.mobile:  # NANP: mobiles come from the city's own ranges
            return self.work(country, city)
        prefix, digits = self.rng.choice(country.mobile)
        return self.number(country, (prefix,), digits)


@dataclass
class UserDraft:
    name: str
    email: str
    weight: float  # how big a share of the leads this rep carries
    created_at: datetime

    def row(self) -> dict[str, Any]:
        stamps = {"created_at": self.created_at, "updated_at": self.created_at}
        return {"name": self.name, "email": self.email, "is_active": True, "external_id": None, **stamps}


@dataclass
class OrgDraft:
    name: str
    short_name: str
    domain: str
    industry: Industry
    country: Country
    city: City
    employees: int
    revenue: Decimal | None
    parent_name: str | None
    owner: int  # index of the sales person who owns the account
    email_style: int
    created_at: datetime
    persons: list[int] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "industry": self.industry.name,
            "employee_count": self.employees,
            "annual_revenue": self.revenue,
            "country": self.country.name,
            "region": self.city.region,
            "city": self.city.name,
            "website": f"https://www.{self.domain}",
            "parent_name": self.parent_name,
            "external_id": None,
            "created_at": self.created_at,
            "updated_at": self.created_at,
        }


@dataclass
class PersonDraft:
    first_name: str
    last_name: str
    job: JobTitle
    org: int
    emails: list[dict[str, str]]
    phones: list[dict[str, str]]
    channel: ContactChannel | None
    hours: str | None
    notes: str | None
    created_at: datetime

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def row(self, org_ids: Sequence[int]) -> dict[str, Any]:
        return {
            "name": self.name,
            "job_title": self.job.title,
            "department": self.job.department,
            "organization_id": org_ids[self.org],
            "emails": self.emails,
            "phones": self.phones,
            "decision_role": self.job.role,
            "preferred_channel": self.channel,
            "best_contact_hours": self.hours,
            "notes": self.notes,
            "external_id": None,
            "created_at": self.created_at,
            "updated_at": self.created_at,
        }


class PeopleFactory:
    """Generates the people and companies; one Faker per locale, all seeded from the one seed."""

    def __init__(self, rng: random.Random, seed: int, start: datetime) -> None:
        self.rng = rng
        self.start = start  # the beginning of the demo year
        self.phones = PhoneBook(rng)
        self.fakers: dict[str, Faker] = {}
        for i, country in enumerate(catalog.COUNTRIES):
            fake = Faker(country.locale)
            fake.seed_instance(seed * 1_000 + i)
            self.fakers[country.locale] = fake
        self.org_names: set[str] = set()
        self.emails: set[str] = set()

    def _before_start(self, most_days: int) -> datetime:
        return self.start - timedelta(days=self.rng.randint(1, most_days), seconds=self.rng.randrange(86_400))

    def users(self, count: int) -> list[UserDraft]:
        fake = self.fakers["en_US"]
        users: list[UserDraft] = []
        emails: set[str] = set()
        while len(users) < count:
            first, last = fake.first_name(), fake.last_name()
            email = checked_email(f"{slug(first, '')}.{slug(last, '')}@{catalog.SALES_DOMAIN}")
            if email in emails:
                continue
            emails.add(email)
            users.append(UserDraft(f"{first} {last}", email, self.rng.lognormvariate(0, 0.35), self._before_start(400)))
        return users

    def organizations(self, count: int, user_count: int) -> list[OrgDraft]:
        countries = [(c, c.weight) for c in catalog.COUNTRIES]
        industries = [(i, i.weight) for i in catalog.INDUSTRIES]
        orgs: list[OrgDraft] = []
        for _ in range(count):
            orgs.append(self._organization(pick(self.rng, countries), pick(self.rng, industries), user_count, orgs))
        return orgs

    def _organization(self, country: Country, industry: Industry, user_count: int, earlier: list[OrgDraft]) -> OrgDraft:
        short = self._company_name(country, industry)
        legal = self.rng.choice(country.legal_forms)
        employees = self._employees()
        revenue = round_significant(employees * industry.revenue_per_employee * self.rng.lognormvariate(0, 0.3), 3)
        siblings = [o for o in earlier if o.country is country and o.parent_name is None]
        parent = self.rng.choice(siblings).name if siblings and self.rng.random() < 0.04 else None
        return OrgDraft(
            name=f"{short} {legal}".strip(),
            short_name=short,
            domain=f"{slug(short)}.example",
            industry=industry,
            country=country,
            city=self.rng.choice(country.cities),
            employees=employees,
            revenue=Decimal(revenue),
            parent_name=parent,
            owner=self.rng.randrange(user_count),
            email_style=pick(self.rng, [(0, 6), (1, 3), (2, 1)]),
            created_at=self.start,  # moved before the first lead once the leads exist
        )

    def _company_name(self, country: Country, industry: Industry) -> str:
        fake = self.fakers[country.locale]
        while True:
            if self.rng.random() < 0.6:
                name = f"{fake.last_name()} {self.rng.choice(industry.nouns)}"
            else:
                name = fake.last_name() + self.rng.choice([" & " + fake.last_name(), " Group", "tec", " Solutions"])
            if name not in self.org_names and slug(name):
                self.org_names.add(name)
                return name

    def _employees(self) -> int:
        low, high = pick(self.rng, [((lo, hi), share) for lo, hi, share in catalog.COMPANY_SIZES])
        count = math.exp(self.rng.uniform(math.log(low), math.log(high)))
        return max(low, min(high, round_significant(count, 2))) if count >= 100 else round(count)

    def persons(self, orgs: list[OrgDraft]) -> list[PersonDraft]:
        persons: list[PersonDraft] = []
        for index, org in enumerate(orgs):
            # Bigger companies have more people in the buying group.
            size = 1 + (org.employees >= 250) + (org.employees >= 2_000)
            for position in range(pick(self.rng, [(1, 40), (2, 40), (3, 20)]) + size - 1):
                org.persons.append(len(persons))
                persons.append(self._person(index, org, first=position == 0))
        return persons

    def _person(self, index: int, org: OrgDraft, *, first: bool) -> PersonDraft:
        fake = self.fakers[org.country.locale]
        first_name, last_name = fake.first_name(), fake.last_name()
        # The first contact of an account is usually someone who can decide or push for a decision.
        jobs = [(j, j.weight * (3 if first and j.role != DecisionRole.GATEKEEPER else 1)) for j in catalog.JOB_TITLES]
        job = pick(self.rng, jobs)
        return PersonDraft(
            first_name=first_name,
            last_name=last_name,
            job=job,
            org=index,
            emails=self._emails(first_name, last_name, org),
            phones=self._phones(org),
            channel=pick(self.rng, catalog.PREFERRED_CHANNELS),
            hours=pick(self.rng, catalog.BEST_CONTACT_HOURS),
            notes=self.rng.choice(catalog.PERSON_NOTES) if self.rng.random() < 0.12 else None,
            created_at=self.start,
        )

    def _emails(self, first: str, last: str, org: OrgDraft) -> list[dict[str, str]]:
        first_slug, last_slug = slug(first, "") or "info", slug(last, "") or "contact"
        styles = [f"{first_slug}.{last_slug}", f"{first_slug[0]}{last_slug}", first_slug]
        # Companies use one style for everyone; a clash (two Anna Müllers) gets a digit, as mail admins do.
        local = styles[org.email_style]
        for n in range(2, 100):
            if f"{local}@{org.domain}" not in self.emails:
                break
            local = f"{styles[org.email_style]}{n}"
        work = checked_email(f"{local}@{org.domain}")
        self.emails.add(work)
        emails = [{"label": "work", "value": work}]
        if self.rng.random() < 0.25:
            personal = f"{first_slug}.{last_slug}{self.rng.randint(1, 99)}@mail.example"
            emails.append({"label": "personal", "value": checked_email(personal)})
        return emails

    def _phones(self, org: OrgDraft) -> list[dict[str, str]]:
        roll = self.rng.random()
        phones = []
        if roll < 0.85:
            phones.append({"label": "work", "value": self.phones.work(org.country, org.city)})
        if roll > 0.55:
            mobile = self.phones.mobile(org.country, org.city)
            if not phones or phones[0]["value"] != mobile:  # the service refuses a number listed twice
                phones.append({"label": "mobile", "value": mobile})
        return phones
