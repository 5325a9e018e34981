"""A member's own data, as data-protection law lets them ask for it (GET /me/export).

Everything Cercle holds about the member and what they contributed, in plain JSON-ready dicts: the profile,
memberships, posts and comments (deleted ones too: they are still held), reactions, kudos given and received,
badges and the points ledger. Others' personal data is not included: kudos name the other member by username.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from models.communities import Membership
from models.members import Member, MemberSkill
from models.points import Kudos, PointsEntry
from models.posts import Comment, Post, PostTag, Reaction
from models.recognition import BadgeAward
from resolvers.ids import to_global_id

Row = dict[str, Any]


async def export_member_data(member: Member) -> Row:
    return {
        "exportedAt": datetime.now(UTC),
        "profile": await _profile(member),
        "memberships": await Membership.filter(member_id=member.id)
        .order_by("id")
        .values("role", "status", "level", community="community__slug", joinedAt="joined_at"),
        "posts": await _posts(member.id),
        "comments": [
            {
                "id": to_global_id("Comment", row.pop("id")),
                "postId": to_global_id("Post", row.pop("post_id")),
                **row,
            }
            for row in await Comment.filter(author_id=member.id)
            .order_by("id")
            .values("id", "post_id", "body", "accepted", createdAt="created_at", deletedAt="deleted_at")
        ],
        "reactions": [
            {
                "target": to_global_id(row.pop("target_type").capitalize(), row.pop("target_id")),
                **row,
            }
            for row in await Reaction.filter(member_id=member.id)
            .order_by("id")
            .values("target_type", "target_id", "kind", createdAt="created_at")
        ],
        "kudosGiven": await Kudos.filter(giver_id=member.id)
        .order_by("id")
        .values("message", community="community__slug", to="receiver__username", createdAt="created_at"),
        "kudosReceived": await Kudos.filter(receiver_id=member.id)
        .order_by("id")
        .values("message", community="community__slug", **{"from": "giver__username"}, createdAt="created_at"),
        "badges": await BadgeAward.filter(member_id=member.id)
        .order_by("id")
        .values(
            "reason",
            badge="badge__slug",
            name="badge__name",
            tier="badge__tier",
            community="community__slug",
            awardedAt="awarded_at",
        ),
        "points": await PointsEntry.filter(member_id=member.id)
        .order_by("id")
        .values("amount", "reason", "note", community="community__slug", createdAt="created_at"),
    }


async def _profile(member: Member) -> Row:
    skills = await MemberSkill.filter(member_id=member.id).order_by("position").values_list("skill", flat=True)
    return {
        "id": to_global_id("Member", member.id),
        "username": member.username,
        "displayName": member.display_name,
        "email": member.email,
        "emailVerified": member.email_verified_at is not None,
        "bio": member.bio,
        "skills": skills,
        "experience": member.experience,
        "joinedAt": member.joined_at,
        "lastSeenAt": member.last_seen_at,
        "language": member.language,
        "emailPreferences": {"digest": member.digest_email, "notifications": member.notification_email},
    }


async def _posts(member_id: int) -> list[Row]:
    posts = (
        await Post.filter(author_id=member_id)
        .order_by("id")
        .values(
            "id",
            "kind",
            "status",
            "title",
            "body",
            community="community__slug",
            createdAt="created_at",
            publishedAt="published_at",
            deletedAt="deleted_at",
        )
    )
    tags: dict[int, list[str]] = {}
    for post_id, tag in (
        await PostTag.filter(post__author_id=member_id).order_by("position").values_list("post_id", "tag")
    ):
        tags.setdefault(post_id, []).append(tag)
    return [{**post, "id": to_global_id("Post", post["id"]), "tags": tags.get(post["id"], [])} for post in posts]
