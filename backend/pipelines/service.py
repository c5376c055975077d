"""Pipelines and stages: the default pipeline, and editing stages (name, order, probability, kind)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend import validation
from backend.errors import DomainError, ErrorCode, Problems
from backend.leads.models import Lead
from backend.pipelines.models import Pipeline, Stage, StageKind


async def default_pipeline(session: AsyncSession) -> Pipeline:
    stmt = select(Pipeline).order_by(Pipeline.is_default.desc(), Pipeline.position, Pipeline.id).limit(1)
    pipeline = (await session.execute(stmt)).scalar_one_or_none()
    if pipeline is None:
        raise DomainError.not_found("pipeline_id", "there is no pipeline yet: create one first")
    return pipeline


async def first_stage(session: AsyncSession, pipeline_id: int) -> Stage:
    stmt = select(Stage).where(Stage.pipeline_id == pipeline_id).order_by(Stage.position, Stage.id).limit(1)
    stage = (await session.execute(stmt)).scalar_one_or_none()
    if stage is None:
        raise DomainError.bad_input("pipeline_id", "this pipeline has no stages")
    return stage


async def stages_of(session: AsyncSession, pipeline_ids: Sequence[int]) -> dict[int, list[Stage]]:
    stmt = select(Stage).where(Stage.pipeline_id.in_(pipeline_ids)).order_by(Stage.position, Stage.id)
    by_pipeline: dict[int, list[Stage]] = {pipeline_id: [] for pipeline_id in pipeline_ids}
    for stage in (await session.execute(stmt)).scalars():
        by_pipeline[stage.pipeline_id].append(stage)
    return by_pipeline


def _code_from(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:60] or "stage"


def _clean_stage(problems: Problems, fields: Mapping[str, Any], field_prefix: str = "") -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "name" in fields:
        clean["name"] = validation.text(problems, f"{field_prefix}name", fields["name"], max_length=120, required=True)
    if "probability" in fields:
        if fields["probability"] is None:
            problems.add(f"{field_prefix}probability", "probability is required and cannot be cleared")
        clean["probability"] = validation.integer(
            problems, f"{field_prefix}probability", fields["probability"], minimum=0, maximum=100
        )
    if "kind" in fields:
        if fields["kind"] is None:
            problems.add(f"{field_prefix}kind", "kind is required and cannot be cleared")
        clean["kind"] = fields["kind"]
    if "expected_days" in fields:
        clean["expected_days"] = validation.integer(
            problems, f"{field_prefix}expected_days", fields["expected_days"], minimum=0, maximum=3650
        )
    if "code" in fields and fields["code"] is not None:
        clean["code"] = validation.text(problems, f"{field_prefix}code", fields["code"], max_length=60, required=True)
    return clean


def _clean_pipeline(problems: Problems, fields: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "name" in fields:
        clean["name"] = validation.text(problems, "name", fields["name"], max_length=120, required=True)
    if "rotting_days" in fields:
        clean["rotting_days"] = validation.integer(
            problems, "rotting_days", fields["rotting_days"], minimum=1, maximum=3650
        )
    if "is_default" in fields:
        if fields["is_default"] is None:
            problems.add("is_default", "is_default is required and cannot be cleared")
        clean["is_default"] = bool(fields["is_default"])
    return clean


async def _name_taken(session: AsyncSession, name: str | None, except_id: int | None) -> bool:
    if name is None:
        return False
    stmt = select(Pipeline.id).where(func.lower(Pipeline.name) == name.lower())
    found = (await session.execute(stmt)).scalar_one_or_none()
    return found is not None and found != except_id


async def _make_only_default(session: AsyncSession, pipeline: Pipeline) -> None:
    others = await session.execute(select(Pipeline).where(Pipeline.id != pipeline.id, Pipeline.is_default))
    for other in others.scalars():
        other.is_default = False


async def create_pipeline(
    session: AsyncSession, fields: Mapping[str, Any], stages: Sequence[Mapping[str, Any]]
) -> Pipeline:
    """A pipeline with its stages in the given order; it needs at least one open, one won and one lost stage."""
    problems = Problems()
    if "name" not in fields:
        problems.add("name", "name is required and cannot be empty")
    clean = _clean_pipeline(problems, fields)
    if await _name_taken(session, clean.get("name"), None):
        problems.add("name", "a pipeline with this name exists already", ErrorCode.UNIQUE)
    clean_stages = []
    for i, stage_fields in enumerate(stages):
        prefix = f"stages[{i}]."
        stage_fields = {"kind": StageKind.OPEN, **stage_fields}
        for required in ("name", "probability"):
            if required not in stage_fields:
                problems.add(f"{prefix}{required}", f"{validation.label(required)} is required")
        clean_stages.append(_clean_stage(problems, stage_fields, prefix))
    kinds = {s.get("kind") for s in clean_stages}
    if not {StageKind.OPEN, StageKind.WON, StageKind.LOST} <= kinds:
        problems.add("stages", "a pipeline needs at least one open, one won and one lost stage")
    codes = [s.get("code") or _code_from(s.get("name") or "") for s in clean_stages]
    if len(set(codes)) != len(codes):
        problems.add("stages", "two stages have the same code; give them distinct names or codes")
    problems.raise_if_any()
    position = (await session.execute(select(func.count()).select_from(Pipeline))).scalar_one()
    pipeline = Pipeline(position=position, is_default=False, **clean)
    pipeline.stages = [
        Stage(position=i, **{**s, "code": code}) for i, (s, code) in enumerate(zip(clean_stages, codes, strict=True))
    ]
    session.add(pipeline)
    await session.flush()
    if pipeline.is_default:
        await _make_only_default(session, pipeline)
    return pipeline


async def update_pipeline(session: AsyncSession, pipeline_id: int, fields: Mapping[str, Any]) -> Pipeline:
    pipeline = await session.get(Pipeline, pipeline_id)
    if pipeline is None:
        raise DomainError.not_found("id", "no pipeline with this id")
    problems = Problems()
    clean = _clean_pipeline(problems, fields)
    if await _name_taken(session, clean.get("name"), pipeline.id):
        problems.add("name", "a pipeline with this name exists already", ErrorCode.UNIQUE)
    if clean.get("is_default") is False and pipeline.is_default:
        problems.add("is_default", "make another pipeline the default instead")
    problems.raise_if_any()
    for name, value in clean.items():
        setattr(pipeline, name, value)
    if pipeline.is_default:
        await _make_only_default(session, pipeline)
    await session.flush()
    return pipeline


async def create_stage(
    session: AsyncSession, pipeline_id: int, fields: Mapping[str, Any], position: int | None
) -> Stage:
    """Adds a stage at `position` (0 = first; default: before the closed stages)."""
    pipeline = await session.get(Pipeline, pipeline_id)
    if pipeline is None:
        raise DomainError.not_found("pipeline_id", "no pipeline with this id")
    problems = Problems()
    fields = {"kind": StageKind.OPEN, **fields}
    for required in ("name", "probability"):
        if required not in fields:
            problems.add(required, f"{validation.label(required)} is required")
    clean = _clean_stage(problems, fields)
    problems.raise_if_any()
    stages = (await stages_of(session, [pipeline_id]))[pipeline_id]
    code = clean.pop("code", None) or _code_from(clean["name"])
    if any(s.code == code for s in stages):
        raise DomainError.unique("code", f"this pipeline has a stage with the code {code!r} already")
    if position is None:
        open_stages = [s for s in stages if s.kind == StageKind.OPEN]
        position = stages.index(open_stages[-1]) + 1 if open_stages else 0
    stage = Stage(pipeline_id=pipeline_id, code=code, position=0, **clean)
    session.add(stage)
    _renumber(stages, stage, position)
    await session.flush()
    return stage


def _renumber(stages: list[Stage], moved: Stage, position: int) -> None:
    ordered = [s for s in stages if s is not moved]
    ordered.insert(max(0, min(position, len(ordered))), moved)
    for i, stage in enumerate(ordered):
        stage.position = i


async def update_stage(session: AsyncSession, stage_id: int, fields: Mapping[str, Any], position: int | None) -> Stage:
    stage = await session.get(Stage, stage_id)
    if stage is None:
        raise DomainError.not_found("id", "no stage with this id")
    problems = Problems()
    clean = _clean_stage(problems, fields)
    problems.raise_if_any()
    stages = (await stages_of(session, [stage.pipeline_id]))[stage.pipeline_id]
    if "code" in clean and any(s.code == clean["code"] and s.id != stage.id for s in stages):
        raise DomainError.unique("code", "this pipeline has a stage with that code already")
    if "kind" in clean and clean["kind"] != stage.kind:
        await _refuse_if_used(session, stage, "kind", "its kind cannot change while leads are in it")
        remaining = {s.kind for s in stages if s.id != stage.id} | {clean["kind"]}
        if not {StageKind.OPEN, StageKind.WON, StageKind.LOST} <= remaining:
            raise DomainError.bad_input("kind", "a pipeline needs at least one open, one won and one lost stage")
    for name, value in clean.items():
        setattr(stage, name, value)
    if position is not None:
        _renumber(stages, stage, position)
    await session.flush()
    return stage


async def _refuse_if_used(session: AsyncSession, stage: Stage, field: str, message: str) -> None:
    count = (
        await session.execute(select(func.count()).select_from(Lead).where(Lead.stage_id == stage.id))
    ).scalar_one()
    if count:
        raise DomainError.bad_input(field, f"{count} leads are in this stage: {message}")


async def delete_stage(session: AsyncSession, stage_id: int) -> None:
    stage = await session.get(Stage, stage_id)
    if stage is None:
        raise DomainError.not_found("id", "no stage with this id")
    await _refuse_if_used(session, stage, "id", "move them to another stage first")
    stages = (await stages_of(session, [stage.pipeline_id]))[stage.pipeline_id]
    remaining = {s.kind for s in stages if s.id != stage.id}
    if not {StageKind.OPEN, StageKind.WON, StageKind.LOST} <= remaining:
        raise DomainError.bad_input("id", "a pipeline needs at least one open, one won and one lost stage")
    await session.delete(stage)
    for i, other in enumerate(s for s in stages if s.id != stage.id):
        other.position = i
    await session.flush()
