"""Imports every slice's models so that Base.metadata knows all tables (migrations, tests)."""

from backend.activities.models import Activity
from backend.auth.models import User
from backend.contacts.models import Organization, Person
from backend.db import Base
from backend.leads.models import Lead, LeadCompetitor, LeadProduct, LeadType, Source, Tag, lead_tags
from backend.pipelines.models import Pipeline, Stage
from backend.products.models import BundleItem, PriceTier, Product, ProductRelation

__all__ = [
    "Activity",
    "Base",
    "Lead",
    "LeadProduct",
    "LeadType",
    "Organization",
    "Person",
    "Pipeline",
    "Product",
    "Source",
    "Stage",
    "Tag",
    "User",
    "lead_tags",
]
