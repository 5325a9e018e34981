"""The viewer's notifications: a list to page through, marking read, and a live subscription."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry

from models.notifications import NotificationKind
from realtime.messages import NotificationMessage, notification_message
from resolvers.access import visible_community
from resolvers.errors import NotFound
from resolvers.ids import subject_global_id, to_global_id
from resolvers.notifications import notifications as resolvers
from resolvers.notifications.feed import notification_cursor, viewer_notifications
from resolvers.notifications.summaries import notification_summary
from schema.base import CercleInfo, Connection, Node, to_connection
from schema.communities.community import Community
from schema.execution.sharing import tag
from schema.members import Member
from schema.node import resolve_node


@strawberry.type(description="Something for your attention; only you see your notifications.")
class Notification:
    event: strawberry.Private[NotificationMessage]
    id: strawberry.ID = strawberry.field(description="Pass to markNotificationsRead.")
    cursor: str = strawberry.field(description="Resume point: `notifications(after: cursor)` continues after it.")
    kind: NotificationKind = strawberry.field(description="Why you are notified.")
    subject_id: strawberry.ID | None = strawberry.field(description="The post, comment or membership concerned.")
    title: str | None = strawberry.field(description="The post's title, or the community's name.")
    excerpt: str | None = strawberry.field(description="The start of the text that mentions or answers you.")
    read: bool = strawberry.field(description="Whether you marked it read.")
    created_at: datetime = strawberry.field(description="When it happened.")

    @classmethod
    def from_event(cls, event: NotificationMessage) -> Notification:
        payload = event["payload"]
        subject = subject_global_id(event["subject_type"], event["subject_id"])
        return cls(
            event=event,
            id=strawberry.ID(to_global_id("Notification", event["id"])),
            cursor=notification_cursor(event["seq"]),
            kind=NotificationKind(event["kind"]),
            subject_id=strawberry.ID(subject) if subject else None,
            title=payload.get("title") or payload.get("community"),
            excerpt=payload.get("excerpt"),
            read=event["read_at"] is not None,
            created_at=datetime.fromisoformat(event["at"]),
        )

    @strawberry.field(description="Who caused it; null for Cercle itself.")
    async def actor(self, info: CercleInfo) -> Member | None:
        if self.event["actor_id"] is None:
            return None
        row = await info.context.loaders.member_by_id.load(self.event["actor_id"])
        return Member.from_row(row) if row else None

    @strawberry.field(description="Where it happened; null if you can no longer see that community.")
    async def community(self, info: CercleInfo) -> Community | None:
        if self.event["community_id"] is None:
            return None
        row = await visible_community(info.context, self.event["community_id"])
        return Community.from_row(row) if row else None

    @strawberry.field(
        description="What `subjectId` names (a post, comment, membership, badge award, kudos, task or event), for a "
        "link to it; null when it is gone or hidden from you now."
    )
    async def subject(self, info: CercleInfo) -> Node | None:
        if self.subject_id is None:
            return None
        try:
            return await resolve_node(info, self.subject_id)  # the rules of node(id:), no other road in
        except NotFound:
            return None

    @strawberry.field(description="One line for people, e.g. 'Bob replied “Hello”'.")
    async def summary(self, info: CercleInfo) -> str:
        actor = await self.actor(info)
        return notification_summary(self.kind, actor.display_name if actor else None, self.title)


@strawberry.type
class NotificationQuery:
    @strawberry.field(description="Your notifications, newest first; needs a token.")
    async def notifications(
        self, info: CercleInfo, first: int | None = None, after: str | None = None, unread_only: bool = False
    ) -> Connection[Notification]:
        page = await resolvers.list_notifications(info.context, unread_only=unread_only, first=first, after=after)
        return to_connection(page, lambda row: Notification.from_event(notification_message(row)))


@strawberry.type
class NotificationMutation:
    @strawberry.mutation(description="Mark these notifications read (all of yours without `ids`); how many changed.")
    async def mark_notifications_read(self, info: CercleInfo, ids: list[strawberry.ID] | None = None) -> int:
        return await resolvers.do_mark_read(info.context, ids)


@strawberry.type
class NotificationSubscription:
    @strawberry.subscription(
        description="Your notifications as they happen; with `after` (a notification cursor) first what you missed."
    )
    async def notifications(self, info: CercleInfo, after: str | None = None) -> AsyncGenerator[Notification, None]:
        async for event in viewer_notifications(info.context, after):
            yield tag(Notification.from_event(event), event)
