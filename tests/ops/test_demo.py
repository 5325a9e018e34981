"""The demo community (`make run`): six weeks of a lived-in community, ending today, as its owner sees it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from argon2 import PasswordHasher

from bench.demo import DEMO_PASSWORD, DEMO_SLUG, STREAK_DAYS, load_demo
from models.email import EmailStatus, OutgoingEmail
from resolvers import security
from resolvers.digest import digest as digests
from resolvers.recognition import weekly_badges
from tests.digest.test_digest import section

LOGIN = 'mutation L($p: String!) { login(input: {login: "ada", password: $p}) { token } }'
COMMUNITY = """
query Demo($slug: String!) {
  community(slug: $slug) {
    viewerMembership { level joinedAt }
    engagement(period: ALL) { series { date posts } }
    week: leaderboard(period: WEEK, first: 5) { member { username } points }
    month: leaderboard(period: MONTH, first: 5) { member { username } points }
    freshness { streakDays postsToday }
    held: events(upcoming: false) { edges { node { title } } }
    coming: events(upcoming: true) { edges { node { title goingCount } } }
  }
}
"""
DIGEST = "mutation D($slug: String!) { generateDigest(communitySlug: $slug, period: WEEK) { body } }"


async def test_the_demo_looks_like_a_living_community_up_to_today(gql, monkeypatch):
    # given: the demo, loaded as `make run` loads it (with cheap password hashes: ten real ones cost seconds)
    monkeypatch.setattr(security, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    # The demo runs the weekly jobs, which remember the last week they did: restored after the test.
    monkeypatch.setattr(digests, "_drafted_week", digests._drafted_week)
    monkeypatch.setattr(weekly_badges, "_crowned_week", weekly_badges._crowned_week)
    await load_demo()
    token = (await gql.data(LOGIN, {"p": DEMO_PASSWORD}))["login"]["token"]
    # when: its owner looks at it
    community = (await gql.data(COMMUNITY, {"slug": DEMO_SLUG}, token=token))["community"]
    digest = (await gql.data(DIGEST, {"slug": DEMO_SLUG}, token=token))["generateDigest"]["body"]
    # then: the owner founded it five weeks before this one, and has earned a level since
    owner = community["viewerMembership"]
    assert owner["level"] != "NEWCOMER"
    assert datetime.fromisoformat(owner["joinedAt"]) < datetime.now(UTC) - timedelta(weeks=4)
    # the chart has posts in every one of the six weeks
    weeks_with_posts = {
        date.fromisoformat(day["date"]).isocalendar()[:2] for day in community["engagement"]["series"] if day["posts"]
    }
    assert len(weeks_with_posts) == 6
    # this week's leaderboard is not the month's, and the daily goal holds up to today
    assert community["week"] and community["week"] != community["month"]
    assert community["freshness"]["postsToday"] >= 1 and community["freshness"]["streakDays"] >= STREAK_DAYS
    # a meetup was held, the hack day is coming
    assert [edge["node"]["title"] for edge in community["held"]["edges"]] == ["Lightning talks"]
    [hack_day] = [edge["node"] for edge in community["coming"]["edges"]]
    assert hack_day["title"] == "Saturday hack day" and hack_day["goingCount"] > 0
    # and the week's digest lists posts and this week's newcomers, not the founder
    assert len(section(digest, "Top posts")) >= 5
    [newcomers] = section(digest, "Welcome to our newcomers")
    assert "@kwame" in newcomers and "@ada" not in newcomers
    # and the latest published digest waits in the outbox for the members (earlier weeks' went out at the time)
    queued = await OutgoingEmail.filter(template="digest", status=EmailStatus.QUEUED).values_list("params", flat=True)
    assert len(queued) >= 8 and len({params["post_id"] for params in queued}) == 1
