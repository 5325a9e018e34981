"""Email preferences: what the viewer receives by email, and in which language."""

from __future__ import annotations

import strawberry

from models.members import DigestFrequency, NotificationEmailMode
from models.members import Member as MemberRow
from resolvers.email import preferences as resolvers
from schema.base import CercleInfo


@strawberry.type(description="What you receive by email. Each email you may stop carries a one-click unsubscribe link.")
class EmailPreferences:
    digest: DigestFrequency = strawberry.field(
        description="Digest emails: the community's published digests and, when you have been away, a summary."
    )
    notifications: NotificationEmailMode = strawberry.field(
        description="Notifications by email: each at once, bundled, or none. Never for what you saw in the app."
    )
    language: str = strawberry.field(description="The language of your emails (and of the web app): en or fr.")

    @classmethod
    def of(cls, preferences: resolvers.EmailPreferences) -> EmailPreferences:
        return cls(digest=preferences.digest, notifications=preferences.notifications, language=preferences.language)


def email_preferences_of(info: CercleInfo, member: MemberRow) -> EmailPreferences | None:
    """A member's preferences, for the member only."""
    if info.context.viewer_id != member.id:
        return None
    return EmailPreferences.of(resolvers.EmailPreferences.of(member))


@strawberry.input(description="The preferences to change; those left out stay as they are.")
class EmailPreferencesInput:
    digest: DigestFrequency | None = strawberry.field(default=None, description="NEVER, DAILY or WEEKLY.")
    notifications: NotificationEmailMode | None = strawberry.field(
        default=None, description="IMMEDIATE, BUNDLED or NEVER."
    )
    language: str | None = strawberry.field(default=None, description="en or fr.")


@strawberry.type
class EmailMutation:
    @strawberry.mutation(description="Change what you receive by email, and its language (BAD_USER_INPUT otherwise).")
    async def update_email_preferences(self, info: CercleInfo, input: EmailPreferencesInput) -> EmailPreferences:
        preferences = await resolvers.do_update_email_preferences(
            info.context, digest=input.digest, notifications=input.notifications, language=input.language
        )
        return EmailPreferences.of(preferences)
