"""GraphQL types for contact persons and organizations."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from backend.api.auth import allowed
from backend.api.connections import named_connection
from backend.api.context import Info
from backend.api.errors import UserError
from backend.api.mutations import given, run_in_transaction
from backend.api.relay import Connection, Node, decode_id, to_global_id
from backend.auth.models import Permission
from backend.contacts import service
from backend.contacts.models import ContactChannel, DecisionRole, Organization, Person

if TYPE_CHECKING:
    from backend.leads.types import LeadConnection, LeadFilterInput, LeadOrderInput

LeadConnectionRef = Annotated["LeadConnection", strawberry.lazy("backend.leads.types")]
LeadFilterRef = Annotated["LeadFilterInput", strawberry.lazy("backend.leads.types")]
LeadOrderRef = Annotated["LeadOrderInput", strawberry.lazy("backend.leads.types")]

DecisionRoleEnum = strawberry.enum(DecisionRole, name="DecisionRole")
ContactChannelEnum = strawberry.enum(ContactChannel, name="ContactChannel")


@strawberry.type(description="An email address or phone number with its label (work, home, mobile...).")
class LabelledValue:
    label: str
    value: str


@strawberry.input
class LabelledValueInput:
    value: str
    label: str = "work"


@strawberry.type(name="Organization", description="A company a contact person works for.")
class OrganizationNode(Node):
    id: strawberry.ID
    name: str
    industry: str | None
    employee_count: int | None
    annual_revenue: Decimal | None
    country: str | None
    region: str | None
    city: str | None
    website: str | None
    model: strawberry.Private[Organization]

    @classmethod
    def from_model(cls, org: Organization) -> OrganizationNode:
        return cls(
            id=to_global_id("Organization", org.id),
            name=org.name,
            industry=org.industry,
            employee_count=org.employee_count,
            annual_revenue=org.annual_revenue,
            country=org.country,
            region=org.region,
            city=org.city,
            website=org.website,
            model=org,
        )


@strawberry.type(name="Person", description="A contact person.")
class PersonNode(Node):
    id: strawberry.ID
    name: str
    job_title: str | None
    department: str | None
    emails: list[LabelledValue]
    phones: list[LabelledValue]
    decision_role: DecisionRoleEnum | None  # type: ignore[valid-type]
    preferred_channel: ContactChannelEnum | None  # type: ignore[valid-type]
    best_contact_hours: str | None
    model: strawberry.Private[Person]

    @classmethod
    def from_model(cls, person: Person) -> PersonNode:
        return cls(
            id=to_global_id("Person", person.id),
            name=person.name,
            job_title=person.job_title,
            department=person.department,
            emails=[LabelledValue(label=e["label"], value=e["value"]) for e in person.emails or []],
            phones=[LabelledValue(label=p["label"], value=p["value"]) for p in person.phones or []],
            decision_role=person.decision_role,
            preferred_channel=person.preferred_channel,
            best_contact_hours=person.best_contact_hours,
            model=person,
        )

    @strawberry.field
    async def organization(self, info: Info) -> OrganizationNode | None:
        if self.model.organization_id is None:
            return None
        return OrganizationNode.from_model(await info.context.loaders.organization.load(self.model.organization_id))

    @strawberry.field(description="The leads this person is the contact person of.")
    async def leads(
        self,
        info: Info,
        filter: LeadFilterRef | None = None,
        order_by: list[LeadOrderRef] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> LeadConnectionRef:
        from backend.leads.types import person_lead_connection

        return await person_lead_connection(info, self.model.id, filter, order_by, first, after)


@strawberry.type
class ContactQueries:
    @strawberry.field
    async def person(self, info: Info, id: strawberry.ID) -> PersonNode | None:
        found = await info.context.loaders.person.load(decode_id(id, "Person"))
        return PersonNode.from_model(found) if found else None

    @strawberry.field(description="Contact persons by name; `search` also matches job title, emails and phones.")
    async def persons(
        self, info: Info, search: str | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[PersonNode]:
        return await named_connection(
            info, Person, PersonNode.from_model, search, first, after, ("name", "job_title", "emails", "phones")
        )

    @strawberry.field
    async def organization(self, info: Info, id: strawberry.ID) -> OrganizationNode | None:
        found = await info.context.loaders.organization.load(decode_id(id, "Organization"))
        return OrganizationNode.from_model(found) if found else None

    @strawberry.field
    async def organizations(
        self, info: Info, search: str | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[OrganizationNode]:
        return await named_connection(
            info, Organization, OrganizationNode.from_model, search, first, after, ("name", "industry", "country")
        )


@strawberry.input
class CreatePersonInput:
    name: str
    job_title: str | None = strawberry.UNSET
    department: str | None = strawberry.UNSET
    organization_id: strawberry.ID | None = strawberry.UNSET
    emails: list[LabelledValueInput] | None = strawberry.UNSET
    phones: list[LabelledValueInput] | None = strawberry.UNSET
    decision_role: DecisionRoleEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    preferred_channel: ContactChannelEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    best_contact_hours: str | None = strawberry.UNSET


@strawberry.input(description="Fields left out stay as they are; a field set to null is cleared.")
class UpdatePersonInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    job_title: str | None = strawberry.UNSET
    department: str | None = strawberry.UNSET
    organization_id: strawberry.ID | None = strawberry.UNSET
    emails: list[LabelledValueInput] | None = strawberry.UNSET
    phones: list[LabelledValueInput] | None = strawberry.UNSET
    decision_role: DecisionRoleEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    preferred_channel: ContactChannelEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    best_contact_hours: str | None = strawberry.UNSET


@strawberry.input
class CreateOrganizationInput:
    name: str
    industry: str | None = strawberry.UNSET
    employee_count: int | None = strawberry.UNSET
    annual_revenue: Decimal | None = strawberry.UNSET
    country: str | None = strawberry.UNSET
    region: str | None = strawberry.UNSET
    city: str | None = strawberry.UNSET
    website: str | None = strawberry.UNSET


@strawberry.input(description="Fields left out stay as they are; a field set to null is cleared.")
class UpdateOrganizationInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    industry: str | None = strawberry.UNSET
    employee_count: int | None = strawberry.UNSET
    annual_revenue: Decimal | None = strawberry.UNSET
    country: str | None = strawberry.UNSET
    region: str | None = strawberry.UNSET
    city: str | None = strawberry.UNSET
    website: str | None = strawberry.UNSET


@strawberry.type
class PersonPayload:
    person: PersonNode | None
    errors: list[UserError]


@strawberry.type
class OrganizationPayload:
    organization: OrganizationNode | None
    errors: list[UserError]


PERSON_FIELDS = ("name", "job_title", "department", "decision_role", "preferred_channel", "best_contact_hours")
ORGANIZATION_FIELDS = ("name", "industry", "employee_count", "annual_revenue", "country", "region", "city", "website")


def _person_fields(input: CreatePersonInput | UpdatePersonInput) -> dict[str, object]:
    fields = given(input, *PERSON_FIELDS)
    for name in ("emails", "phones"):
        items = getattr(input, name)
        if items is not strawberry.UNSET:
            fields[name] = [{"label": i.label, "value": i.value} for i in items or []]
    if input.organization_id is not strawberry.UNSET:
        org = input.organization_id
        fields["organization_id"] = decode_id(org, "Organization", "organizationId") if org is not None else None
    return fields


def _person_payload(person: Person | None, errors: list[UserError]) -> PersonPayload:
    return PersonPayload(person=PersonNode.from_model(person) if person else None, errors=errors)


def _organization_payload(org: Organization | None, errors: list[UserError]) -> OrganizationPayload:
    return OrganizationPayload(organization=OrganizationNode.from_model(org) if org else None, errors=errors)


@strawberry.type
class ContactMutations:
    @strawberry.mutation
    async def create_person(self, info: Info, input: CreatePersonInput) -> PersonPayload:
        async def action(session: AsyncSession) -> Person:
            allowed(info, Permission.CREATE_LEADS)
            return await service.create_person(session, _person_fields(input))

        return _person_payload(*await run_in_transaction(info, action))

    @strawberry.mutation
    async def update_person(self, info: Info, input: UpdatePersonInput) -> PersonPayload:
        async def action(session: AsyncSession) -> Person:
            allowed(info, Permission.EDIT_LEADS)
            return await service.update_person(session, decode_id(input.id, "Person"), _person_fields(input))

        return _person_payload(*await run_in_transaction(info, action))

    @strawberry.mutation
    async def create_organization(self, info: Info, input: CreateOrganizationInput) -> OrganizationPayload:
        async def action(session: AsyncSession) -> Organization:
            allowed(info, Permission.CREATE_LEADS)
            return await service.create_organization(session, given(input, *ORGANIZATION_FIELDS))

        return _organization_payload(*await run_in_transaction(info, action))

    @strawberry.mutation
    async def update_organization(self, info: Info, input: UpdateOrganizationInput) -> OrganizationPayload:
        async def action(session: AsyncSession) -> Organization:
            allowed(info, Permission.EDIT_LEADS)
            org_id = decode_id(input.id, "Organization")
            return await service.update_organization(session, org_id, given(input, *ORGANIZATION_FIELDS))

        return _organization_payload(*await run_in_transaction(info, action))
