"""Sessions (logins) and site administration: suspending accounts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import members as models
from resolvers.members import admin, sessions
from schema.base import CercleInfo

if TYPE_CHECKING:
    from schema.members import Member


@strawberry.type(description="One of your logins: each device or browser that logged in holds one.")
class Session:
    id: strawberry.ID = strawberry.field(description="Give it to `revokeSession` to end this session.")
    device: str | None = strawberry.field(description="The User-Agent the session logged in with (cut short).")
    created_at: datetime = strawberry.field(description="When it logged in.")
    last_seen_at: datetime = strawberry.field(description="Its last request, to the minute.")
    current: bool = strawberry.field(description="True for the session this request comes from.")

    @classmethod
    def from_row(cls, row: models.Session, current_id: str | None) -> Session:
        return cls(
            id=strawberry.ID(sessions.session_global_id(row.id)),
            device=row.device,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            current=row.id == current_id,
        )


@strawberry.type
class SessionMutation:
    @strawberry.mutation(
        description="End one of your sessions (this one included): its token and cookie stop working on every "
        "server within seconds, and its live subscriptions close (WebSocket close code 4401). NOT_FOUND for an id "
        "that is not one of your sessions; true again for one already ended."
    )
    async def revoke_session(self, info: CercleInfo, id: strawberry.ID) -> bool:
        return await sessions.do_revoke_session(info.context, str(id))


MemberType = Annotated["Member", strawberry.lazy("schema.members")]


@strawberry.type
class AdminMutation:
    @strawberry.mutation(
        description="Site administrators: suspend an account. Every session of the member ends at once (live "
        "subscriptions included) and logging in is refused until `unsuspendAccount`. FORBIDDEN for others."
    )
    async def suspend_account(self, info: CercleInfo, username: str) -> MemberType:
        from schema.members import Member

        return Member.from_row(await admin.do_suspend_account(info.context, username))

    @strawberry.mutation(description="Site administrators: lift a suspension; the member may log in again.")
    async def unsuspend_account(self, info: CercleInfo, username: str) -> MemberType:
        from schema.members import Member

        return Member.from_row(await admin.do_unsuspend_account(info.context, username))
