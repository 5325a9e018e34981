"""The digest email: when a DIGEST post is published, one email to each member who wants digests and was away."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from models.communities import Community, MembershipStatus
from models.members import DigestFrequency, Member
from models.posts import Post
from resolvers.email.audience import excerpt, not_seen_since, reachable, start_of_day
from resolvers.email.outbox import queue_bulk_email
from resolvers.ids import to_global_id
from resolvers.outbox import Transaction

# A digest's body lists its highlights as markdown links to posts: `[Weekend reading](/posts/UG9zdDo0OQ)`.
_POST_LINK = re.compile(r"\[([^\]\n]{1,200})\]\((/posts/[A-Za-z0-9_=-]{1,80})\)")
MAX_HIGHLIGHTS = 10


def highlights(body: str) -> list[dict[str, Any]]:
    """The posts a digest links to, in its order, once each: the email lists them, so a reader can go straight
    to one (an email's relative links lead nowhere, so they cannot simply be copied)."""
    found: dict[str, str] = {}
    for title, path in _POST_LINK.findall(body):
        found.setdefault(path, title)
    return [{"title": title, "path": path} for path, title in list(found.items())[:MAX_HIGHLIGHTS]]


async def queue_digest_emails(tx: Transaction, post: Post, publisher_id: int) -> int:
    """In the publishing transaction, one INSERT: active members of the post's community whose digest
    preference is not NEVER and who have not been seen today (they will find the digest in the app)."""
    community = await Community.get(id=post.community_id, using_db=tx)
    recipients = reachable(
        Member.filter(
            not_seen_since(start_of_day(datetime.now(UTC))),
            memberships__community_id=post.community_id,
            memberships__status=MembershipStatus.ACTIVE,
        )
    ).exclude(digest_email=DigestFrequency.NEVER)
    params = {
        "post_id": to_global_id("Post", post.id),
        "title": post.title,
        "excerpt": excerpt(post.body.split("\n\n", 1)[0]),
        "highlights": highlights(post.body),
        "community_name": community.name,
        "community_slug": community.slug,
    }
    return await queue_bulk_email(tx, template="digest", params=params, members=recipients.exclude(id=publisher_id))
