"""Membership changes that can take access away: a ban, a role change.

Each one bumps the community's access version in its own transaction (under
the row lock that numbers the community's activity), and is announced after
commit. The announcement ends the member's live feeds at once; if the broker
loses it (Redis down, a reconnect), every later event of the community
carries the new version, and feeds re-check their viewer before showing it.
"""

from __future__ import annotations

from models.communities import Community, Membership
from realtime.messages import membership_message
from resolvers.activity import next_number
from resolvers.outbox import Transaction, queue


async def announce_access_change(conn: Transaction, membership: Membership) -> None:
    """Inside writing(), with the membership as it is now."""
    version = await next_number(conn, Community, membership.community_id, "access_version")
    queue(conn, membership_message(membership, version))
