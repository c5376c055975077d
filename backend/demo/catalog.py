"""The fixed content of the demo data set: countries, industries, job titles, products, tags and texts.

Everything here is hand-written so the demo reads like a real B2B sales team's CRM. Names of people and
companies come from Faker; emails and websites use the reserved `.example` TLD (RFC 2606) and US, Canadian,
British and Australian phone numbers come from the ranges those regulators reserve for fiction, so the demo
never points at a real business's mailbox where that can be helped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from backend.contacts.models import ContactChannel, DecisionRole
from backend.products.models import BillingTerm, BundlePricing, ProductUnit, RelationKind
from backend.products.pricing import bundle_price


@dataclass(frozen=True)
class City:
    name: str
    region: str
    # A work number is the country code, one of these prefixes and `digits` random digits.
    phone_prefixes: tuple[str, ...]
    digits: int


@dataclass(frozen=True)
class Country:
    name: str
    code: str  # ISO 3166-1 alpha-2, also the phonenumbers region
    locale: str  # Faker locale for person and company names
    weight: int
    cities: tuple[City, ...]
    mobile: tuple[tuple[str, int], ...]
    legal_forms: tuple[str, ...]


def _nanp(*cities: tuple[str, str, str]) -> tuple[City, ...]:
    """NANP numbers 555-0100..0199 are reserved for fiction in every area code: 100 per code, so each city
    gets all of its area codes."""
    return tuple(City(name, region, tuple(f"{a}55501" for a in areas.split()), 2) for name, region, areas in cities)


def _ofcom(*cities: tuple[str, str, str]) -> tuple[City, ...]:
    """Ofcom's drama ranges: 0113 496 0xxx, 020 7946 0xxx and so on."""
    return tuple(City(name, region, (prefix,), 3) for name, region, prefix in cities)


def _city(name: str, region: str, prefix: str, digits: int) -> City:
    return City(name, region, (prefix,), digits)


