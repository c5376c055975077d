"""GraphQL types for the product catalogue."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from backend.api.connections import named_connection
from backend.api.context import Info
from backend.api.errors import UserError
from backend.api.mutations import given, run_in_transaction
from backend.api.relay import Connection, Node, decode_id, to_global_id
from backend.products import service
from backend.products.models import BillingTerm, Product, ProductUnit

ProductUnitEnum = strawberry.enum(ProductUnit, name="ProductUnit")
BillingTermEnum = strawberry.enum(BillingTerm, name="BillingTerm")


@strawberry.type(name="Product")
class ProductNode(Node):
    id: strawberry.ID
    sku: str
    name: str
    category: str | None
    description: str | None
    list_price: Decimal
    currency: str
    unit: ProductUnitEnum  # type: ignore[valid-type]
    billing_term: BillingTermEnum  # type: ignore[valid-type]
    is_active: bool

    @classmethod
    def from_model(cls, product: Product) -> ProductNode:
        return cls(
            id=to_global_id("Product", product.id),
            sku=product.sku,
            name=product.name,
            category=product.category,
            description=product.description,
            list_price=product.list_price,
            currency=product.currency,
            unit=product.unit,
            billing_term=product.billing_term,
            is_active=product.is_active,
        )


@strawberry.type
class ProductQueries:
    @strawberry.field
    async def product(self, info: Info, id: strawberry.ID) -> ProductNode | None:
        found = await info.context.loaders.product.load(decode_id(id, "Product"))
        return ProductNode.from_model(found) if found else None

    @strawberry.field(description="Products by name; `search` also matches SKU and category.")
    async def products(
        self, info: Info, search: str | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[ProductNode]:
        return await named_connection(
            info, Product, ProductNode.from_model, search, first, after, ("name", "sku", "category")
        )


@strawberry.input
class CreateProductInput:
    sku: str
    name: str
    list_price: Decimal
    currency: str | None = strawberry.UNSET
    category: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    unit: ProductUnitEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    billing_term: BillingTermEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    is_active: bool | None = strawberry.UNSET


@strawberry.input(description="Fields left out stay as they are; a field set to null is cleared.")
class UpdateProductInput:
    id: strawberry.ID
    sku: str | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    list_price: Decimal | None = strawberry.UNSET
    currency: str | None = strawberry.UNSET
    category: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    unit: ProductUnitEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    billing_term: BillingTermEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    is_active: bool | None = strawberry.UNSET


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
    "unit",
    "billing_term",
    "is_active",
)


def _payload(product: Product | None, errors: list[UserError]) -> ProductPayload:
    return ProductPayload(product=ProductNode.from_model(product) if product else None, errors=errors)


@strawberry.type
class ProductMutations:
    @strawberry.mutation
    async def create_product(self, info: Info, input: CreateProductInput) -> ProductPayload:
        async def action(session: AsyncSession) -> Product:
            return await service.create_product(session, given(input, *PRODUCT_FIELDS))

        return _payload(*await run_in_transaction(info, action))

    @strawberry.mutation
    async def update_product(self, info: Info, input: UpdateProductInput) -> ProductPayload:
        async def action(session: AsyncSession) -> Product:
            return await service.update_product(session, decode_id(input.id, "Product"), given(input, *PRODUCT_FIELDS))

        return _payload(*await run_in_transaction(info, action))
