from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from strawberry.dataloader import DataLoader
from tortoise.functions import Count

from models.posts import Comment, Post, PostTag, Reaction, ReactionKind, TargetType
from resolvers.loaders.base import ByIdLoader, grouped

Target = tuple[TargetType, int]


class PostByIdLoader(ByIdLoader[Post]):
    model = Post


class CommentByIdLoader(ByIdLoader[Comment]):
    model = Comment


class TagsByPostIdLoader(DataLoader[int, list[str]]):
    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[int]) -> list[list[str]]:
        rows = await PostTag.filter(post_id__in=set(keys)).order_by("position").values("post_id", "tag")
        return grouped(rows, "post_id", keys, "tag")


class CommentCountByPostIdLoader(DataLoader[int, int]):
    """Visible (not deleted) comments per post."""

    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[int]) -> list[int]:
        rows = (
            await Comment.filter(post_id__in=set(keys), deleted_at__isnull=True)
            .group_by("post_id")
            .annotate(n=Count("id"))
            .values("post_id", "n")
        )
        counts = {row["post_id"]: row["n"] for row in rows}
        return [counts.get(key, 0) for key in keys]


class AcceptedAnswerByPostIdLoader(DataLoader[int, Comment | None]):
    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[int]) -> list[Comment | None]:
        rows = await Comment.filter(post_id__in=set(keys), accepted=True, deleted_at__isnull=True)
        by_post = {row.post_id: row for row in rows}
        return [by_post.get(key) for key in keys]


def _targets_filter(keys: Sequence[Target]) -> dict[TargetType, set[int]]:
    by_type: dict[TargetType, set[int]] = {}
    for target_type, target_id in keys:
        by_type.setdefault(target_type, set()).add(target_id)
    return by_type


async def _reactions(keys: Sequence[Target], **filters: object) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for target_type, ids in _targets_filter(keys).items():
        rows += await (
            Reaction.filter(target_type=target_type, target_id__in=ids, **filters)
            .group_by("target_type", "target_id", "kind")
            .annotate(n=Count("id"))
            .values("target_type", "target_id", "kind", "n")
        )
    return rows


class ReactionCountsByTargetLoader(DataLoader[Target, dict[str, int]]):
    """Counts per reaction kind for each (target type, id)."""

    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[Target]) -> list[dict[str, int]]:
        counts: dict[Target, dict[str, int]] = {}
        for row in await _reactions(keys):
            counts.setdefault((TargetType(row["target_type"]), row["target_id"]), {})[str(row["kind"])] = row["n"]
        return [counts.get(key, {}) for key in keys]


class ViewerReactionsByTargetLoader(DataLoader[Target, list[str]]):
    def __init__(self, viewer_id: int | None) -> None:
        super().__init__(load_fn=self._load)
        self.viewer_id = viewer_id

    async def _load(self, keys: Sequence[Target]) -> list[list[str]]:
        if self.viewer_id is None:
            return [[] for _ in keys]
        mine: dict[Target, list[str]] = {}
        for row in await _reactions(keys, member_id=self.viewer_id):
            mine.setdefault((TargetType(row["target_type"]), row["target_id"]), []).append(str(row["kind"]))
        # In ReactionKind order, as `counts` lists them.
        order = list(ReactionKind)
        return [sorted(mine.get(key, []), key=lambda kind: order.index(ReactionKind(kind))) for key in keys]