COUNTRIES: tuple[Country, ...] = (
    Country(
        "United States",
        "US",
        "en_US",
        34,
        _nanp(
            ("New York", "New York", "212 646 332 917 718"),
            ("San Francisco", "California", "415 628"),
            ("Chicago", "Illinois", "312 872 773"),
            ("Boston", "Massachusetts", "617 857"),
            ("Austin", "Texas", "512 737"),
            ("Seattle", "Washington", "206 564"),
            ("Atlanta", "Georgia", "404 470 678"),
            ("Denver", "Colorado", "303 720"),
            ("Dallas", "Texas", "214 469 972"),
            ("Miami", "Florida", "305 786"),
        ),
        (),  # NANP mobiles look like landlines: the city's range serves both
        ("Inc.", "LLC", "Corp.", ""),
    ),
    Country(
        "United Kingdom",
        "GB",
        "en_GB",
        12,
        _ofcom(
            ("London", "Greater London", "2079460"),
            ("Manchester", "Greater Manchester", "1614960"),
            ("Birmingham", "West Midlands", "1214960"),
            ("Leeds", "West Yorkshire", "1134960"),
            ("Bristol", "South West England", "1174960"),
            ("Edinburgh", "Scotland", "1314960"),
            ("Glasgow", "Scotland", "1414960"),
        ),
        (("7723", 6), ("7400", 6)),
        ("Ltd", "plc", "Ltd"),
    ),
    Country(
        "Germany",
        "DE",
        "de_DE",
        12,
        (
            _city("Berlin", "Berlin", "30", 8),
            _city("Munich", "Bavaria", "89", 8),
            _city("Hamburg", "Hamburg", "40", 8),
            _city("Frankfurt am Main", "Hesse", "69", 8),
            _city("Cologne", "North Rhine-Westphalia", "221", 7),
            _city("Stuttgart", "Baden-Württemberg", "711", 7),
            _city("Düsseldorf", "North Rhine-Westphalia", "211", 7),
        ),
        (("151", 8), ("160", 7), ("170", 8), ("176", 8)),
        ("GmbH", "AG", "GmbH & Co. KG", "GmbH"),
    ),
    Country(
        "France",
        "FR",
        "fr_FR",
        8,
        (
            _city("Paris", "Île-de-France", "1", 8),
            _city("Lyon", "Auvergne-Rhône-Alpes", "4", 8),
            _city("Marseille", "Provence-Alpes-Côte d'Azur", "4", 8),
            _city("Toulouse", "Occitanie", "5", 8),
            _city("Lille", "Hauts-de-France", "3", 8),
            _city("Nantes", "Pays de la Loire", "2", 8),
            _city("Bordeaux", "Nouvelle-Aquitaine", "5", 8),
        ),
        (("6", 8), ("7", 8)),
        ("SAS", "SA", "SARL"),
    ),
    Country(
        "Canada",
        "CA",
        "en_CA",
        8,
        _nanp(
            ("Toronto", "Ontario", "416 647 437"),
            ("Vancouver", "British Columbia", "604 778 236"),
            ("Montreal", "Quebec", "514 438"),
            ("Calgary", "Alberta", "403 587 825"),
            ("Ottawa", "Ontario", "613 343"),
        ),
        (),
        ("Inc.", "Ltd.", "Corp."),
    ),
    Country(
        "Netherlands",
        "NL",
        "nl_NL",
        6,
        (
            _city("Amsterdam", "North Holland", "20", 7),
            _city("Rotterdam", "South Holland", "10", 7),
            _city("Utrecht", "Utrecht", "30", 7),
            _city("Eindhoven", "North Brabant", "40", 7),
            _city("The Hague", "South Holland", "70", 7),
        ),
        (("6", 8),),
        ("B.V.", "N.V.", "B.V."),
    ),
    Country(
        "Australia",
        "AU",
        "en_AU",
        6,
        (
            # ACMA's ranges for fiction: 02 5550 xxxx, 03 7010 xxxx, 07 5550 xxxx, 08 7010 xxxx, 0491 570 xxx.
            _city("Sydney", "New South Wales", "25550", 4),
            _city("Melbourne", "Victoria", "37010", 4),
            _city("Brisbane", "Queensland", "75550", 4),
            _city("Perth", "Western Australia", "87010", 4),
            _city("Adelaide", "South Australia", "87010", 4),
        ),
        (("491570", 3),),
        ("Pty Ltd", "Ltd"),
    ),
    Country(
        "Spain",
        "ES",
        "es_ES",
        5,
        (
            _city("Madrid", "Community of Madrid", "91", 7),
            _city("Barcelona", "Catalonia", "93", 7),
            _city("Valencia", "Valencian Community", "96", 7),
            _city("Seville", "Andalusia", "95", 7),
            _city("Bilbao", "Basque Country", "94", 7),
        ),
        (("6", 8),),
        ("S.L.", "S.A."),
    ),
    Country(
        "Sweden",
        "SE",
        "sv_SE",
        4,
        (
            _city("Stockholm", "Stockholm County", "8", 7),
            _city("Gothenburg", "Västra Götaland", "31", 7),
            _city("Malmö", "Skåne", "40", 6),
        ),
        (("70", 7), ("73", 7)),
        ("AB",),
    ),
    Country(
        "India",
        "IN",
        "en_IN",
        5,
        (
            _city("Bengaluru", "Karnataka", "80", 8),
            _city("Mumbai", "Maharashtra", "22", 8),
            _city("New Delhi", "Delhi", "11", 8),
            _city("Pune", "Maharashtra", "20", 8),
            _city("Hyderabad", "Telangana", "40", 8),
        ),
        (("98", 8), ("99", 8)),
        ("Pvt Ltd", "Ltd"),
    ),
)


