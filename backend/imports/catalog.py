"""What the database already holds that a mapping refers to: the pipeline, its stages, the sources.

A mapping that names a stage code or a source the database lacks fails here, before a single row is read.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from backend.imports.mapping import Mapping, normalize_key
from backend.imports.parser import Catalog
from backend.imports.problems import ImportFailure
from backend.leads.models import Source
from backend.pipelines.models import Pipeline, Stage


@dataclass
class DbCatalog:
    pipeline_id: int
    stages: dict[str, Stage]  # by code
    sources: dict[str, int]  # by name
    new_sources: dict[str, str]  # name -> category, for the declared sources the database does not have yet

    def parser_catalog(self) -> Catalog:
        """Canonical source names (as the database or the mapping spells them), matched case-insensitively."""
        names = [*self.sources, *self.new_sources]
        return Catalog(sources={normalize_key(name): name for name in names})


async def load_catalog(engine: AsyncEngine, mapping: Mapping) -> DbCatalog:
    """The pipeline (the mapping's, or the default one), its stages and the sources."""
    async with AsyncSession(engine) as session:
        stmt = select(Pipeline).order_by(Pipeline.is_default.desc(), Pipeline.position, Pipeline.id)
        if mapping.pipeline is not None:
            stmt = select(Pipeline).where(Pipeline.name == mapping.pipeline)
        pipeline = (await session.execute(stmt.limit(1))).scalar_one_or_none()
        if pipeline is None:
            raise ImportFailure(
                f"mapping {mapping.name}: no pipeline {mapping.pipeline or '(default)'} in the database"
            )
        stages = (await session.execute(select(Stage).where(Stage.pipeline_id == pipeline.id))).scalars()
        sources = (await session.execute(select(Source.name, Source.id))).all()
    existing = {normalize_key(name) for name, _ in sources}
    declared = {n: c.value for n, c in mapping.new_sources.items() if normalize_key(n) not in existing}
    catalog = DbCatalog(pipeline.id, {s.code: s for s in stages}, {name: id_ for name, id_ in sources}, declared)
    _check_mapping(mapping, catalog, pipeline.name)
    return catalog


def _check_mapping(mapping: Mapping, catalog: DbCatalog, pipeline_name: str) -> None:
    missing = sorted(mapping.stage_codes - set(catalog.stages))
    if missing:
        raise ImportFailure(
            f"mapping {mapping.name}: stage code(s) {', '.join(missing)} are not stages of the pipeline"
            f" {pipeline_name!r} (its codes: {', '.join(sorted(catalog.stages))})"
        )
    known = {normalize_key(n) for n in catalog.sources} | {normalize_key(n) for n in mapping.new_sources}
    unknown = sorted(t for t in mapping.sources.targets() if t and normalize_key(t) not in known)
    if unknown:
        raise ImportFailure(
            f"mapping {mapping.name}: [sources] maps onto source(s) that do not exist: {', '.join(unknown)};"
            " declare them under [new_sources] with a category"
        )
