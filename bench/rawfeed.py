"""The baseline of the query-overhead benchmark: the rows of a 20-post feed fetched with the raw
asyncpg driver in a few SQL statements and serialised with orjson, in exactly the JSON shape the
GraphQL feed query answers. No Cercle import: this is what the hardware and driver can do.
"""

from __future__ import annotations

import base64
from typing import Any

import asyncpg
import orjson

FEED_SIZE = 20
REACTION_ORDER = ("LIKE", "INSIGHTFUL", "THANKS", "CELEBRATE")  # the order of ReactionKind

COMMUNITY_SQL = "SELECT id, visibility FROM community WHERE slug = $1"
POSTS_SQL = """
SELECT p.id, p.title, p.body_html, p.created_at, m.username, m.display_name
FROM post p JOIN member m ON m.id = p.author_id
WHERE p.community_id = $1 AND p.status = 'PUBLISHED' AND p.deleted_at IS NULL
ORDER BY p.published_at DESC, p.id DESC
LIMIT $2
"""
TAGS_SQL = "SELECT post_id, tag FROM post_tag WHERE post_id = ANY($1::int[]) ORDER BY post_id, position"
REACTIONS_SQL = """
SELECT target_id, kind, count(*) AS n FROM reaction
WHERE target_type = 'post' AND target_id = ANY($1::int[])
GROUP BY target_id, kind
"""
COMMENTS_SQL = """
SELECT post_id, count(*) AS n FROM comment
WHERE post_id = ANY($1::int[]) AND deleted_at IS NULL
GROUP BY post_id
"""
STATEMENTS_PER_FEED = 5


def global_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


async def fetch_feed(conn: asyncpg.Connection, slug: str, first: int = FEED_SIZE) -> dict[str, Any]:
    """`{"data": ...}` as the feed query answers it, for an anonymous viewer."""
    community = await conn.fetchrow(COMMUNITY_SQL, slug)
    if community is None or community["visibility"] != "PUBLIC":
        return {"data": {"community": None}}
    posts = await conn.fetch(POSTS_SQL, community["id"], first)
    ids = [row["id"] for row in posts]
    tags: dict[int, list[str]] = {}
    for row in await conn.fetch(TAGS_SQL, ids):
        tags.setdefault(row["post_id"], []).append(row["tag"])
    reactions: dict[int, dict[str, int]] = {}
    for row in await conn.fetch(REACTIONS_SQL, ids):
        reactions.setdefault(row["target_id"], {})[row["kind"]] = row["n"]
    comments = {row["post_id"]: row["n"] for row in await conn.fetch(COMMENTS_SQL, ids)}
    edges = []
    for row in posts:
        counts = reactions.get(row["id"], {})
        edges.append(
            {
                "node": {
                    "id": global_id("Post", row["id"]),
                    "title": row["title"],
                    "bodyHtml": row["body_html"],
                    "tags": tags.get(row["id"], []),
                    "createdAt": row["created_at"],
                    "author": {"username": row["username"], "displayName": row["display_name"]},
                    "reactions": {
                        "total": sum(counts.values()),
                        "counts": [{"kind": kind, "count": counts[kind]} for kind in REACTION_ORDER if kind in counts],
                    },
                    "commentCount": comments.get(row["id"], 0),
                }
            }
        )
    return {"data": {"community": {"posts": {"edges": edges}}}}


async def feed_json(conn: asyncpg.Connection, slug: str) -> bytes:
    return orjson.dumps(await fetch_feed(conn, slug))
