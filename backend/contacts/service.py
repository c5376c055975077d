"""Contact persons and organizations: validated emails and phones, each with a label."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.ext.asyncio import AsyncSession

from backend import validation
from backend.contacts.models import Organization, Person
from backend.errors import DomainError, Problems

LABEL_MAX = 40
DEFAULT_PHONE_REGION = os.environ.get("ENTERPRISTORE_PHONE_REGION", "US")


def normalize_email(problems: Problems, field: str, value: str) -> str | None:
    """Syntax per RFC 5322/6531 with a normalized domain; no DNS lookup (works offline)."""
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        problems.add(field, f"{value!r} is not a valid email address: {error}")
        return None


def normalize_phone(problems: Problems, field: str, value: str, region: str = DEFAULT_PHONE_REGION) -> str | None:
    """E.164 (+4930123456); numbers without a country code are read in the default region."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        problems.add(field, f"{value!r} is not a valid phone number (give it with its country code, e.g. +44 20 ...)")
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _labelled(
    problems: Problems, field: str, items: Sequence[Mapping[str, Any]] | None, normalize: Any
) -> list[dict[str, Any]]:
    cleaned: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, item in enumerate(items or []):
        label = validation.text(problems, f"{field}[{i}].label", item.get("label"), max_length=LABEL_MAX) or "work"
        raw = validation.text(problems, f"{field}[{i}].value", item.get("value"), max_length=320, required=True)
        value = normalize(problems, f"{field}[{i}].value", raw) if raw else None
        if value is None:
            continue
        if value in seen:
            problems.add(f"{field}[{i}].value", f"{value} is listed twice")
            continue
        seen.add(value)
        cleaned.append({"label": label.lower(), "value": value})
    return cleaned


PERSON_TEXT = {"name": 200, "job_title": 200, "department": 200, "best_contact_hours": 120, "notes": 20_000}
ORGANIZATION_TEXT = {"name": 200, "industry": 120, "country": 120, "region": 120, "city": 120, "website": 500}


def _text_fields(problems: Problems, fields: Mapping[str, Any], limits: Mapping[str, int]) -> dict[str, Any]:
    return {
        name: validation.text(problems, name, fields[name], max_length=limit, required=name == "name")
        for name, limit in limits.items()
        if name in fields
    }


async def _clean_person(session: AsyncSession, fields: Mapping[str, Any], creating: bool) -> dict[str, Any]:
    problems = Problems()
    if creating and "name" not in fields:
        problems.add("name", "name is required and cannot be empty")
    clean = _text_fields(problems, fields, PERSON_TEXT)
    if "emails" in fields:
        clean["emails"] = _labelled(problems, "emails", fields["emails"], normalize_email)
    if "phones" in fields:
        clean["phones"] = _labelled(problems, "phones", fields["phones"], normalize_phone)
    for name in ("decision_role", "preferred_channel"):
        if name in fields:
            clean[name] = fields[name]
    if "organization_id" in fields:
        await validation.exists(session, problems, "organization_id", Organization, fields["organization_id"])
        clean["organization_id"] = fields["organization_id"]
    problems.raise_if_any()
    return clean


async def create_person(session: AsyncSession, fields: Mapping[str, Any]) -> Person:
    clean = await _clean_person(session, fields, creating=True)
    person = Person(**{"emails": [], "phones": [], **clean})
    session.add(person)
    await session.flush()
    return person


async def update_person(session: AsyncSession, person_id: int, fields: Mapping[str, Any]) -> Person:
    person = await session.get(Person, person_id)
    if person is None:
        raise DomainError.not_found("id", "no person with this id")
    for name, value in (await _clean_person(session, fields, creating=False)).items():
        setattr(person, name, value)
    await session.flush()
    return person


def _clean_organization(fields: Mapping[str, Any], creating: bool) -> dict[str, Any]:
    problems = Problems()
    if creating and "name" not in fields:
        problems.add("name", "name is required and cannot be empty")
    clean = _text_fields(problems, fields, ORGANIZATION_TEXT)
    if "employee_count" in fields:
        clean["employee_count"] = validation.integer(
            problems, "employee_count", fields["employee_count"], minimum=0, maximum=10_000_000
        )
    if "annual_revenue" in fields:
        clean["annual_revenue"] = validation.decimal(problems, "annual_revenue", fields["annual_revenue"])
    problems.raise_if_any()
    return clean


async def create_organization(session: AsyncSession, fields: Mapping[str, Any]) -> Organization:
    organization = Organization(**_clean_organization(fields, creating=True))
    session.add(organization)
    await session.flush()
    return organization


async def update_organization(session: AsyncSession, organization_id: int, fields: Mapping[str, Any]) -> Organization:
    organization = await session.get(Organization, organization_id)
    if organization is None:
        raise DomainError.not_found("id", "no organization with this id")
    for name, value in _clean_organization(fields, creating=False).items():
        setattr(organization, name, value)
    await session.flush()
    return organization
