"""DataLoaders: every nested field is fetched with one statement per kind of object, whatever the page size."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, TypeVar

from sqlalchemy import false, select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from backend.activities.models import Activity
from backend.activities.service import lead_timelines
from backend.auth.models import User
from backend.contacts.models import Organization, Person
from backend.leads import queries
from backend.leads.filters import LeadFilter, lead_condition
from backend.leads.models import Lead, LeadCompetitor, LeadProduct, LeadType, SavedFilter, Source, Tag
from backend.leads.service import lead_competitors, lead_products, lead_tags_of
from backend.pagination import Page
from backend.pipelines.models import Pipeline, Stage
from backend.pipelines.service import stages_of
from backend.products import service as product_service
from backend.products.models import BundleItem, PriceTier, Product, RelationKind

SessionProvider = Callable[[], AbstractAsyncContextManager[AsyncSession]]
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
R = TypeVar("R")


def loaded_or_later(loader: DataLoader[K, V], key: K, wrap: Callable[[V], R]) -> R:
    """wrap(the loader's value for key), at once when it is loaded already; otherwise an awaitable of it.

    For resolvers: graphql-core takes a value or an awaitable from any resolver, and a value keeps the field off
    its awaitable path (a coroutine, a task per list item, a gather), which costs several times more per field.
    Connections load the related objects of a whole page beforehand (`prefetch`), so cards take the fast way.
    Typed as R because the resolver's annotation is its GraphQL type.
    """
    future = loader.cache_map.get(key) if loader.cache else None
    if future is not None and future.done() and not future.cancelled() and future.exception() is None:
        return wrap(future.result())

    async def later() -> R:
        return wrap(await loader.load(key))

    return later()  # type: ignore[return-value]


def _grouped(
    read: SessionProvider,
    fetch: Callable[[AsyncSession, Sequence[Any], Any], Awaitable[dict[Any, V]]],
) -> DataLoader[tuple[Any, Any], V]:
    """A loader keyed by (owner id, arguments): one fetch per distinct arguments, for all owners at once."""

    async def load(keys: list[tuple[Any, Any]]) -> list[V]:
        by_args: dict[Any, list[Any]] = {}
        for owner_id, args in keys:
            by_args.setdefault(args, []).append(owner_id)
        results: dict[tuple[Any, Any], V] = {}
        async with read() as session:
            for args, owner_ids in by_args.items():
                fetched = await fetch(session, list(dict.fromkeys(owner_ids)), args)
                for owner_id in owner_ids:
                    results[(owner_id, args)] = fetched[owner_id]
        return [results[key] for key in keys]

    return DataLoader(load_fn=load)


def _by_id(read: SessionProvider, model: type[Any], condition: Any = None) -> DataLoader[int, Any]:
    """Rows by id; `condition` hides the ones the principal may not see (they load as None)."""

    async def load(ids: list[int]) -> list[Any]:
        async with read() as session:
            stmt = select(model).where(model.id.in_(ids))
            if condition is not None:
                stmt = stmt.where(condition)
            rows = (await session.execute(stmt)).scalars()
            found = {row.id: row for row in rows}
        return [found.get(i) for i in ids]

    return DataLoader(load_fn=load)


def _by_owner(
    read: SessionProvider, fetch: Callable[[AsyncSession, Sequence[int]], Awaitable[dict[int, V]]]
) -> DataLoader[int, V]:
    async def load(ids: list[int]) -> list[V]:
        async with read() as session:
            found = await fetch(session, ids)
        return [found[i] for i in ids]

    return DataLoader(load_fn=load)


async def _stage_pages(
    session: AsyncSession, stage_ids: Sequence[int], request: queries.LeadPageRequest
) -> dict[int, Page[Lead]]:
    return await queries.grouped_pages(session, Lead.stage_id, stage_ids, request)


async def _person_pages(
    session: AsyncSession, person_ids: Sequence[int], request: queries.LeadPageRequest
) -> dict[int, Page[Lead]]:
    return await queries.grouped_pages(session, Lead.person_id, person_ids, request)


async def _stage_totals(
    session: AsyncSession, stage_ids: Sequence[int], flt: LeadFilter | None
) -> dict[int, queries.LeadTotals]:
    return await queries.totals_by_stage(session, flt, stage_ids)


async def _timelines(
    session: AsyncSession, lead_ids: Sequence[int], args: tuple[int, str | None]
) -> dict[int, Page[Activity]]:
    first, after = args
    return await lead_timelines(session, lead_ids, first, after)


def _relations(kind: RelationKind) -> Callable[[AsyncSession, Sequence[int]], Awaitable[dict[int, list[Product]]]]:
    async def fetch(session: AsyncSession, ids: Sequence[int]) -> dict[int, list[Product]]:
        return await product_service.related_of(session, ids, kind)

    return fetch


def _prefetcher(target: DataLoader[Any, Any]) -> DataLoader[tuple[Any, ...], None]:
    """Fills `target` with the keys of several pages at once: one batch call and no future per key pending,
    which costs a fraction of target.load_many for a page of cards."""

    async def load(key_sets: list[tuple[Any, ...]]) -> list[None]:
        missing = sorted({k for keys in key_sets for k in keys if target.cache_map.get(k) is None})
        if missing:
            target.prime_many(dict(zip(missing, await target.load_fn(missing), strict=True)))
        return [None] * len(key_sets)

    return DataLoader(load_fn=load, cache=False)


class Loaders:
    """Created per request, so nothing cached outlives it."""

    def __init__(self, read: SessionProvider, lead_scope: LeadFilter | None, saved_filters: Any = None) -> None:
        self.lead = _by_id(read, Lead, lead_condition(lead_scope))
        # Saved filters load only when the principal may see them (`saved_filters` is that condition).
        self.saved_filter = _by_id(read, SavedFilter, saved_filters if saved_filters is not None else false())
        self.person = _by_id(read, Person)
        self.organization = _by_id(read, Organization)
        self.user = _by_id(read, User)
        self.source = _by_id(read, Source)
        self.lead_type = _by_id(read, LeadType)
        self.tag = _by_id(read, Tag)
        self.stage = _by_id(read, Stage)
        self.pipeline = _by_id(read, Pipeline)
        self.product = _by_id(read, Product)
        self.lead_product = _by_id(read, LeadProduct)
        self.lead_competitor = _by_id(read, LeadCompetitor)
        self.lead_tags: DataLoader[int, list[Tag]] = _by_owner(read, lead_tags_of)
        self.lead_products: DataLoader[int, list[LeadProduct]] = _by_owner(read, lead_products)
        self.pipeline_stages: DataLoader[int, list[Stage]] = _by_owner(read, stages_of)
        self.stage_leads: DataLoader[tuple[int, queries.LeadPageRequest], Page[Lead]] = _grouped(read, _stage_pages)
        self.person_leads: DataLoader[tuple[int, queries.LeadPageRequest], Page[Lead]] = _grouped(read, _person_pages)
        self.stage_totals: DataLoader[tuple[int, LeadFilter | None], queries.LeadTotals] = _grouped(read, _stage_totals)
        self.product_tiers: DataLoader[int, list[PriceTier]] = _by_owner(read, product_service.tiers_of)
        self.bundle_items: DataLoader[int, list[BundleItem]] = _by_owner(read, product_service.bundle_items_of)
        self.product_add_ons: DataLoader[int, list[Product]] = _by_owner(read, _relations(RelationKind.ADD_ON))
        self.product_related: DataLoader[int, list[Product]] = _by_owner(read, _relations(RelationKind.RELATED))
        self.product_upgrades: DataLoader[int, list[Product]] = _by_owner(read, _relations(RelationKind.UPGRADE))
        self.lead_competitors: DataLoader[int, list[LeadCompetitor]] = _by_owner(read, lead_competitors)
        self.timeline: DataLoader[tuple[int, tuple[int, str | None]], Page[Activity]] = _grouped(read, _timelines)
        self._prefetchers: dict[str, DataLoader[tuple[Any, ...], None]] = {}

    async def prefetch(self, loader_names_and_keys: dict[str, set[Any]]) -> None:
        """Loads these keys into the named loaders, batched with the other prefetches of the same tick."""
        pending = []
        for name, keys in loader_names_and_keys.items():
            if keys:
                if name not in self._prefetchers:
                    self._prefetchers[name] = _prefetcher(getattr(self, name))
                pending.append(self._prefetchers[name].load(tuple(keys)))
        if pending:
            await asyncio.gather(*pending)
