"""Boards read from the ledger's snapshot (resolvers/recognition/totals.py) always equal a full sum over the ledger:
random rows, reversals, changed rules, members leaving, banned or deleted, before and after each fold, in every
period, and later when the periods have moved on."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import pytest
from tortoise.transactions import in_transaction

from models.communities import Community, Membership, MembershipStatus
from models.members import Member
from models.points import CommunityRule, PointsEntry, PointsSnapshot
from resolvers.outbox import writing
from resolvers.recognition import totals
from resolvers.recognition.points import earn, rules_of
from resolvers.recognition.standings import Period, next_period_start, period_start
from resolvers.scheduling.jobs import JOBS
from tests.conftest import BACKEND
from tests.factories import Persona, count_queries
from tests.recognition.test_leaderboard import BOARD

MEMBERS = 14
ROUNDS = 6


async def full_board(community_id: int, period: Period, moment: datetime) -> list[tuple[int, int]]:
    """The board by hand: every ledger row of the period, summed per active member, best first."""
    start = period_start(period, moment) or totals.BEGINNING
    end = next_period_start(period, moment) or totals.NEVER
    active = set(
        await Membership.filter(community_id=community_id, status=MembershipStatus.ACTIVE).values_list(
            "member_id", flat=True
        )
    )
    sums: dict[int, int] = {}
    rows = await PointsEntry.filter(community_id=community_id).values_list("member_id", "amount", "created_at")
    for member, amount, created_at in rows:
        if member in active and start <= created_at < end:
            sums[member] = sums.get(member, 0) + amount
    return sorted(((m, p) for m, p in sums.items() if p > 0), key=lambda s: (-s[1], s[0]))


async def assert_boards_are_full_sums(community: Community, moment: datetime, members: list[int]) -> None:
    for period in Period:
        expected = await full_board(community.id, period, moment)
        assert await totals.top(community.id, period, 100, moment) == expected, (period, moment)
        assert await totals.top(community.id, period, 3, moment) == expected[:3], (period, moment)
        ranks = {member: (rank, points) for rank, (member, points) in enumerate(expected, 1)}
        for member in members:
            assert await totals.rank_of(community.id, period, member, moment) == ranks.get(member), (period, member)


async def add_random_rows(rng: random.Random, community: Community, members: list[int], now: datetime) -> None:
    """Rows from last year to now, some reversed; some through a rule a manager has just changed."""
    ages = [timedelta(0), timedelta(hours=3), timedelta(days=2), timedelta(days=9), timedelta(days=40)]
    for _ in range(rng.randrange(5, 25)):
        age = rng.choice([*ages, timedelta(days=rng.randrange(365))]) + timedelta(seconds=rng.randrange(3600))
        await PointsEntry.create(
            member_id=rng.choice(members),
            community_id=community.id,
            amount=rng.choice([1, 2, 5, 10, 15, -3]),  # a manager may take points away by hand
            reason="MANUAL",
            created_at=max(now - age, now - timedelta(days=400)),
        )
    for row in await PointsEntry.filter(community_id=community.id, amount__gt=0, reversed_by__id__isnull=True):
        if rng.random() < 0.15:
            await PointsEntry.create(
                member_id=row.member_id,
                community_id=community.id,
                amount=-row.amount,
                reason="REVERSAL",
                reverses_id=row.id,
                created_at=max(row.created_at, now - timedelta(days=rng.randrange(3))),
            )
    await CommunityRule.update_or_create(
        defaults={"value": rng.randrange(1, 30)}, community_id=community.id, key="POST_PUBLISHED"
    )
    async with writing() as tx:
        rules = await rules_of(tx, community.id)
        for member in rng.sample(members, 3):
            subject = ("post", rng.randrange(1, 10_000))
            await earn(tx, rules, "POST_PUBLISHED", member_id=member, community_id=community.id, subject=subject)


async def change_a_membership(rng: random.Random, community: Community, members: list[int]) -> None:
    """A member banned, made pending, back again, leaving (or deleting their account), or deleted outright."""
    member = rng.choice(members)
    change = rng.choice(["banned", "pending", "active", "left", "gone"])
    if change == "left":
        await Membership.filter(member_id=member, community_id=community.id).delete()
    elif change == "gone":
        await Member.filter(id=member).delete()  # the ledger and the totals go with the member
        members.remove(member)
    else:
        status = {"banned": MembershipStatus.BANNED, "pending": MembershipStatus.PENDING}.get(change)
        await Membership.filter(member_id=member, community_id=community.id).update(
            status=status or MembershipStatus.ACTIVE
        )


async def make_members(community: Community, count: int, first: int = 0) -> list[int]:
    ids = []
    for i in range(first, first + count):
        member = await Member.create(
            username=f"ranked{i}", email=f"ranked{i}@example.org", password_hash="", display_name=f"Ranked {i}"
        )
        await Membership.create(member_id=member.id, community_id=community.id)
        ids.append(member.id)
    return ids


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_boards_from_the_snapshot_are_always_full_sums_over_the_ledger(
    seed: int, owner_alice: Persona, public_community: Community
):
    rng = random.Random(seed)
    members = await make_members(public_community, MEMBERS)
    for _ in range(ROUNDS):
        # given: new rows, a membership changed, and sometimes a fold
        await change_a_membership(rng, public_community, members)
        await add_random_rows(rng, public_community, members, datetime.now(UTC))
        await change_a_membership(rng, public_community, members)
        await assert_boards_are_full_sums(public_community, datetime.now(UTC), members)
        if rng.random() < 0.6:
            await totals.fold_ledgers()
            # then: the same boards after the fold, now and once each period has moved on (nothing folded since)
            now = datetime.now(UTC)
            for moment in (now, now + timedelta(days=1), now + timedelta(days=8), now + timedelta(days=35)):
                await assert_boards_are_full_sums(public_community, moment, members)
    folded = await PointsSnapshot.get(community_id=public_community.id)
    assert await totals.fold_ledgers() in (0, 1)
    assert await totals.fold_ledgers() == 0  # folding again adds nothing
    assert (await PointsSnapshot.get(community_id=public_community.id)).through_id >= folded.through_id
    await assert_boards_are_full_sums(public_community, datetime.now(UTC), members)


@pytest.mark.skipif(BACKEND != "postgres", reason="SQLite runs one transaction at a time")
async def test_a_row_that_commits_after_a_higher_id_is_never_skipped(
    owner_alice: Persona, member_bob: Persona, public_community: Community, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(totals, "SETTLE_TIMEOUT_SECONDS", 0.1)
    row = {"community_id": public_community.id, "reason": "MANUAL"}
    written, commit = asyncio.Event(), asyncio.Event()

    async def slow_writer() -> None:
        async with in_transaction() as slow:
            await PointsEntry.create(using_db=slow, member_id=owner_alice.member.id, amount=7, **row)
            written.set()
            await commit.wait()

    # given: alice's row has the lower id but is not committed when bob's, with a higher id, is
    slow = asyncio.create_task(slow_writer())  # its own task, so its transaction is not this one's
    await asyncio.wait_for(written.wait(), 10)
    await PointsEntry.create(member_id=member_bob.member.id, amount=5, **row)
    # when: the scheduler folds while alice's transaction is still open
    assert await totals.fold_ledgers() == 0
    commit.set()
    await asyncio.wait_for(slow, 10)
    # then: once it commits, both rows count, before and after the next fold
    expected = [(owner_alice.member.id, 7), (member_bob.member.id, 5)]
    assert await totals.top(public_community.id, Period.ALL, 10) == expected
    assert await totals.fold_ledgers() == 1
    assert await totals.top(public_community.id, Period.ALL, 10) == expected


def test_the_scheduler_folds_the_ledgers():
    assert totals.fold_ledgers in JOBS


async def test_a_board_and_a_rank_read_as_many_statements_whatever_the_ledger_and_the_snapshot(
    gql, member_bob: Persona, public_community: Community
):
    async def statements_for_board() -> int:
        with count_queries() as statements:
            await gql.data(BOARD, {"slug": public_community.slug, "period": "ALL"}, token=member_bob.token)
        return len(statements)

    rng = random.Random(4)
    members = await make_members(public_community, 3)
    await add_random_rows(rng, public_community, members, datetime.now(UTC))
    small = await statements_for_board()
    members += await make_members(public_community, 8, first=3)
    for _ in range(3):
        await add_random_rows(rng, public_community, members, datetime.now(UTC))
    assert await statements_for_board() == small
    await totals.fold_ledgers()
    await add_random_rows(rng, public_community, members, datetime.now(UTC))
    assert await statements_for_board() == small
