from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import members as models
from resolvers.access import can_view_email
from resolvers.communities import directory as community_resolvers
from resolvers.ids import to_global_id
from resolvers.members import members as resolvers
from resolvers.members import sessions as session_resolvers
from resolvers.members.accounts import pending_email
from resolvers.members.admin import can_see_suspension
from resolvers.notifications.feed import notification_cursor
from resolvers.recognition.badge_catalogue import badges_of_member
from schema.base import CercleInfo, Connection, Node, to_connection
from schema.transport.session import end_session, start_session

if TYPE_CHECKING:
    from schema.communities.membership import Membership
    from schema.email import EmailPreferences
    from schema.recognition.badges import BadgeAward
    from schema.sessions import Session


@strawberry.type(description="A person in Cercle: profile, skills and standing.")
class Member(Node):
    row: strawberry.Private[models.Member]
    username: str = strawberry.field(description="Unique handle, lower-case.")
    display_name: str = strawberry.field(description="The name shown to others.")
    bio: str | None = strawberry.field(description="A few words about the member.")
    experience: str | None = strawberry.field(description="Background and experience, in the member's words.")
    joined_at: datetime = strawberry.field(description="When the member registered.")

    @classmethod
    def from_row(cls, row: models.Member) -> Member:
        return cls(
            id=strawberry.ID(to_global_id("Member", row.id)),
            row=row,
            username=row.username,
            display_name=row.display_name,
            bio=row.bio,
            experience=row.experience,
            joined_at=row.joined_at,
        )

    @classmethod
    async def resolve_node(cls, info: CercleInfo, pk: int) -> Member | None:
        row = await info.context.loaders.member_by_id.load(pk)  # every member is seen
        return cls.from_row(row) if row else None

    @strawberry.field(description="Skills, lower-case, in the member's order.")
    async def skills(self, info: CercleInfo) -> list[str]:
        return await info.context.loaders.skills_by_member_id.load(self.row.id)

    @strawberry.field(description="The member's email: only visible to the member.")
    def email(self, info: CercleInfo) -> str | None:
        return self.row.email if can_view_email(info.context, self.row) else None

    @strawberry.field(description="Your sessions (logins), most recently seen first: only yours, null for others.")
    async def sessions(self, info: CercleInfo) -> list[Annotated[Session, strawberry.lazy("schema.sessions")]] | None:
        from schema.sessions import Session

        rows = await session_resolvers.sessions_of(info.context, self.row.id)
        return None if rows is None else [Session.from_row(row, info.context.session_id) for row in rows]

    @strawberry.field(description="Whether you are a site administrator: only yours, null for others.")
    def is_admin(self, info: CercleInfo) -> bool | None:
        return self.row.is_admin if info.context.viewer_id == self.row.id else None

    @strawberry.field(description="Whether the account is suspended: for the member and site administrators only.")
    async def suspended(self, info: CercleInfo) -> bool | None:
        visible = can_see_suspension(await info.context.viewer(), self.row)
        return self.row.suspended_at is not None if visible else None

    @strawberry.field(description="Whether the member's email address is verified: only yours, null for others.")
    def email_verified(self, info: CercleInfo) -> bool | None:
        return self.row.email_verified_at is not None if can_view_email(info.context, self.row) else None

    @strawberry.field(
        description="A new address you asked for (changeEmail), until its verification link is used or expires: "
        "only yours, null for others."
    )
    async def pending_email(self, info: CercleInfo) -> str | None:
        return await pending_email(self.row) if can_view_email(info.context, self.row) else None

    @strawberry.field(
        description="True once the account was deleted: show its posts and comments as by a former member "
        "(username and displayName are then neutral placeholders)."
    )
    def former_member(self) -> bool:
        return self.row.deleted_at is not None

    @strawberry.field(description="What you receive by email: only yours, null for others.")
    def email_preferences(
        self, info: CercleInfo
    ) -> Annotated[EmailPreferences, strawberry.lazy("schema.email")] | None:
        from schema.email import email_preferences_of

        return email_preferences_of(info, self.row)

    @strawberry.field(
        description="Where your notifications stood when you were read: the `notifications(after:)` subscription "
        "replays every one since (all of them while there is none yet), then goes on live. Read it no later than "
        "what a page shows of them, and follow from it: nothing in between is missed. Only yours: null for others."
    )
    def notification_cursor(self, info: CercleInfo) -> str | None:
        return notification_cursor(self.row.notification_seq) if info.context.viewer_id == self.row.id else None

    @strawberry.field(
        description="Active memberships, without private communities hidden from you; `includePending`: your "
        "own requests waiting for approval too (FORBIDDEN on anyone else's)."
    )
    async def memberships(
        self, info: CercleInfo, first: int | None = None, after: str | None = None, include_pending: bool = False
    ) -> Connection[Annotated[Membership, strawberry.lazy("schema.communities.membership")]]:
        from schema.communities.membership import Membership

        page = await community_resolvers.list_memberships_of(
            info.context, self.row.id, first=first, after=after, include_pending=include_pending
        )
        return to_connection(page, Membership.from_row)

    @strawberry.field(
        description="Badges held, oldest first: in the community named (NOT_FOUND if hidden from you), "
        "or in every community you can see."
    )
    async def badges(
        self, info: CercleInfo, community_slug: str | None = None
    ) -> list[Annotated[BadgeAward, strawberry.lazy("schema.recognition.badges")]]:
        from schema.recognition.badges import BadgeAward

        return [BadgeAward.from_row(row) for row in await badges_of_member(info.context, self.row.id, community_slug)]