@dataclass(frozen=True)
class Industry:
    name: str
    weight: int
    revenue_per_employee: int  # USD, a typical order of magnitude for the sector
    nouns: tuple[str, ...]  # for company names such as "Harper Logistics"


INDUSTRIES: tuple[Industry, ...] = (
    Industry("Software", 14, 220_000, ("Software", "Labs", "Systems", "Technologies")),
    Industry("Manufacturing", 13, 280_000, ("Manufacturing", "Industries", "Components", "Precision")),
    Industry("Financial services", 9, 420_000, ("Capital", "Finance", "Insurance", "Asset Management")),
    Industry("Healthcare", 9, 160_000, ("Health", "Medical", "Diagnostics", "Care")),
    Industry("Retail", 8, 210_000, ("Retail", "Stores", "Brands", "Outfitters")),
    Industry("Logistics", 8, 230_000, ("Logistics", "Freight", "Transport", "Shipping")),
    Industry("Professional services", 10, 190_000, ("Consulting", "Advisors", "Partners", "Associates")),
    Industry("Telecommunications", 5, 480_000, ("Telecom", "Networks", "Communications")),
    Industry("Energy", 5, 650_000, ("Energy", "Power", "Renewables")),
    Industry("Construction", 6, 260_000, ("Construction", "Builders", "Engineering")),
    Industry("Education", 5, 90_000, ("Academy", "Learning", "Institute")),
    Industry("Hospitality", 5, 110_000, ("Hotels", "Hospitality", "Restaurants")),
)

# (lowest, highest) employee counts with the share of organizations in that band.
COMPANY_SIZES: tuple[tuple[int, int, int], ...] = (
    (10, 49, 20),
    (50, 249, 35),
    (250, 999, 25),
    (1_000, 4_999, 15),
    (5_000, 60_000, 5),
)


@dataclass(frozen=True)
class JobTitle:
    title: str
    department: str
    role: DecisionRole
    weight: int


JOB_TITLES: tuple[JobTitle, ...] = (
    JobTitle("Chief Executive Officer", "Executive", DecisionRole.DECISION_MAKER, 3),
    JobTitle("Chief Revenue Officer", "Sales", DecisionRole.DECISION_MAKER, 2),
    JobTitle("Chief Financial Officer", "Finance", DecisionRole.DECISION_MAKER, 2),
    JobTitle("Chief Information Officer", "IT", DecisionRole.DECISION_MAKER, 2),
    JobTitle("VP of Sales", "Sales", DecisionRole.DECISION_MAKER, 4),
    JobTitle("VP of Customer Success", "Customer Success", DecisionRole.DECISION_MAKER, 2),
    JobTitle("Head of Marketing", "Marketing", DecisionRole.DECISION_MAKER, 3),
    JobTitle("Head of Sales Operations", "Sales", DecisionRole.INFLUENCER, 4),
    JobTitle("IT Director", "IT", DecisionRole.INFLUENCER, 3),
    JobTitle("Sales Manager", "Sales", DecisionRole.INFLUENCER, 5),
    JobTitle("Marketing Operations Manager", "Marketing", DecisionRole.INFLUENCER, 3),
    JobTitle("Customer Service Manager", "Customer Service", DecisionRole.INFLUENCER, 3),
    JobTitle("Business Analyst", "Operations", DecisionRole.INFLUENCER, 3),
    JobTitle("Solutions Architect", "IT", DecisionRole.INFLUENCER, 2),
    JobTitle("Account Executive", "Sales", DecisionRole.USER, 4),
    JobTitle("Sales Development Representative", "Sales", DecisionRole.USER, 3),
    JobTitle("Support Team Lead", "Customer Service", DecisionRole.USER, 3),
    JobTitle("CRM Administrator", "IT", DecisionRole.USER, 3),
    JobTitle("Procurement Manager", "Procurement", DecisionRole.GATEKEEPER, 4),
    JobTitle("Executive Assistant", "Executive", DecisionRole.GATEKEEPER, 3),
    JobTitle("Office Manager", "Administration", DecisionRole.GATEKEEPER, 2),
)

