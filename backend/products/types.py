"""GraphQL types for the product catalogue."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from backend.api.auth import allowed
from backend.api.context import Info
from backend.api.errors import UserError
from backend.api.mutations import given, run_in_transaction
from backend.api.relay import Connection, Node, build_edges, decode_id, decode_ids, page_info, page_size, to_global_id
from backend.auth.models import Permission
from backend.products import service
from backend.products.models import BillingTerm, BundlePricing, Product, ProductUnit, RelationKind

ProductUnitEnum = strawberry.enum(ProductUnit, name="ProductUnit")
BillingTermEnum = strawberry.enum(BillingTerm, name="BillingTerm")
BundlePricingEnum = strawberry.enum(BundlePricing, name="BundlePricing")


@strawberry.type(description="From minQuantity units on, each unit costs unitPrice.")
class PriceTier:
    min_quantity: Decimal
    unit_price: Decimal


@strawberry.type
class BundleItem:
    quantity: Decimal
    product_id: strawberry.Private[int]

    @strawberry.field
    async def product(self, info: Info) -> ProductNode:
        return ProductNode.from_model(await info.context.loaders.product.load(self.product_id))


@strawberry.type
class SoldWith:
    product: ProductNode
    won_leads: int = strawberry.field(description="Won leads that had both products.")


@strawberry.type(name="Product")
class ProductNode(Node):
    id: strawberry.ID
    sku: str
    name: str
    category: str | None = strawberry.field(description='A path of nested categories: "Software / CRM".')
    description: str | None
    features: list[str]
    list_price: Decimal = strawberry.field(description="Per unit; for subscriptions per month, or per year.")
    currency: str
    unit: ProductUnitEnum  # type: ignore[valid-type]
    billing_term: BillingTermEnum  # type: ignore[valid-type]
    term_months: int | None = strawberry.field(description="A subscription's contract length (default 12).")
    is_active: bool
    is_bundle: bool
    bundle_pricing: BundlePricingEnum  # type: ignore[valid-type]
    bundle_discount_percent: Decimal | None
    model: strawberry.Private[Product]

    @classmethod
    def from_model(cls, product: Product) -> ProductNode:
        return cls(
            id=to_global_id("Product", product.id),
            sku=product.sku,
            name=product.name,
            category=product.category,
            description=product.description,
            features=list(product.features or []),
            list_price=product.list_price,
            currency=product.currency,
            unit=product.unit,
            billing_term=product.billing_term,
            term_months=product.term_months,
            is_active=product.is_active,
            is_bundle=product.is_bundle,
            bundle_pricing=product.bundle_pricing,
            bundle_discount_percent=product.bundle_discount_percent,
            model=product,
        )

    @strawberry.field
    async def price_tiers(self, info: Info) -> list[PriceTier]:
        tiers = await info.context.loaders.product_tiers.load(self.model.id)
        return [PriceTier(min_quantity=t.min_quantity, unit_price=t.unit_price) for t in tiers]

    @strawberry.field(description="What a bundle is made of.")
    async def bundle_items(self, info: Info) -> list[BundleItem]:
        items = await info.context.loaders.bundle_items.load(self.model.id)
        return [BundleItem(quantity=i.quantity, product_id=i.product_id) for i in items]

    @strawberry.field(description="The price of one unit when buying `quantity`: its volume tier, or the base price.")
    async def unit_price(self, info: Info, quantity: Decimal = Decimal(1)) -> Decimal:
        async with info.context.read() as session:
            return await service.unit_price(session, self.model, quantity)

    @strawberry.field
    async def add_ons(self, info: Info) -> list[ProductNode]:
        return await _related(info, self.model.id, RelationKind.ADD_ON)

    @strawberry.field
    async def related_products(self, info: Info) -> list[ProductNode]:
        return await _related(info, self.model.id, RelationKind.RELATED)

    @strawberry.field(description="Upgrade paths.")
    async def upgrades(self, info: Info) -> list[ProductNode]:
        return await _related(info, self.model.id, RelationKind.UPGRADE)

    @strawberry.field(description="Products most often on the same won leads as this one.")
    async def often_sold_with(self, info: Info, first: int = 5) -> list[SoldWith]:
        size = page_size(first, 5, info.context.settings.max_page_size)
        async with info.context.read() as session:
            pairs = await service.often_sold_with(session, self.model.id, size)
        return [SoldWith(product=ProductNode.from_model(p), won_leads=n) for p, n in pairs]


async def _related(info: Info, product_id: int, kind: RelationKind) -> list[ProductNode]:
    loader = {
        RelationKind.ADD_ON: info.context.loaders.product_add_ons,
        RelationKind.RELATED: info.context.loaders.product_related,
        RelationKind.UPGRADE: info.context.loaders.product_upgrades,
    }[kind]
    return [ProductNode.from_model(p) for p in await loader.load(product_id)]


@strawberry.input(name="ProductFilter")
class ProductFilterInput:
    category: str | None = strawberry.field(default=None, description="This category and the ones nested in it.")
    is_active: bool | None = None
    is_bundle: bool | None = None
    billing_term: BillingTermEnum | None = None  # type: ignore[valid-type]
    currency: str | None = None


@strawberry.type
class ProductQueries:
    @strawberry.field
    async def product(self, info: Info, id: strawberry.ID) -> ProductNode | None:
        found = await info.context.loaders.product.load(decode_id(id, "Product"))
        return ProductNode.from_model(found) if found else None

    @strawberry.field(
        description="Products matching a search over SKU, name (any part, ignoring case and accents), category, "
        "features and bundle names, best match first; without a search, by name."
    )
    async def products(
        self,
        info: Info,
        search: str | None = None,
        filter: ProductFilterInput | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ProductNode]:
        settings = info.context.settings
        size = page_size(first, settings.default_page_size, settings.max_page_size)
        f = filter or ProductFilterInput()
        condition = service.product_condition(search, f.category, f.is_active, f.is_bundle, f.billing_term, f.currency)
        async with info.context.read() as session:
            page = await service.search_products(session, condition, search, size, after)

        async def total() -> int:
            async with info.context.read() as session:
                return await service.count_products(session, condition)

        return Connection(edges=build_edges(page, ProductNode.from_model), page_info=page_info(page), count=total)

    @strawberry.field(description="Every product category path in use, parents included, alphabetically.")
    async def product_categories(self, info: Info) -> list[str]:
        async with info.context.read() as session:
            return await service.categories(session)


@strawberry.input
class PriceTierInput:
    min_quantity: Decimal
    unit_price: Decimal


@strawberry.input
class BundleItemInput:
    product_id: strawberry.ID
    quantity: Decimal = Decimal(1)


@strawberry.input
class CreateProductInput:
    sku: str
    name: str
    list_price: Decimal
    currency: str | None = strawberry.UNSET
    category: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    features: list[str] | None = strawberry.UNSET
    unit: ProductUnitEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    billing_term: BillingTermEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    term_months: int | None = strawberry.UNSET
    is_active: bool | None = strawberry.UNSET
    price_tiers: list[PriceTierInput] | None = strawberry.UNSET
    bundle_items: list[BundleItemInput] | None = strawberry.UNSET
    bundle_pricing: BundlePricingEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    bundle_discount_percent: Decimal | None = strawberry.UNSET
    add_on_ids: list[strawberry.ID] | None = strawberry.UNSET
    related_ids: list[strawberry.ID] | None = strawberry.UNSET
    upgrade_ids: list[strawberry.ID] | None = strawberry.UNSET


@strawberry.input(description="Fields left out stay as they are; a field set to null is cleared; lists are replaced.")
class UpdateProductInput:
    id: strawberry.ID
    sku: str | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    list_price: Decimal | None = strawberry.UNSET
    currency: str | None = strawberry.UNSET
    category: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    features: list[str] | None = strawberry.UNSET
    unit: ProductUnitEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    billing_term: BillingTermEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    term_months: int | None = strawberry.UNSET
    is_active: bool | None = strawberry.UNSET
    price_tiers: list[PriceTierInput] | None = strawberry.UNSET
    bundle_items: list[BundleItemInput] | None = strawberry.UNSET
    bundle_pricing: BundlePricingEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    bundle_discount_percent: Decimal | None = strawberry.UNSET
    add_on_ids: list[strawberry.ID] | None = strawberry.UNSET
    related_ids: list[strawberry.ID] | None = strawberry.UNSET
    upgrade_ids: list[strawberry.ID] | None = strawberry.UNSET


@strawberry.type
class ProductPayload:
    product: ProductNode | None
    errors: list[UserError]


PRODUCT_FIELDS = (
    "sku",
    "name",
    "list_price",
    "currency",
    "category",
    "description",
    "features",
    "unit",
    "billing_term",
    "term_months",
    "is_active",
    "bundle_pricing",
    "bundle_discount_percent",
)


def _product_fields(input: CreateProductInput | UpdateProductInput) -> dict[str, Any]:
    """The sent fields in the domain's terms: global ids decoded, nested inputs as plain dicts."""
    fields = given(input, *PRODUCT_FIELDS)
    if input.price_tiers is not strawberry.UNSET:
        fields["price_tiers"] = [
            {"min_quantity": t.min_quantity, "unit_price": t.unit_price} for t in input.price_tiers or []
        ]
    if input.bundle_items is not strawberry.UNSET:
        fields["bundle_items"] = [
            {
                "product_id": decode_id(item.product_id, "Product", f"bundleItems[{i}].productId"),
                "quantity": item.quantity,
            }
            for i, item in enumerate(input.bundle_items or [])
        ]
    for name, api_name in (("add_on_ids", "addOnIds"), ("related_ids", "relatedIds"), ("upgrade_ids", "upgradeIds")):
        value = getattr(input, name)
        if value is not strawberry.UNSET:
            fields[name] = list(decode_ids(value, "Product", api_name) or ())
    return fields


def _payload(product: Product | None, errors: list[UserError]) -> ProductPayload:
    return ProductPayload(product=ProductNode.from_model(product) if product else None, errors=errors)


@strawberry.type
class ProductMutations:
    @strawberry.mutation(description="A product; with bundleItems it is a bundle, priced from its parts or fixed.")
    async def create_product(self, info: Info, input: CreateProductInput) -> ProductPayload:
        async def action(session: AsyncSession) -> Product:
            allowed(info, Permission.MANAGE_PRODUCTS)
            return await service.create_product(session, _product_fields(input))

        return _payload(*await run_in_transaction(info, action))

    @strawberry.mutation
    async def update_product(self, info: Info, input: UpdateProductInput) -> ProductPayload:
        async def action(session: AsyncSession) -> Product:
            allowed(info, Permission.MANAGE_PRODUCTS)
            return await service.update_product(session, decode_id(input.id, "Product"), _product_fields(input))

        return _payload(*await run_in_transaction(info, action))