@strawberry.type(description="A token and the member it authenticates.")
class AuthPayload:
    token: str = strawberry.field(description="Send as `Authorization: Bearer <token>`.")
    member: Member = strawberry.field(description="The member logged in.")


@strawberry.input(description="A new account.")
class RegisterInput:
    username: str = strawberry.field(description="3-30 characters of a-z 0-9 _ -; stored lower-case.")
    email: str = strawberry.field(description="Checked by syntax only.")
    password: str = strawberry.field(description="10-128 characters.")
    display_name: str | None = strawberry.field(default=None, description="Defaults to the username.")
    bio: str | None = strawberry.field(default=None, description="At most 2000 characters.")
    skills: list[str] | None = strawberry.field(default=None, description="At most 20, each up to 40 characters.")
    experience: str | None = strawberry.field(default=None, description="At most 2000 characters.")


@strawberry.input(description="Username or email, and password.")
class LoginInput:
    login: str = strawberry.field(description="Username or email.")
    password: str = strawberry.field(description="The password.")


@strawberry.input(description="Profile fields to change; absent fields stay as they are.")
class UpdateProfileInput:
    display_name: str | None = strawberry.field(default=None, description="The name shown to others.")
    bio: str | None = strawberry.field(default=None, description="At most 2000 characters; empty clears it.")
    skills: list[str] | None = strawberry.field(default=None, description="Replaces the skills.")
    experience: str | None = strawberry.field(default=None, description="At most 2000 characters.")


@strawberry.type
class MemberQuery:
    @strawberry.field(description="The member the request's token names; null when anonymous.")
    async def me(self, info: CercleInfo) -> Member | None:
        viewer = await info.context.viewer()
        return Member.from_row(viewer) if viewer else None

    @strawberry.field(description="A member by username.")
    async def member(self, username: str) -> Member | None:
        row = await resolvers.member_by_username(username)
        return Member.from_row(row) if row else None


@strawberry.type
class MemberMutation:
    @strawberry.mutation(description="Create an account and log in.")
    async def register(self, info: CercleInfo, input: RegisterInput) -> AuthPayload:
        token, row = await resolvers.do_register(info.context, resolvers.Registration(**vars(input)))
        start_session(info.context, token)
        return AuthPayload(token=token, member=Member.from_row(row))

    @strawberry.mutation(description="Exchange a username or email and password for a token.")
    async def login(self, info: CercleInfo, input: LoginInput) -> AuthPayload:
        token, row = await resolvers.do_login(info.context, input.login, input.password)
        start_session(info.context, token)
        return AuthPayload(token=token, member=Member.from_row(row))

    @strawberry.mutation(
        description="Log out: ends the session the request authenticated with (its token stops working on every "
        "server, its live subscriptions close) and clears the web app's session cookie; always true."
    )
    async def logout(self, info: CercleInfo) -> bool:
        await session_resolvers.do_logout(info.context)
        end_session(info.context)
        return True

    @strawberry.mutation(description="Change your own profile.")
    async def update_profile(self, info: CercleInfo, input: UpdateProfileInput) -> Member:
        row = await resolvers.do_update_profile(info.context, resolvers.ProfileInput(**vars(input)))
        return Member.from_row(row)