PREFERRED_CHANNELS: tuple[tuple[ContactChannel | None, int], ...] = (
    (ContactChannel.EMAIL, 45),
    (ContactChannel.PHONE, 25),
    (ContactChannel.IN_PERSON, 8),
    (ContactChannel.CHAT, 10),
    (ContactChannel.SMS, 4),
    (None, 8),
)
BEST_CONTACT_HOURS: tuple[tuple[str | None, int], ...] = (
    (None, 40),
    ("09:00-11:00", 12),
    ("Mornings", 12),
    ("Afternoons", 10),
    ("14:00-16:00", 10),
    ("Tue/Thu mornings", 6),
    ("After 16:00", 5),
)
PERSON_NOTES: tuple[str, ...] = (
    "Prefers short calls with an agenda sent the day before.",
    "Book meetings through the assistant; calendar is full weeks ahead.",
    "Met at a trade show; very interested in reporting.",
    "Former customer at a previous company.",
    "Travels a lot: email first, then call.",
    "Asks for references from the same industry.",
)


@dataclass(frozen=True)
class BundleSpec:
    sku: str
    name: str
    category: str
    description: str
    parts: tuple[tuple[str, int], ...]  # (sku, quantity)
    discount_percent: Decimal | None  # sum of the parts less this; None: the fixed price below
    fixed_price: Decimal | None


@dataclass(frozen=True)
class ProductSpec:
    sku: str
    name: str
    category: str  # a path of nested categories, "Software / Sales Cloud"
    list_price: Decimal  # per unit; for subscriptions per billing period (a month, or a year)
    unit: ProductUnit
    billing_term: BillingTerm
    term_months: int | None
    description: str
    # "core" products lead a deal; "extra" ones are added to it.
    role: str
    features: tuple[str, ...] = ()
    bundle: BundleSpec | None = None


# sku | name | category | list price | unit | billing term | months | role | description
_PRODUCT_TABLE = """
SC-STD-1Y | Sales Cloud Standard | Software / Sales Cloud | 540.00 | seat | annual | | core | Pipeline, contacts, email.
SC-PRO-1Y | Sales Cloud Professional | Software / Sales Cloud | 960.00 | seat | annual | | core | Forecasts, automation.
SC-ENT-1Y | Sales Cloud Enterprise | Software / Sales Cloud | 1680.00 | seat | annual | | core | Territories and SSO.
SC-ENT-3Y | Sales Cloud Enterprise (3-year) | Software / Sales Cloud | 1500.00 | seat | multi_year | 36 | core | 3 years
SC-STD-1M | Sales Cloud Standard (monthly) | Software / Sales Cloud | 50.00 | seat | monthly | | core | Month to month.
SD-PRO-1Y | Service Desk Professional | Software / Service Desk | 720.00 | seat | annual | | core | Tickets and SLAs.
MH-GRW-1Y | Marketing Hub Growth | Software / Marketing Hub | 9600.00 | license | annual | | core | 10,000 contacts.
MH-ENT-1Y | Marketing Hub Enterprise | Software / Marketing Hub | 36000.00 | license | annual | | core | Multi-brand.
AD-ANL-1Y | Advanced Analytics add-on | Software / Add-ons | 240.00 | seat | annual | | extra | Dashboards, cohorts.
AD-AIF-1Y | AI Forecasting add-on | Software / Add-ons | 360.00 | seat | annual | | extra | Predictive scores.
AD-CPQ-1Y | Quote & Contract (CPQ) | Software / Add-ons | 420.00 | seat | annual | | extra | Quotes, e-signature.
AD-SBX-1Y | Full Sandbox | Software / Add-ons | 6000.00 | license | annual | | extra | A copy of production.
AD-STO-1M | Extra storage 100 GB | Software / Add-ons | 125.00 | unit | monthly | | extra | Files beyond the plan.
AD-API-1M | API calls (per 10,000) | Software / Add-ons | 8.00 | usage | monthly | | extra | Above the allowance.
PS-ONB-S | Onboarding package S | Services / Implementation | 4500.00 | unit | one_time | | extra | Up to 25 users.
PS-ONB-L | Onboarding package L | Services / Implementation | 18000.00 | unit | one_time | | extra | Guided rollout.
PS-MIG | Data migration | Services / Implementation | 7500.00 | unit | one_time | | extra | From sheets or a CRM.
PS-CON-H | Consulting (hourly) | Services / Consulting | 185.00 | hour | one_time | | extra | Process and setup.
PS-INT-H | Integration development (hourly) | Services / Consulting | 210.00 | hour | one_time | | extra | ERP, billing.
TR-ADM | Administrator training (2 days) | Services / Training | 1200.00 | seat | one_time | | extra | Certification.
TR-WSH | End-user training workshop | Services / Training | 2400.00 | unit | one_time | | extra | A half-day workshop.
TR-ELR-1Y | E-learning library | Services / Training | 60.00 | seat | annual | | extra | Self-paced courses.
SP-PRM-1Y | Premium Support | Support | 12000.00 | license | annual | | extra | 24/7, one-hour response.
SP-TAM-1Y | Technical Account Manager | Support | 38000.00 | license | annual | | extra | A named engineer.
HW-KSK | Front-desk kiosk tablet | Hardware / Devices | 890.00 | unit | one_time | | extra | Lead capture at events.
"""


