"""Leaderboards, the rules managers set, and points granted by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.communities import Community
from models.points import PointsEntry
from resolvers.communities.moderation import do_set_banned
from resolvers.recognition.standings import next_period_start, period_start, week_key
from tests.factories import Persona, count_queries, join, make_member, make_post

BOARD = """
query B($slug: String!, $period: Period, $first: Int) {
  community(slug: $slug) {
    leaderboard(period: $period, first: $first) { rank points member { username } }
    viewerRank(period: $period) { rank points }
  }
}
"""
GRANT = """
mutation G($slug: String!, $username: String!, $amount: Int!, $reason: String!) {
  grantPoints(communitySlug: $slug, username: $username, amount: $amount, reason: $reason) { points }
}
"""
SET_RULE = """
mutation R($slug: String!, $key: String!, $value: Int!) {
  setPointsRule(communitySlug: $slug, key: $key, value: $value) { key value defaultValue }
}
"""
RULES = "query Q($slug: String!) { community(slug: $slug) { pointsRules { key value defaultValue } } }"


async def board(gql, community: Community, viewer: Persona | None = None, **variables: object) -> dict:
    data = await gql.data(BOARD, {"slug": community.slug, **variables}, token=viewer.token if viewer else None)
    return data["community"]


async def grant(gql, manager: Persona, community: Community, username: str, amount: int, reason: str = "A talk"):
    variables = {"slug": community.slug, "username": username, "amount": amount, "reason": reason}
    return await gql.execute(GRANT, variables, token=manager.token)


async def test_ranks_follow_points_and_ties_go_to_the_earlier_member(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: carol and bob both at 10, alice at 5; carol joined after bob
    carol = await make_member("carol")
    await join(carol, public_community)
    for persona in (carol, member_bob, carol, member_bob, owner_alice):
        await make_post(persona, public_community)
    # when
    standings = await board(gql, public_community, member_bob)
    # then
    ranked = [(e["rank"], e["member"]["username"], e["points"]) for e in standings["leaderboard"]]
    assert ranked == [(1, "bob", 10), (2, "carol", 10), (3, "alice", 5)]
    assert standings["viewerRank"] == {"rank": 1, "points": 10}


async def test_your_rank_shows_outside_the_top_and_anonymous_has_none(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    await make_post(owner_alice, public_community)
    await make_post(owner_alice, public_community)
    await make_post(member_bob, public_community)
    top_one = await board(gql, public_community, member_bob, first=1)
    assert [e["member"]["username"] for e in top_one["leaderboard"]] == ["alice"]
    assert top_one["viewerRank"] == {"rank": 2, "points": 5}
    assert (await board(gql, public_community, first=1))["viewerRank"] is None


def test_periods_are_calendar_periods_in_utc():
    tuesday = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
    assert period_start("DAY", tuesday) == datetime(2026, 11, 24, tzinfo=UTC)
    assert period_start("WEEK", tuesday) == datetime(2026, 11, 23, tzinfo=UTC)  # Monday
    assert period_start("MONTH", tuesday) == datetime(2026, 11, 1, tzinfo=UTC)
    assert period_start("ALL", tuesday) is None
    last_second = datetime(2026, 11, 29, 23, 59, 59, tzinfo=UTC)  # Sunday night, still the same week
    assert period_start("WEEK", last_second) == datetime(2026, 11, 23, tzinfo=UTC)
    assert next_period_start("WEEK", last_second) == datetime(2026, 11, 30, tzinfo=UTC)
    assert next_period_start("MONTH", datetime(2026, 12, 31, 23, tzinfo=UTC)) == datetime(2027, 1, 1, tzinfo=UTC)
    assert week_key(datetime(2027, 1, 1, tzinfo=UTC)) == "2026-W53"  # ISO weeks: Friday 1 January is in 2026's


async def test_each_period_counts_from_its_first_instant(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    async def ranking(period: str) -> list[tuple[str, int]]:
        entries = (await board(gql, public_community, period=period))["leaderboard"]
        return [(e["member"]["username"], e["points"]) for e in entries]

    for period in ("DAY", "WEEK", "MONTH"):
        # given: 5 points for bob just before the period began, 5 for alice at its first instant
        await PointsEntry.all().delete()
        start = period_start(period)
        for persona, moment in ((member_bob, start - timedelta(microseconds=1)), (owner_alice, start)):
            await make_post(persona, public_community)
            await PointsEntry.filter(member_id=persona.member.id).update(created_at=moment)
        # then
        assert await ranking(period) == [("alice", 5)], period
        assert await ranking("ALL") == [("alice", 5), ("bob", 5)]  # a tie: alice is the earlier member


async def test_banned_members_leave_the_leaderboard(gql, owner_alice: Persona, member_bob: Persona, public_community):
    await make_post(member_bob, public_community)
    await do_set_banned(owner_alice.ctx, public_community.slug, "bob", True)
    assert (await board(gql, public_community))["leaderboard"] == []


async def test_managers_grant_points_with_a_reason_as_a_ledger_row(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    answer = await grant(gql, owner_alice, public_community, "bob", 50, "Talk at the March meetup")
    assert answer["data"]["grantPoints"] == {"points": 50}
    removal = await grant(gql, owner_alice, public_community, "bob", -20, "Counted twice")
    assert removal["data"]["grantPoints"] == {"points": 30}
    row = await PointsEntry.filter(member_id=member_bob.member.id).order_by("id").first()
    assert (row.reason, row.note, row.given_by_id) == ("MANUAL", "Talk at the March meetup", owner_alice.member.id)


async def test_granting_points_is_for_managers_with_sensible_input(
    gql, owner_alice: Persona, member_bob: Persona, outsider_mallory: Persona, public_community: Community
):
    cases = [
        (member_bob, "alice", 10, "A talk", "FORBIDDEN"),
        (owner_alice, "bob", 0, "Nothing", "BAD_USER_INPUT"),
        (owner_alice, "bob", 100_000, "Too much", "BAD_USER_INPUT"),
        (owner_alice, "bob", 10, "  ", "BAD_USER_INPUT"),
        (owner_alice, "mallory", 10, "Not a member", "NOT_FOUND"),
    ]
    for actor, username, amount, reason, code in cases:
        answer = await grant(gql, actor, public_community, username, amount, reason)
        assert answer["errors"][0]["extensions"]["code"] == code, (username, amount, reason)
    assert await PointsEntry.filter(reason="MANUAL").count() == 0


async def test_a_changed_rule_applies_from_then_on_and_never_rewrites_history(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    await make_post(member_bob, public_community, "before")
    changed = await gql.data(
        SET_RULE, {"slug": public_community.slug, "key": "POST_PUBLISHED", "value": 12}, token=owner_alice.token
    )
    await make_post(member_bob, public_community, "after")
    assert changed["setPointsRule"] == {"key": "POST_PUBLISHED", "value": 12, "defaultValue": 5}
    assert [e["points"] for e in (await board(gql, public_community))["leaderboard"]] == [5 + 12]
    rules = (await gql.data(RULES, {"slug": public_community.slug}))["community"]["pointsRules"]
    assert {"key": "POST_PUBLISHED", "value": 12, "defaultValue": 5} in rules
    assert {"key": "ANSWER_ACCEPTED", "value": 15, "defaultValue": 15} in rules


async def test_rules_are_set_by_managers_only_and_must_exist(gql, member_bob: Persona, owner_alice, public_community):
    by_member = await gql.error(
        SET_RULE, {"slug": public_community.slug, "key": "POST_PUBLISHED", "value": 99}, token=member_bob.token
    )
    unknown = await gql.error(
        SET_RULE, {"slug": public_community.slug, "key": "NAP", "value": 1}, token=owner_alice.token
    )
    negative = await gql.error(
        SET_RULE, {"slug": public_community.slug, "key": "POST_PUBLISHED", "value": -5}, token=owner_alice.token
    )
    assert by_member["extensions"]["code"] == "FORBIDDEN"
    assert unknown["extensions"] == {"code": "BAD_USER_INPUT", "field": "key"}
    assert negative["extensions"] == {"code": "BAD_USER_INPUT", "field": "value"}


MEMBERS_WITH_POINTS = """
query M($slug: String!) {
  community(slug: $slug) {
    members(first: 50) { edges { node { points level badges { badge { slug } } member { username } } } }
  }
}
"""


async def test_a_members_page_reads_points_and_badges_in_as_many_statements_whatever_its_size(
    gql, owner_alice: Persona, public_community: Community
):
    async def statements_for_page() -> int:
        with count_queries() as statements:
            await gql.data(MEMBERS_WITH_POINTS, {"slug": public_community.slug})
        return len(statements)

    await make_post(owner_alice, public_community)  # a first badge on the small page too
    small = await statements_for_page()
    for i in range(8):
        newcomer = await make_member(f"extra{i}")
        await join(newcomer, public_community)
        await make_post(newcomer, public_community)
    assert await statements_for_page() == small


async def test_a_leaderboard_page_is_1_to_100_long(gql, public_community: Community):
    for first in (0, 101):
        error = await gql.error(BOARD, {"slug": public_community.slug, "first": first})
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}
