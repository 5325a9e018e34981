"""Live standing: members hear the moment they rise in the weekly leaderboard or are overtaken."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

import settings
from models.communities import Community
from models.notifications import Notification, NotificationKind
from models.points import PointsEntry
from resolvers.posts.posts import do_delete
from resolvers.recognition.points import do_grant_points
from resolvers.recognition.standings import Period
from resolvers.recognition.totals import top
from tests.factories import Persona, gid, join, make_member, make_post

RANK_KINDS = [NotificationKind.RANK_UP, NotificationKind.OVERTAKEN]


async def rank_notes(persona: Persona) -> list[tuple[str, int | None, int | None, int | None]]:
    """(kind, rank, previous rank, passer) of the member's rank notifications, oldest first."""
    rows = await Notification.filter(member_id=persona.member.id, kind__in=RANK_KINDS).order_by("seq")
    return [(row.kind.value, row.payload["rank"], row.payload["previousRank"], row.actor_id) for row in rows]


async def test_overtaking_notifies_the_riser_and_the_member_passed(
    owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: alice 10 points this week, bob 5 (bob enters the board second)
    await make_post(owner_alice, public_community)
    await make_post(owner_alice, public_community)
    await make_post(member_bob, public_community)
    assert await rank_notes(member_bob) == [("RANK_UP", 2, None, None)]
    # when: bob reaches 10 (a tie: alice, the earlier member, keeps first place), then 15
    await make_post(member_bob, public_community)
    assert await rank_notes(owner_alice) == [("RANK_UP", 1, None, None)]
    await make_post(member_bob, public_community)
    # then
    assert await rank_notes(member_bob) == [("RANK_UP", 2, None, None), ("RANK_UP", 1, 2, None)]
    assert await rank_notes(owner_alice) == [("RANK_UP", 1, None, None), ("OVERTAKEN", 2, 1, member_bob.member.id)]
    overtaken = await Notification.filter(member_id=owner_alice.member.id, kind=NotificationKind.OVERTAKEN).get()
    assert overtaken.payload["title"] == "#2 in this week's leaderboard"


async def test_only_moves_within_the_weekly_top_are_notified(
    owner_alice: Persona, member_bob: Persona, public_community: Community, monkeypatch: pytest.MonkeyPatch
):
    # given: a top of one; alice leads with 10, bob has 5
    monkeypatch.setattr(settings, "LEADERBOARD_NOTIFY_TOP", 1)
    carol = await make_member("carol")
    await join(carol, public_community)
    await make_post(owner_alice, public_community)
    await make_post(owner_alice, public_community)
    await make_post(member_bob, public_community)
    # when: carol passes bob, for second place
    await make_post(carol, public_community)
    await make_post(carol, public_community)
    await make_post(carol, public_community)
    # then: carol takes the lead at 15, the only move within the top one
    assert await rank_notes(member_bob) == []
    assert await rank_notes(carol) == [("RANK_UP", 1, None, None)]
    assert await rank_notes(owner_alice) == [("RANK_UP", 1, None, None), ("OVERTAKEN", None, 1, carol.member.id)]


async def test_an_undo_lifts_the_others_without_telling_the_one_who_fell(
    owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: bob 10 ahead of alice 5
    await make_post(member_bob, public_community)
    post = await make_post(member_bob, public_community)
    await make_post(owner_alice, public_community)
    bob_before = await rank_notes(member_bob)
    # when: bob's post is deleted, and its points taken back
    await do_delete(member_bob.ctx, gid(post), "Post")
    # then: alice is first again (bob 5 is level with her, and she is the earlier member)
    assert (await rank_notes(owner_alice))[-1] == ("RANK_UP", 1, 2, None)
    assert await rank_notes(member_bob) == bob_before


async def test_a_climber_hears_once_an_hour_except_for_first_place(
    owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: alice 20, bob 15, carol 10, dave 5, and the notifications of their arrival on the board long read
    carol, dave = await make_member("carol"), await make_member("dave")
    for persona, posts in ((owner_alice, 4), (member_bob, 3), (carol, 2), (dave, 1)):
        if persona not in (owner_alice, member_bob):
            await join(persona, public_community)
        for _ in range(posts):
            await make_post(persona, public_community)
    await Notification.filter(kind__in=RANK_KINDS).update(created_at=datetime.now(UTC) - timedelta(hours=2))
    recent_before = datetime.now(UTC) - timedelta(hours=1)

    async def recent(persona: Persona) -> list[tuple[str, int | None, int | None]]:
        rows = await Notification.filter(
            member_id=persona.member.id, kind__in=RANK_KINDS, created_at__gte=recent_before
        ).order_by("seq")
        return [(row.kind.value, row.payload["rank"], row.payload["previousRank"]) for row in rows]

    # when: a manager grants dave points three times, for third place, second, then first
    for amount in (6, 5, 5):
        await do_grant_points(owner_alice.ctx, public_community.slug, "dave", amount, "Organised the meetup")
    # then: dave hears of third place and of first, not of second in between
    assert await recent(dave) == [("RANK_UP", 3, 4), ("RANK_UP", 1, 2)]
    assert await recent(carol) == [("OVERTAKEN", 4, 3)]
    assert await recent(member_bob) == [("OVERTAKEN", 3, 2)]
    assert await recent(owner_alice) == [("OVERTAKEN", 2, 1)]


async def test_concurrent_writes_leave_every_member_told_where_they_stand(
    owner_alice: Persona, public_community: Community, monkeypatch: pytest.MonkeyPatch
):
    # given: a top of three, no cooldown, and eight members who will post at once
    monkeypatch.setattr(settings, "LEADERBOARD_NOTIFY_TOP", 3)
    monkeypatch.setattr(settings, "RANK_NOTIFICATION_COOLDOWN_MINUTES", 0)
    members = [await make_member(f"writer{n}") for n in range(8)]
    for persona in members:
        await join(persona, public_community)

    # when: they post concurrently, member n n+1 times, so that settlements cover several writes at once
    async def posts(persona: Persona, count: int) -> None:
        for _ in range(count):
            await make_post(persona, public_community)

    await asyncio.gather(*(posts(persona, n + 1) for n, persona in enumerate(members)))

    # then: the last rank notification of each member is their place now, and the top three each heard one
    board = {member: rank for rank, (member, _) in enumerate(await top(public_community.id, Period.WEEK, 3), 1)}
    assert set(board) == {persona.member.id for persona in members[-3:]}
    for persona in [owner_alice, *members]:
        notes = await rank_notes(persona)
        if notes:
            assert notes[-1][1] == board.get(persona.member.id), (persona.member.username, notes)
        else:
            assert persona.member.id not in board
        assert all(earlier != later for earlier, later in zip(notes, notes[1:], strict=False)), notes


async def test_a_move_whose_settlement_was_lost_is_announced_by_the_next(
    owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: alice 10 ahead of bob 5, then 20 points for bob whose settlement was lost (its process died)
    await make_post(owner_alice, public_community)
    await make_post(owner_alice, public_community)
    await make_post(member_bob, public_community)
    await PointsEntry.create(member_id=member_bob.member.id, community_id=public_community.id, amount=20, reason="X")
    assert (await rank_notes(member_bob))[-1] == ("RANK_UP", 2, None, None)
    # when: alice posts again, and her write's settlement reads the board
    await make_post(owner_alice, public_community)
    # then: bob hears he leads, alice that he passed her
    assert (await rank_notes(member_bob))[-1] == ("RANK_UP", 1, 2, None)
    assert (await rank_notes(owner_alice))[-1][:3] == ("OVERTAKEN", 2, 1)
