"""Per-request dataloaders: plain batched reads, one module per kind of row, gathered on `Loaders`.

A loader that applies a domain's rules (who may see what, which rows a read completes) lives in that
domain and is reached with `Loaders.of`, so this shared core depends on no domain.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar, cast

from strawberry.dataloader import DataLoader

from resolvers.loaders import communities, events, members, points, posts, recognition, tasks

Key = TypeVar("Key")
AnyLoader = TypeVar("AnyLoader", bound=DataLoader[Any, Any])


class Loaders:
    """Lazily creates each loader on first use, so a request pays only for what it asks."""

    def __init__(self, viewer_id: int | None) -> None:
        self.viewer_id = viewer_id
        self._domain_loaders: dict[Callable[[int | None], DataLoader[Any, Any]], DataLoader[Any, Any]] = {}

    def of(self, make: Callable[[int | None], AnyLoader]) -> AnyLoader:
        """A domain's own loader for this request (made on first use with the viewer's id)."""
        if make not in self._domain_loaders:
            self._domain_loaders[make] = make(self.viewer_id)
        return cast(AnyLoader, self._domain_loaders[make])

    @cached_property
    def member_by_id(self) -> members.MemberByIdLoader:
        return members.MemberByIdLoader()

    @cached_property
    def skills_by_member_id(self) -> members.SkillsByMemberIdLoader:
        return members.SkillsByMemberIdLoader()

    @cached_property
    def community_by_id(self) -> communities.CommunityByIdLoader:
        return communities.CommunityByIdLoader()

    @cached_property
    def membership_by_id(self) -> communities.MembershipByIdLoader:
        return communities.MembershipByIdLoader()

    @cached_property
    def invitation_by_id(self) -> communities.InvitationByIdLoader:
        return communities.InvitationByIdLoader()

    @cached_property
    def community_by_slug(self) -> communities.CommunityBySlugLoader:
        return communities.CommunityBySlugLoader()

    @cached_property
    def viewer_membership_by_community_id(self) -> communities.ViewerMembershipLoader:
        return communities.ViewerMembershipLoader(self.viewer_id)

    @cached_property
    def member_count_by_community_id(self) -> communities.MemberCountLoader:
        return communities.MemberCountLoader()

    @cached_property
    def post_by_id(self) -> posts.PostByIdLoader:
        return posts.PostByIdLoader()

    @cached_property
    def comment_by_id(self) -> posts.CommentByIdLoader:
        return posts.CommentByIdLoader()

    @cached_property
    def tags_by_post_id(self) -> posts.TagsByPostIdLoader:
        return posts.TagsByPostIdLoader()

    @cached_property
    def comment_count_by_post_id(self) -> posts.CommentCountByPostIdLoader:
        return posts.CommentCountByPostIdLoader()

    @cached_property
    def accepted_answer_by_post_id(self) -> posts.AcceptedAnswerByPostIdLoader:
        return posts.AcceptedAnswerByPostIdLoader()

    @cached_property
    def reaction_counts_by_target(self) -> posts.ReactionCountsByTargetLoader:
        return posts.ReactionCountsByTargetLoader()

    @cached_property
    def viewer_reactions_by_target(self) -> posts.ViewerReactionsByTargetLoader:
        return posts.ViewerReactionsByTargetLoader(self.viewer_id)

    @cached_property
    def badge_by_id(self) -> recognition.BadgeByIdLoader:
        return recognition.BadgeByIdLoader()

    @cached_property
    def badge_award_by_id(self) -> recognition.BadgeAwardByIdLoader:
        return recognition.BadgeAwardByIdLoader()

    @cached_property
    def task_by_id(self) -> tasks.TaskByIdLoader:
        return tasks.TaskByIdLoader()

    @cached_property
    def volunteers_by_task_id(self) -> tasks.VolunteersByTaskIdLoader:
        return tasks.VolunteersByTaskIdLoader()

    @cached_property
    def event_by_id(self) -> events.EventByIdLoader:
        return events.EventByIdLoader()

    @cached_property
    def attendance_by_event_id(self) -> events.AttendanceByEventIdLoader:
        return events.AttendanceByEventIdLoader()

    @cached_property
    def waitlist_by_event_id(self) -> events.WaitlistByEventIdLoader:
        return events.WaitlistByEventIdLoader()

    @cached_property
    def viewer_rsvp_by_event_id(self) -> events.ViewerRsvpByEventIdLoader:
        return events.ViewerRsvpByEventIdLoader(self.viewer_id)

    @cached_property
    def badges_by_membership(self) -> recognition.BadgesByMembershipLoader:
        return recognition.BadgesByMembershipLoader()

    @cached_property
    def holder_count_by_badge_id(self) -> recognition.HolderCountByBadgeIdLoader:
        return recognition.HolderCountByBadgeIdLoader()

    @cached_property
    def kudos_by_id(self) -> points.KudosByIdLoader:
        return points.KudosByIdLoader()

    @cached_property
    def points_by_membership(self) -> points.PointsByMembershipLoader:
        return points.PointsByMembershipLoader()


def forget(loader: DataLoader[Key, Any], *keys: Key) -> None:
    """Drop what a request's loader holds for these keys, after a write changed them
    (`DataLoader.clear` raises KeyError for a key it never loaded)."""
    for key in keys:
        if loader.cache_map.get(key) is not None:
            loader.clear(key)
