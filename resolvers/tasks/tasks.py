"""Tasks: managers ask for help running the community, members volunteer, managers assign and confirm.

OPEN -> (volunteers) -> ASSIGNED by a manager -> IN_REVIEW when the assignee
says it is done -> DONE when a manager confirms (or a manager completes it
directly): the assignee then earns the task's points, TASK_COMPLETED goes to
the feed and the member is notified.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from models.activity import Activity, Verb
from models.communities import Community
from models.notifications import Notification, NotificationKind
from models.posts import Post, PostStatus
from models.tasks import Task, TaskStatus, TaskVolunteer
from resolvers.access import (
    MANAGING_ROLES,
    active_member_named,
    has_role,
    require_active_member,
    require_community,
    require_role,
    require_task,
    require_visible_post,
    viewer_membership,
)
from resolvers.activity import append_activity
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict, Forbidden
from resolvers.notifications.notifications import notify
from resolvers.outbox import queue, writing
from resolvers.pagination import Page, paginate
from resolvers.ratelimit import check_rate
from resolvers.recognition.automatic_badges import check_badges
from resolvers.recognition.levels import check_level
from resolvers.recognition.points import GRANT_MAX, earn, rules_of
from resolvers.validation import check_line, check_text, normalise_labels

MAX_SKILLS = 10


@dataclass
class NewTask:
    community_slug: str
    title: str
    description: str = ""
    required_skills: list[str] | None = None
    due_at: datetime | None = None
    points: int = 0
    post_id: str | None = None


async def do_create_task(ctx: Context, data: NewTask) -> Task:
    community = await require_community(ctx, data.community_slug)
    manager = await require_role(ctx, community, MANAGING_ROLES, "create tasks")
    await check_rate(ctx, "mutation")
    title = check_line(data.title, "title", max_length=200)
    description = check_text(data.description, "description", max_length=5000, required=False)
    skills = normalise_labels(data.required_skills or [], "requiredSkills", max_count=MAX_SKILLS)
    if data.due_at is not None and data.due_at <= datetime.now(UTC):
        raise BadUserInput("'dueAt' must be in the future.", field="dueAt")
    if not 0 <= data.points <= GRANT_MAX:
        raise BadUserInput(f"'points' must be between 0 and {GRANT_MAX}.", field="points")
    post = await _unpublished_post(ctx, community, data.post_id) if data.post_id else None
    async with writing() as conn:
        return await Task.create(
            using_db=conn,
            community_id=community.id,
            title=title,
            description=description,
            required_skills=skills,
            due_at=data.due_at,
            points=data.points,
            created_by_id=manager.member_id,
            post_id=post.id if post else None,
        )


async def _unpublished_post(ctx: Context, community: Community, post_id: str) -> Post:
    """A draft or scheduled post of the community, for the assignee to edit and publish (the digest)."""
    post = await require_visible_post(ctx, post_id, field="postId")
    if post.community_id != community.id:
        raise BadUserInput("The post belongs to another community.", field="postId")
    if post.status == PostStatus.PUBLISHED:
        raise Conflict("This post is already published.", field="postId")
    return post


async def do_volunteer(ctx: Context, task_id: str) -> Task:
    """Offer to take an open task (active members); offering twice changes nothing."""
    task, community = await require_task(ctx, task_id)
    membership = await require_active_member(ctx, community, "volunteer for tasks")
    await check_rate(ctx, "mutation")
    if task.status != TaskStatus.OPEN:
        raise Conflict("This task is no longer open.", field="taskId")
    try:
        async with writing() as conn:
            await TaskVolunteer.create(using_db=conn, task_id=task.id, member_id=membership.member_id)
            told = await _notify(conn, task, {task.created_by_id: NotificationKind.TASK_VOLUNTEERED}, ctx.viewer_id)
            queue(conn, *told)
    except IntegrityError:
        pass  # already a volunteer
    return task


async def do_assign(ctx: Context, task_id: str, username: str) -> Task:
    """Give an open or assigned task to an active member (managers), volunteer or not."""
    task, community = await require_task(ctx, task_id)
    manager = await require_role(ctx, community, MANAGING_ROLES, "assign tasks")
    await check_rate(ctx, "mutation")
    assignee = await active_member_named(community, username)
    async with writing() as conn:
        now = datetime.now(UTC)
        changed = (
            await Task.filter(id=task.id, status__in=[TaskStatus.OPEN, TaskStatus.ASSIGNED])
            .using_db(conn)
            .update(status=TaskStatus.ASSIGNED, assignee_id=assignee.member_id, assigned_at=now)
        )
        if not changed:
            raise Conflict("Only open or assigned tasks can be assigned.", field="taskId")
        task.status, task.assignee_id, task.assigned_at = TaskStatus.ASSIGNED, assignee.member_id, now
        activity = await _log(conn, task, Verb.TASK_ASSIGNED, manager.member_id, assignee.member.username)
        queue(
            conn,
            activity,
            *await _notify(conn, task, {assignee.member_id: NotificationKind.TASK_ASSIGNED}, manager.member_id),
        )
    return task


async def do_complete(ctx: Context, task_id: str) -> Task:
    """The assignee says it is done (IN_REVIEW); a manager confirms it (DONE), which earns the points."""
    task, community = await require_task(ctx, task_id)
    viewer = await ctx.require_viewer()
    manager = has_role(await viewer_membership(ctx, community.id), MANAGING_ROLES)
    if not manager and viewer.id != task.assignee_id:
        raise Forbidden("Only the assignee or a manager can complete this task.")
    await check_rate(ctx, "mutation")
    if not manager:
        return await _to_review(task, viewer.id)
    async with writing() as conn:
        now = datetime.now(UTC)
        # Still assigned to whom the manager saw: the points must not go to someone reassigned meanwhile.
        assignee_id = task.assignee_id
        done = Task.filter(id=task.id, status__in=[TaskStatus.ASSIGNED, TaskStatus.IN_REVIEW], assignee_id=assignee_id)
        if assignee_id is None or not await done.using_db(conn).update(
            status=TaskStatus.DONE, completed_at=now, confirmed_by_id=viewer.id
        ):
            raise Conflict("Only an assigned task can be completed, by the member it is assigned to.", field="taskId")
        task.status, task.completed_at, task.confirmed_by_id = TaskStatus.DONE, now, viewer.id
        activity = await _log(conn, task, Verb.TASK_COMPLETED, assignee_id, None)
        rules = await rules_of(conn, task.community_id)
        earned = await earn(
            conn,
            rules,
            "TASK_COMPLETED",
            member_id=assignee_id,
            community_id=task.community_id,
            subject=("task", task.id),
            given_by_id=viewer.id,
            activity_id=activity.id,
            amount=task.points,
        )
        if earned:
            await check_level(conn, rules, assignee_id, task.community_id)
        await check_badges(conn, assignee_id, task.community_id, "TASK_COMPLETED")  # with points or without
        told = await _notify(conn, task, {assignee_id: NotificationKind.TASK_COMPLETED}, viewer.id)
        queue(conn, activity, *told)
    return task


async def _to_review(task: Task, assignee_id: int) -> Task:
    async with writing() as conn:
        if (
            not await Task.filter(id=task.id, status=TaskStatus.ASSIGNED)
            .using_db(conn)
            .update(status=TaskStatus.IN_REVIEW)
        ):
            raise Conflict("Only an assigned task can be marked done.", field="taskId")
        task.status = TaskStatus.IN_REVIEW
        queue(conn, *await _notify(conn, task, {task.created_by_id: NotificationKind.TASK_IN_REVIEW}, assignee_id))
    return task


async def _log(conn: BaseDBAsyncClient, task: Task, verb: Verb, actor_id: int | None, assignee: str | None) -> Activity:
    payload = {"title": task.title, "assignee_id": task.assignee_id} | ({"assignee": assignee} if assignee else {})
    return await append_activity(
        conn,
        community_id=task.community_id,
        actor_id=actor_id,
        verb=verb,
        subject_type="task",
        subject_id=task.id,
        payload=payload,
    )


async def _notify(
    conn: BaseDBAsyncClient, task: Task, recipients: dict[int, NotificationKind], actor_id: int | None
) -> list[Notification]:
    return await notify(
        conn,
        recipients,
        actor_id=actor_id,
        community_id=task.community_id,
        subject_type="task",
        subject_id=task.id,
        payload={"title": task.title},
    )


async def list_tasks(
    community_id: int, *, status: TaskStatus | None, first: int | None, after: str | None
) -> Page[Task]:
    query = Task.filter(community_id=community_id)
    if status is not None:
        query = query.filter(status=status)
    return await paginate(query, ("-created_at", "-id"), first=first, after=after)