def _products(table: str) -> tuple[ProductSpec, ...]:
    specs = []
    for line in table.strip().splitlines():
        sku, name, category, price, unit, term, months, role, text = (cell.strip() for cell in line.split("|"))
        specs.append(
            ProductSpec(
                sku,
                name,
                category,
                Decimal(price),
                ProductUnit(unit),
                BillingTerm(term),
                int(months or 0) or None,
                text,
                role,
            )
        )
    return tuple(specs)


SINGLE_PRODUCTS = _products(_PRODUCT_TABLE)

FEATURES: dict[str, tuple[str, ...]] = {
    "SC-STD-1Y": ("Pipeline board", "Email sync", "Mobile app"),
    "SC-PRO-1Y": ("Pipeline board", "Email sync", "Forecasting", "Workflow automation", "Custom reports"),
    "SC-ENT-1Y": ("Forecasting", "Territories", "Approval flows", "SSO", "Sandbox"),
    "SC-ENT-3Y": ("Forecasting", "Territories", "Approval flows", "SSO", "Sandbox", "Price lock"),
    "SC-STD-1M": ("Pipeline board", "Email sync"),
    "SD-PRO-1Y": ("Ticketing", "SLAs", "Customer portal", "Knowledge base"),
    "MH-GRW-1Y": ("Email campaigns", "Landing pages", "Forms"),
    "MH-ENT-1Y": ("Email campaigns", "Attribution", "Multi-brand", "Journeys"),
    "AD-ANL-1Y": ("Dashboards", "Cohorts", "Scheduled reports"),
    "AD-AIF-1Y": ("Predictive scoring", "Forecast ranges"),
    "AD-CPQ-1Y": ("Quotes", "Price books", "E-signature"),
    "SP-PRM-1Y": ("24/7 support", "One-hour response"),
    "SP-TAM-1Y": ("Named engineer", "Quarterly reviews"),
}
# Volume tiers: from this many units on, each costs this much (seats get cheaper in bulk).
TIERS: dict[str, tuple[tuple[int, str], ...]] = {
    "SC-STD-1Y": ((50, "510.00"), (200, "480.00")),
    "SC-PRO-1Y": ((50, "912.00"), (200, "864.00"), (500, "816.00")),
    "SC-ENT-1Y": ((100, "1596.00"), (500, "1512.00")),
    "SC-ENT-3Y": ((100, "1425.00"), (500, "1350.00")),
    "SD-PRO-1Y": ((50, "684.00"), (200, "648.00")),
    "AD-API-1M": ((500, "7.00"), (1000, "6.00")),
}


