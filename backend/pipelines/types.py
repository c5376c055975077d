"""GraphQL types for pipelines and stages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from backend.api.auth import allowed
from backend.api.connections import named_connection
from backend.api.context import Info
from backend.api.errors import UserError
from backend.api.mutations import given, run_in_transaction
from backend.api.relay import Connection, Node, decode_id, to_global_id
from backend.auth.models import Permission
from backend.pipelines import service
from backend.pipelines.models import Pipeline, Stage, StageKind

if TYPE_CHECKING:
    from backend.leads.types import LeadConnection, LeadFilterInput, LeadOrderInput

StageKindEnum = strawberry.enum(StageKind, name="StageKind", description="What entering the stage means.")

LeadConnectionRef = Annotated["LeadConnection", strawberry.lazy("backend.leads.types")]
LeadFilterRef = Annotated["LeadFilterInput", strawberry.lazy("backend.leads.types")]
LeadOrderRef = Annotated["LeadOrderInput", strawberry.lazy("backend.leads.types")]


@strawberry.type(name="Stage", description="A step of a pipeline; a board column.")
class StageNode(Node):
    id: strawberry.ID
    code: str
    name: str
    position: int
    probability: int = strawberry.field(description="Win probability in percent.")
    kind: StageKindEnum  # type: ignore[valid-type]
    expected_days: int | None
    model: strawberry.Private[Stage]

    @classmethod
    def from_model(cls, stage: Stage) -> StageNode:
        return cls(
            id=to_global_id("Stage", stage.id),
            code=stage.code,
            name=stage.name,
            position=stage.position,
            probability=stage.probability,
            kind=stage.kind,
            expected_days=stage.expected_days,
            model=stage,
        )

    @strawberry.field
    async def pipeline(self, info: Info) -> PipelineNode:
        return PipelineNode.from_model(await info.context.loaders.pipeline.load(self.model.pipeline_id))

    @strawberry.field(description="The stage's leads (the board column); totals cover all pages.")
    async def leads(
        self,
        info: Info,
        filter: LeadFilterRef | None = None,
        order_by: list[LeadOrderRef] | None = None,
        first: int | None = None,
        after: str | None = None,
        saved_filter: strawberry.ID | None = None,
    ) -> LeadConnectionRef:
        from backend.leads.types import stage_lead_connection

        return await stage_lead_connection(info, self.model.id, filter, order_by, first, after, saved_filter)


@strawberry.type(name="Pipeline", description="An ordered set of stages a lead moves through.")
class PipelineNode(Node):
    id: strawberry.ID
    name: str
    is_default: bool
    rotting_days: int | None = strawberry.field(description="Days in one stage after which a lead is rotting.")
    position: int
    model: strawberry.Private[Pipeline]

    @classmethod
    def from_model(cls, pipeline: Pipeline) -> PipelineNode:
        return cls(
            id=to_global_id("Pipeline", pipeline.id),
            name=pipeline.name,
            is_default=pipeline.is_default,
            rotting_days=pipeline.rotting_days,
            position=pipeline.position,
            model=pipeline,
        )

    @strawberry.field(description="The stages in board order.")
    async def stages(self, info: Info) -> list[StageNode]:
        stages = await info.context.loaders.pipeline_stages.load(self.model.id)
        info.context.loaders.stage.prime_many({s.id: s for s in stages})  # cards ask for their stage by id
        return [StageNode.from_model(s) for s in stages]


@strawberry.type
class PipelineQueries:
    @strawberry.field
    async def pipeline(self, info: Info, id: strawberry.ID) -> PipelineNode | None:
        found = await info.context.loaders.pipeline.load(decode_id(id, "Pipeline"))
        return PipelineNode.from_model(found) if found else None

    @strawberry.field(description="The default pipeline (the one new leads go to).")
    async def default_pipeline(self, info: Info) -> PipelineNode | None:
        async with info.context.read() as session:
            pipeline = await service.default_pipeline(session)
        info.context.loaders.pipeline.prime(pipeline.id, pipeline)
        return PipelineNode.from_model(pipeline)

    @strawberry.field
    async def pipelines(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[PipelineNode]:
        return await named_connection(info, Pipeline, PipelineNode.from_model, None, first, after)


@strawberry.input
class StageInput:
    name: str
    probability: int
    kind: StageKindEnum = StageKind.OPEN  # type: ignore[valid-type]
    code: str | None = strawberry.UNSET
    expected_days: int | None = strawberry.UNSET


@strawberry.input
class CreatePipelineInput:
    name: str
    stages: list[StageInput]
    rotting_days: int | None = strawberry.UNSET
    is_default: bool | None = strawberry.UNSET


@strawberry.input
class UpdatePipelineInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    rotting_days: int | None = strawberry.UNSET
    is_default: bool | None = strawberry.UNSET


@strawberry.input
class CreateStageInput:
    pipeline_id: strawberry.ID
    name: str
    probability: int
    kind: StageKindEnum = StageKind.OPEN  # type: ignore[valid-type]
    code: str | None = strawberry.UNSET
    expected_days: int | None = strawberry.UNSET
    position: int | None = strawberry.field(default=None, description="0 = first; default: after the open stages.")


@strawberry.input
class UpdateStageInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    code: str | None = strawberry.UNSET
    probability: int | None = strawberry.UNSET
    kind: StageKindEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    expected_days: int | None = strawberry.UNSET
    position: int | None = strawberry.field(default=None, description="Moves the stage to this place (0 = first).")


@strawberry.input
class DeleteStageInput:
    id: strawberry.ID


@strawberry.type
class PipelinePayload:
    pipeline: PipelineNode | None
    errors: list[UserError]


@strawberry.type
class StagePayload:
    stage: StageNode | None
    errors: list[UserError]


@strawberry.type
class DeleteStagePayload:
    deleted_id: strawberry.ID | None
    errors: list[UserError]


STAGE_FIELDS = ("name", "code", "probability", "kind", "expected_days")


@strawberry.type
class PipelineMutations:
    @strawberry.mutation(description="A pipeline with its stages; it needs an open, a won and a lost stage.")
    async def create_pipeline(self, info: Info, input: CreatePipelineInput) -> PipelinePayload:
        async def action(session: AsyncSession) -> Any:
            allowed(info, Permission.MANAGE_PIPELINES)
            stages = [given(s, *STAGE_FIELDS) for s in input.stages]
            return await service.create_pipeline(session, given(input, "name", "rotting_days", "is_default"), stages)

        pipeline, errors = await run_in_transaction(info, action)
        return PipelinePayload(pipeline=PipelineNode.from_model(pipeline) if pipeline else None, errors=errors)

    @strawberry.mutation
    async def update_pipeline(self, info: Info, input: UpdatePipelineInput) -> PipelinePayload:
        async def action(session: AsyncSession) -> Any:
            allowed(info, Permission.MANAGE_PIPELINES)
            pipeline_id = decode_id(input.id, "Pipeline")
            return await service.update_pipeline(
                session, pipeline_id, given(input, "name", "rotting_days", "is_default")
            )

        pipeline, errors = await run_in_transaction(info, action)
        return PipelinePayload(pipeline=PipelineNode.from_model(pipeline) if pipeline else None, errors=errors)

    @strawberry.mutation
    async def create_stage(self, info: Info, input: CreateStageInput) -> StagePayload:
        async def action(session: AsyncSession) -> Any:
            allowed(info, Permission.MANAGE_PIPELINES)
            pipeline_id = decode_id(input.pipeline_id, "Pipeline", "pipelineId")
            return await service.create_stage(session, pipeline_id, given(input, *STAGE_FIELDS), input.position)

        stage, errors = await run_in_transaction(info, action)
        return StagePayload(stage=StageNode.from_model(stage) if stage else None, errors=errors)

    @strawberry.mutation
    async def update_stage(self, info: Info, input: UpdateStageInput) -> StagePayload:
        async def action(session: AsyncSession) -> Any:
            allowed(info, Permission.MANAGE_PIPELINES)
            stage_id = decode_id(input.id, "Stage")
            return await service.update_stage(session, stage_id, given(input, *STAGE_FIELDS), input.position)

        stage, errors = await run_in_transaction(info, action)
        return StagePayload(stage=StageNode.from_model(stage) if stage else None, errors=errors)

    @strawberry.mutation(description="Deletes an empty stage.")
    async def delete_stage(self, info: Info, input: DeleteStageInput) -> DeleteStagePayload:
        async def action(session: AsyncSession) -> Any:
            allowed(info, Permission.MANAGE_PIPELINES)
            await service.delete_stage(session, decode_id(input.id, "Stage"))
            return input.id

        deleted, errors = await run_in_transaction(info, action)
        return DeleteStagePayload(deleted_id=deleted, errors=errors)
