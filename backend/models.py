"""Imports every slice's models so that Base.metadata knows all tables (migrations, tests)."""

from backend.activities.models import Activity
from backend.auth.models import ApiToken, Role, SignInFailure, Team, User, UserSession, team_members
from backend.contacts.models import Organization, Person
from backend.db import Base
from backend.leads.models import Lead, LeadCompetitor, LeadProduct, LeadType, SavedFilter, Source, Tag, lead_tags
from backend.pipelines.models import Pipeline, Stage
from backend.products.models import BundleItem, PriceTier, Product, ProductRelation

__all__ = [
    "Activity",
    "ApiToken",
    "Base",
    "BundleItem",
    "Lead",
    "LeadCompetitor",
    "LeadProduct",
    "LeadType",
    "Organization",
    "Person",
    "Pipeline",
    "PriceTier",
    "Product",
    "ProductRelation",
    "Role",
    "SavedFilter",
    "SignInFailure",
    "Source",
    "Stage",
    "Tag",
    "Team",
    "User",
    "UserSession",
    "lead_tags",
    "team_members",
]