BUNDLES: tuple[BundleSpec, ...] = (
    BundleSpec(
        "BN-IMPL",
        "Implementation bundle",
        "Services / Implementation",
        "Onboarding, migration and two admins trained.",
        (("PS-ONB-S", 1), ("PS-MIG", 1), ("TR-ADM", 2)),
        Decimal(10),
        None,
    ),
    BundleSpec(
        "BN-ENBL",
        "Team enablement bundle",
        "Services / Training",
        "Two workshops and one administrator trained.",
        (("TR-WSH", 2), ("TR-ADM", 1)),
        None,
        Decimal("5500.00"),
    ),
)


def _bundle_product(bundle: BundleSpec) -> ProductSpec:
    """A bundle is a product too; its list price is what the catalogue service computes for it."""
    prices = {p.sku: p.list_price for p in SINGLE_PRODUCTS}
    parts = [(Decimal(quantity), prices[sku]) for sku, quantity in bundle.parts]
    how = BundlePricing.FIXED if bundle.fixed_price is not None else BundlePricing.SUM_OF_PARTS
    price = bundle_price(how, bundle.fixed_price or Decimal(0), bundle.discount_percent, parts)
    return ProductSpec(
        bundle.sku,
        bundle.name,
        bundle.category,
        price,
        ProductUnit.UNIT,
        BillingTerm.ONE_TIME,
        None,
        bundle.description,
        "extra",
        bundle=bundle,
    )


PRODUCTS: tuple[ProductSpec, ...] = (
    *(replace(p, features=FEATURES.get(p.sku, ())) for p in SINGLE_PRODUCTS),
    *(_bundle_product(b) for b in BUNDLES),
)
# Cross-sell: (product, related product, kind).
RELATIONS: tuple[tuple[str, str, RelationKind], ...] = (
    ("SC-STD-1Y", "SC-PRO-1Y", RelationKind.UPGRADE),
    ("SC-PRO-1Y", "SC-ENT-1Y", RelationKind.UPGRADE),
    ("SC-ENT-1Y", "SC-ENT-3Y", RelationKind.UPGRADE),
    ("SC-STD-1M", "SC-STD-1Y", RelationKind.UPGRADE),
    ("SC-PRO-1Y", "AD-ANL-1Y", RelationKind.ADD_ON),
    ("SC-PRO-1Y", "AD-AIF-1Y", RelationKind.ADD_ON),
    ("SC-PRO-1Y", "AD-CPQ-1Y", RelationKind.ADD_ON),
    ("SC-ENT-1Y", "AD-SBX-1Y", RelationKind.ADD_ON),
    ("SC-ENT-1Y", "SP-TAM-1Y", RelationKind.ADD_ON),
    ("SD-PRO-1Y", "SP-PRM-1Y", RelationKind.ADD_ON),
    ("MH-GRW-1Y", "MH-ENT-1Y", RelationKind.UPGRADE),
    ("PS-ONB-S", "BN-IMPL", RelationKind.RELATED),
    ("TR-WSH", "BN-ENBL", RelationKind.RELATED),
)

# Distinct colours (Tailwind's 600 shades) so the board's chips tell tags apart.
TAGS: tuple[tuple[str, str], ...] = (
    ("Enterprise", "#4f46e5"),
    ("SMB", "#0891b2"),
    ("Key account", "#9333ea"),
    ("Strategic", "#c026d3"),
    ("Renewal", "#16a34a"),
    ("Upsell", "#65a30d"),
    ("Partner deal", "#0d9488"),
    ("Referral", "#2563eb"),
    ("Competitive", "#dc2626"),
    ("Budget approved", "#ca8a04"),
    ("Needs follow-up", "#ea580c"),
    ("Trial", "#475569"),
)

