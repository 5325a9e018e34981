from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from models.posts import Comment, Post, PostTag, Reaction, ReactionKind, TargetType
from resolvers.loaders.base import ByIdLoader, grouped
from resolvers.loaders.sql import ModelRows, Statement, key_list

Target = tuple[TargetType, int]


class PostByIdLoader(ByIdLoader[Post]):
    model = Post


class CommentByIdLoader(ByIdLoader[Comment]):
    model = Comment


TAGS = Statement(PostTag, "SELECT post_id, tag FROM post_tag WHERE post_id = ANY($1) ORDER BY position")
COMMENT_COUNTS = Statement(
    Comment,
    "SELECT post_id, count(*) AS n FROM comment WHERE post_id = ANY($1) AND deleted_at IS NULL GROUP BY post_id",
)
ACCEPTED_ANSWERS = ModelRows(Comment, "post_id = ANY($1) AND accepted AND deleted_at IS NULL")
REACTION_COUNTS = Statement(
    Reaction,
    "SELECT target_id, kind, count(*) AS n FROM reaction WHERE target_type = $1 AND target_id = ANY($2) "
    "GROUP BY target_id, kind",
)
VIEWER_REACTIONS = Statement(
    Reaction, "SELECT target_id, kind FROM reaction WHERE target_type = $1 AND target_id = ANY($2) AND member_id = $3"
)


class TagsByPostIdLoader(DataLoader[int, list[str]]):
    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[int]) -> list[list[str]]:
        return grouped(await TAGS.rows(key_list(keys)), "post_id", keys, "tag")


class CommentCountByPostIdLoader(DataLoader[int, int]):
    """Visible (not deleted) comments per post."""

    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[int]) -> list[int]:
        counts = {row["post_id"]: row["n"] for row in await COMMENT_COUNTS.rows(key_list(keys))}
        return [counts.get(key, 0) for key in keys]


class AcceptedAnswerByPostIdLoader(DataLoader[int, Comment | None]):
    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[int]) -> list[Comment | None]:
        by_post = {row.post_id: row for row in await ACCEPTED_ANSWERS.fetch(key_list(keys))}
        return [by_post.get(key) for key in keys]


def _ids_by_type(keys: Sequence[Target]) -> dict[TargetType, list[int]]:
    by_type: dict[TargetType, list[int]] = {}
    for target_type, target_id in keys:
        by_type.setdefault(target_type, []).append(target_id)
    return by_type


class ReactionCountsByTargetLoader(DataLoader[Target, dict[str, int]]):
    """Counts per reaction kind for each (target type, id)."""

    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[Target]) -> list[dict[str, int]]:
        counts: dict[Target, dict[str, int]] = {}
        for target_type, ids in _ids_by_type(keys).items():
            for row in await REACTION_COUNTS.rows(target_type.value, key_list(ids)):
                counts.setdefault((target_type, row["target_id"]), {})[row["kind"]] = row["n"]
        return [counts.get(key, {}) for key in keys]


class ViewerReactionsByTargetLoader(DataLoader[Target, list[str]]):
    def __init__(self, viewer_id: int | None) -> None:
        super().__init__(load_fn=self._load)
        self.viewer_id = viewer_id

    async def _load(self, keys: Sequence[Target]) -> list[list[str]]:
        if self.viewer_id is None:
            return [[] for _ in keys]
        mine: dict[Target, list[str]] = {}
        for target_type, ids in _ids_by_type(keys).items():
            for row in await VIEWER_REACTIONS.rows(target_type.value, key_list(ids), self.viewer_id):
                mine.setdefault((target_type, row["target_id"]), []).append(row["kind"])
        # In ReactionKind order, as `counts` lists them.
        order = list(ReactionKind)
        return [sorted(mine.get(key, []), key=lambda kind: order.index(ReactionKind(kind))) for key in keys]
