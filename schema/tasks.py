"""Tasks that run the community, and who could take them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import tasks as models
from resolvers.access import MANAGING_ROLES, require_role, visible_community, visible_post
from resolvers.ids import to_global_id
from resolvers.pagination import check_first
from resolvers.tasks import tasks as resolvers
from resolvers.tasks.matching import suggest_members
from schema.base import CercleInfo, Node
from schema.communities.community import Community
from schema.members import Member

if TYPE_CHECKING:
    from schema.posts import Post


@strawberry.type(description="A member who could take a task, and why.")
class TaskSuggestion:
    score: int = strawberry.field(description="100 per full skill match, + recent activity, - 15 per task in progress.")
    matched_skills: list[str] = strawberry.field(description="The required skills they have.")
    reason: str = strawberry.field(description="Why, in one line (English).")
    recent_contributions: int = strawberry.field(description="Their contributions in the last 30 days.")
    tasks_in_progress: int = strawberry.field(description="Tasks they have ASSIGNED or IN_REVIEW.")
    member_id: strawberry.Private[int]

    @strawberry.field(description="Who.")
    async def member(self, info: CercleInfo) -> Member:
        return Member.from_row(await info.context.loaders.member_by_id.load_existing(self.member_id))


@strawberry.type(description="Work that runs the community: welcoming, moderating, the digest, an event.")
class Task(Node):
    row: strawberry.Private[models.Task]
    title: str = strawberry.field(description="What to do, in one line.")
    description: str = strawberry.field(description="Details (plain text).")
    required_skills: list[str] = strawberry.field(description="Skills it needs, lower-case.")
    due_at: datetime | None = strawberry.field(description="When it should be done.")
    points: int = strawberry.field(description="Points the assignee earns when a manager confirms it done.")
    status: models.TaskStatus = strawberry.field(description="Where it stands.")
    created_at: datetime = strawberry.field(description="When it was created.")
    assigned_at: datetime | None = strawberry.field(description="When it was last assigned.")
    completed_at: datetime | None = strawberry.field(description="When a manager confirmed it done.")

    @classmethod
    def from_row(cls, row: models.Task) -> Task:
        return cls(
            id=strawberry.ID(to_global_id("Task", row.id)),
            row=row,
            title=row.title,
            description=row.description,
            required_skills=list(row.required_skills),
            due_at=row.due_at,
            points=row.points,
            status=row.status,
            created_at=row.created_at,
            assigned_at=row.assigned_at,
            completed_at=row.completed_at,
        )

    @classmethod
    async def resolve_node(cls, info: CercleInfo, pk: int) -> Task | None:
        row = await info.context.loaders.task_by_id.load(pk)  # seen with its community
        return cls.from_row(row) if row and await visible_community(info.context, row.community_id) else None

    @strawberry.field(description="Where.")
    async def community(self, info: CercleInfo) -> Community:
        return Community.from_row(await info.context.loaders.community_by_id.load_existing(self.row.community_id))

    @strawberry.field(description="Who has it; null while open.")
    async def assignee(self, info: CercleInfo) -> Member | None:
        if self.row.assignee_id is None:
            return None
        return Member.from_row(await info.context.loaders.member_by_id.load_existing(self.row.assignee_id))

    @strawberry.field(description="The draft to edit and publish, when the task is writing a post (the digest).")
    async def post(self, info: CercleInfo) -> Annotated[Post, strawberry.lazy("schema.posts")] | None:
        from schema.posts import Post

        if self.row.post_id is None:
            return None
        row = await visible_post(info.context, self.row.post_id)
        return Post.from_row(row) if row else None

    @strawberry.field(description="Members who offered to take it, first offer first.")
    async def volunteers(self, info: CercleInfo) -> list[Member]:
        ids = await info.context.loaders.volunteers_by_task_id.load(self.row.id)
        return [Member.from_row(row) for row in await info.context.loaders.member_by_id.load_many_existing(ids)]

    @strawberry.field(
        description="Members who could take it, best first: matching skills, recent activity, current load "
        "(managers only)."
    )
    async def suggested_members(self, info: CercleInfo, first: int = 5) -> list[TaskSuggestion]:
        community = await info.context.loaders.community_by_id.load_existing(self.row.community_id)
        await require_role(info.context, community, MANAGING_ROLES, "see suggestions")
        return [
            TaskSuggestion(
                score=s.score,
                matched_skills=s.matched_skills,
                reason=s.reason,
                recent_contributions=s.recent_contributions,
                tasks_in_progress=s.tasks_in_progress,
                member_id=s.member_id,
            )
            for s in await suggest_members(self.row, check_first(first))
        ]


@strawberry.input(description="A task for members to take.")
class CreateTaskInput:
    community_slug: str = strawberry.field(description="Where.")
    title: str = strawberry.field(description="What to do, one line, up to 200 characters.")
    description: str = strawberry.field(default="", description="Details, up to 5,000 characters.")
    required_skills: list[str] | None = strawberry.field(default=None, description="Up to 10 skills.")
    due_at: datetime | None = strawberry.field(default=None, description="When (future, with time zone).")
    points: int = strawberry.field(default=0, description="Points on completion, 0 to 1000.")
    post_id: strawberry.ID | None = strawberry.field(
        default=None, description="A draft for the assignee to edit and publish, such as a generated digest."
    )


@strawberry.type
class TaskMutation:
    @strawberry.mutation(description="Ask for help running the community (managers).")
    async def create_task(self, info: CercleInfo, input: CreateTaskInput) -> Task:
        return Task.from_row(await resolvers.do_create_task(info.context, resolvers.NewTask(**vars(input))))

    @strawberry.mutation(description="Offer to take an open task (members); managers choose among volunteers.")
    async def volunteer_for_task(self, info: CercleInfo, task_id: strawberry.ID) -> Task:
        return Task.from_row(await resolvers.do_volunteer(info.context, task_id))

    @strawberry.mutation(description="Give a task to an active member (managers).")
    async def assign_task(self, info: CercleInfo, task_id: strawberry.ID, username: str) -> Task:
        return Task.from_row(await resolvers.do_assign(info.context, task_id, username))

    @strawberry.mutation(
        description="The assignee marks it done (IN_REVIEW); a manager confirms it (DONE, the points are earned)."
    )
    async def complete_task(self, info: CercleInfo, task_id: strawberry.ID) -> Task:
        return Task.from_row(await resolvers.do_complete(info.context, task_id))