# The share of leads per stage code: a funnel with many early leads and a realistic win rate (about a third
# of the closed leads are won).
STAGE_SHARES: dict[str, int] = {
    "new": 19,
    "contacted": 17,
    "qualified": 12,
    "demo": 8,
    "negotiation": 6,
    "won": 13,
    "lost": 25,
}
# From which open stage lost leads drop out.
LOST_FROM: dict[str, int] = {"new": 22, "contacted": 30, "qualified": 22, "demo": 15, "negotiation": 11}
# Leads that are further along more often carry product lines.
LINES_SHARE: dict[str, float] = {
    "new": 0.25,
    "contacted": 0.4,
    "qualified": 0.65,
    "demo": 0.75,
    "negotiation": 0.85,
    "won": 0.85,
    "lost": 0.5,
}
# Early leads often have no estimate yet.
NO_VALUE_SHARE: dict[str, float] = {"new": 0.3, "contacted": 0.1}
# Typical score per stage (mean, spread); most lost leads scored low.
SCORES: dict[str, tuple[int, int]] = {
    "new": (35, 18),
    "contacted": (45, 18),
    "qualified": (60, 15),
    "demo": (68, 14),
    "negotiation": (78, 12),
    "won": (84, 10),
    "lost": (32, 18),
}

EARLY_LOST_REASONS: tuple[tuple[str, int], ...] = (
    ("No budget this fiscal year", 5),
    ("Not a fit: too small for our plans", 3),
    ("No response after several attempts", 5),
    ("Timing: project postponed to next year", 3),
    ("Chose a competitor", 2),
)
LATE_LOST_REASONS: tuple[tuple[str, int], ...] = (
    ("Chose a competitor", 6),
    ("Price too high", 5),
    ("No decision: project shelved", 3),
    ("Missing must-have feature", 3),
    ("Went dark after the proposal", 2),
    ("Timing: project postponed to next year", 2),
)
LOST_TO_COMPETITOR = "Chose a competitor"
# A lost reason implies a win/loss factor.
REASON_FACTORS = {
    "Price too high": "Price",
    "Missing must-have feature": "Missing feature",
    LOST_TO_COMPETITOR: "Competitor relationship",
    "No budget this fiscal year": "No budget",
    "Timing: project postponed to next year": "Timing",
}
COMPETITORS: tuple[str, ...] = ("Northwind CRM", "Contoso Sales", "Fabrikam Suite", "Tailspin Pipeline", "spreadsheets")


@dataclass(frozen=True)
class CompetitorSpec:
    name: str
    product: str
    seat_price: Decimal  # per seat and year
    strengths: str
    weaknesses: str


COMPETITOR_PROFILES: tuple[CompetitorSpec, ...] = (
    CompetitorSpec(
        "Northwind CRM", "Northwind Sales Pro", Decimal("780.00"), "Low price, simple setup.", "Weak reporting."
    ),
    CompetitorSpec(
        "Contoso Sales",
        "Contoso Sales Enterprise",
        Decimal("1500.00"),
        "Big brand, many apps.",
        "Costly, slow rollout.",
    ),
    CompetitorSpec("Fabrikam Suite", "Fabrikam CRM", Decimal("1100.00"), "Bundled with their ERP.", "Dated interface."),
    CompetitorSpec(
        "Tailspin Pipeline", "Tailspin Teams", Decimal("600.00"), "Loved by small teams.", "No territories or SSO."
    ),
)
WON_FACTORS: tuple[tuple[str, int], ...] = (
    ("Product fit", 6),
    ("Ease of use", 5),
    ("Forecasting", 3),
    ("Integrations", 3),
    ("Implementation speed", 3),
    ("Price", 2),
    ("Relationship", 3),
    ("Support quality", 2),
)
LOST_FACTORS: tuple[tuple[str, int], ...] = (
    ("Price", 6),
    ("Missing feature", 4),
    ("Competitor relationship", 3),
    ("Timing", 3),
    ("No budget", 3),
    ("Integrations", 2),
    ("No executive sponsor", 2),
)

