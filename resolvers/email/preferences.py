"""Members' email preferences: what they read and set through GraphQL, and what a one-click unsubscribe turns off."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from models.members import DigestFrequency, Member, NotificationEmailMode
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.outbox import writing

LANGUAGES = ("en", "fr")  # those the templates are written in (resolvers/email/templates/<lang>/)


class Preference(StrEnum):
    """What an unsubscribe link turns off; the value is what POST /unsubscribe answers."""

    DIGEST = "digest"
    NOTIFICATIONS = "notifications"


# Templates a member may unsubscribe from, each with the preference its one-click link sets to NEVER. The others
# (verify_email, reset_password, invitation) are sent because someone asked for them, and carry no such link.
UNSUBSCRIBABLE: dict[str, Preference] = {
    "digest": Preference.DIGEST,
    "summary": Preference.DIGEST,
    "notifications": Preference.NOTIFICATIONS,
}


def preference_is_off(member: Member, preference: Preference) -> bool:
    if preference is Preference.DIGEST:
        return member.digest_email == DigestFrequency.NEVER
    return member.notification_email == NotificationEmailMode.NEVER


async def turn_off(member_id: int, preference: Preference) -> None:
    """One-click unsubscribe: that preference becomes NEVER (again, if it was already)."""
    if preference is Preference.DIGEST:
        await Member.filter(id=member_id).update(digest_email=DigestFrequency.NEVER)
    else:
        await Member.filter(id=member_id).update(notification_email=NotificationEmailMode.NEVER)


@dataclass(frozen=True)
class EmailPreferences:
    digest: DigestFrequency
    notifications: NotificationEmailMode
    language: str

    @classmethod
    def of(cls, member: Member) -> EmailPreferences:
        return cls(digest=member.digest_email, notifications=member.notification_email, language=member.language)


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise BadUserInput(f"'language' must be one of: {', '.join(LANGUAGES)}.", field="language")
    return language


async def do_update_email_preferences(
    context: Context,
    *,
    digest: DigestFrequency | None = None,
    notifications: NotificationEmailMode | None = None,
    language: str | None = None,
) -> EmailPreferences:
    """Set what is given; what is left out stays as it was."""
    viewer = await context.require_viewer()
    changes: dict[str, object] = {}
    if language is not None:
        changes["language"] = check_language(language)
    if digest is not None:
        changes["digest_email"] = digest
    if notifications is not None:
        changes["notification_email"] = notifications
    async with writing() as tx:
        if changes:
            await Member.filter(id=viewer.id).using_db(tx).update(**changes)
        member = await Member.get(id=viewer.id, using_db=tx)
    return EmailPreferences.of(member)