GENERIC_TOPICS: tuple[str, ...] = (
    "CRM evaluation",
    "Sales process redesign",
    "Service desk replacement",
    "Marketing automation",
    "Reporting and forecasting",
    "Partner portal",
)
NEW_BUSINESS_TITLES: tuple[str, ...] = ("{org} - {product}", "{org} - {product} rollout", "{org}: {product} pilot")
EXISTING_BUSINESS_TITLES: tuple[str, ...] = (
    "{org} - renewal {year}",
    "{org} - seat expansion",
    "{org} - {product} upgrade",
    "{org}: {product} for a new team",
)
DESCRIPTIONS: tuple[str, ...] = (
    "{first} ({title}) is evaluating tools for a team of about {team} in {city}.",
    "Came in via {source}; interested in {product}.",
    "Replacing {competitor}; a decision is expected this quarter.",
    "{first} wants one place for pipeline, quotes and forecasts; today it is {competitor}.",
    "Board asked for better revenue reporting; {first} owns the project.",
)

# User activities per stage code: (kind, title, body). Bodies name the contact, the company or a product.
ACTIVITY_TEMPLATES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "new": (
        ("email", "Intro email", "Sent {first} a short intro and two customer stories from {industry}."),
        ("call", "Call attempt", "Tried to reach {first}; left a voicemail, will try again on {day}."),
        ("note", "Inbound request", "{first} asked for pricing through the website; team of about {team}."),
        ("task", "Research the account", "Check {org}'s current tools and who owns the budget."),
    ),
    "contacted": (
        ("call", "Discovery call", "{first} walked us through their sales process; main pain is manual reporting."),
        ("email", "Discovery recap", "Sent the recap and a proposed agenda for a deeper session."),
        ("meeting", "Intro meeting", "45 minutes with {first} and two team leads; they also look at {competitor}."),
        ("note", "Current setup", "They use {competitor} today; the contract ends in about four months."),
    ),
    "qualified": (
        ("note", "Qualification", "Budget approved for this year, {first} signs off, rollout planned within 90 days."),
        ("call", "Requirements call", "Went through integrations (ERP, email) and reporting needs with ops."),
        ("email", "Security documents", "Sent our security whitepaper and DPA for their IT review."),
    ),
    "demo": (
        ("meeting", "Product demo", "Demo of {product} for {first}'s team; strong interest in forecasting."),
        ("meeting", "Technical deep dive", "IT reviewed SSO, API limits and data residency; no blockers."),
        ("email", "Demo follow-up", "Sent the recording, trial access and a draft timeline."),
    ),
    "negotiation": (
        ("email", "Proposal sent", "Sent the proposal for {product}; valid until the end of the month."),
        ("call", "Pricing discussion", "{first} asked for a multi-year discount; procurement is involved now."),
        ("meeting", "Contract review", "Went through the order form with procurement and legal; two redlines left."),
        ("note", "Legal redlines", "Their legal team wants liability capped at 12 months of fees; checking."),
    ),
}
WON_NOTE = ("note", "Contract signed", "Signed order form from {first} received; handing over to onboarding.")
LOST_NOTE = ("note", "Closed lost", "{first} told us why: {reason}. Revisit in six months.")
# How many user activities a lead gets in a stage it passed through: (fewest, most).
ACTIVITIES_PER_STAGE: dict[str, tuple[int, int]] = {
    "new": (0, 2),
    "contacted": (1, 2),
    "qualified": (0, 2),
    "demo": (1, 2),
    "negotiation": (1, 3),
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

# Sources (by the migration's names) whose leads are created by a form, not by a sales person.
FORM_SOURCES = frozenset({"Website form", "Content download"})
SALES_DOMAIN = "enterpristore.example"
