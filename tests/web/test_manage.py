"""The managers' dashboard in a real (headless) Chromium: charts of weeks of history, the live pulse, the
digest from draft to published post, and the refusal a plain member sees."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

from models.activity import Activity, Verb
from models.communities import Community, Membership
from models.points import Kudos
from models.posts import Comment, Post, PostKind, PostStatus, PostTag, Reaction, ReactionKind, TargetType
from models.tasks import Task
from tests.factories import PASSWORD, Persona, join, make_member
from tests.fixtures.server import Server, browse
from tests.web.test_login import LABELS

ENGLISH = LABELS["en-GB"] | {
    "report": "Engagement",
    "pulse": "Live pulse: today",
    "refused": "Only the community's managers see this page.",
    "contentChart": "Posts, comments, reactions and kudos per day",
    "dailyGoal": "Daily goal (posts a day)",
    "setGoal": "Set the goal",
    "goalShown": "Posts today: 1 of 3",
    "period": "Covering",
    "periodChoice": "Last 30 days",
    "generate": "Draft the digest",
    "digestTitle": "Digest title",
    "createTask": "Create the task",
    "editor": "Editor",
    "assign": "Give the task",
    "publish": "Publish the digest",
}
HISTORY_DAYS = 24


async def weeks_of_history(community: Community, people: list[Persona]) -> tuple[int, int]:
    """HISTORY_DAYS days of posts (1 to 3 a day), comments, reactions and kudos, written as rows at their
    moments like tests/engagement's town (the resolvers would date them now); how many posts and comments."""
    now = datetime.now(UTC)
    start = now - timedelta(days=HISTORY_DAYS + 2)
    await Community.filter(id=community.id).update(created_at=start)
    await Membership.filter(community_id=community.id).update(joined_at=start)
    first_seq = (await Community.get(id=community.id)).activity_seq + 1
    seq = itertools.count(first_seq)
    activity, comments, tags, reactions, kudos = [], [], [], [], []

    def did(person: Persona, verb: Verb, moment: datetime) -> None:
        activity.append(
            Activity(community_id=community.id, seq=next(seq), actor_id=person.member.id, verb=verb, created_at=moment)
        )

    posts = 0
    for days_ago in range(HISTORY_DAYS, 0, -1):
        moment = (now - timedelta(days=days_ago)).replace(hour=10, minute=0)
        for number in range(1 + (days_ago * 7) % 3):
            author, other = people[(days_ago + number) % len(people)], people[(days_ago + number + 1) % len(people)]
            post = await Post.create(
                community_id=community.id,
                author_id=author.member.id,
                kind=PostKind.QUESTION if number == 1 else PostKind.DISCUSSION,
                title=f"Day {days_ago} post {number}",
                body="Some *text*",
                body_html="<p>Some <em>text</em></p>",
                created_at=moment,
                published_at=moment,
            )
            posts += 1
            did(author, Verb.POSTED, moment)
            tags.append(PostTag(post_id=post.id, tag="python" if days_ago <= 7 else "events"))
            for _ in range(number + days_ago % 2):
                answered = moment + timedelta(minutes=30)
                comments.append(
                    Comment(
                        post_id=post.id,
                        author_id=other.member.id,
                        body="Found it",
                        body_html="<p>Found it</p>",
                        created_at=answered,
                    )
                )
                did(other, Verb.COMMENTED, answered)
            if days_ago % 2:
                reactions.append(
                    Reaction(
                        member_id=other.member.id,
                        target_type=TargetType.POST,
                        target_id=post.id,
                        kind=ReactionKind.LIKE,
                        created_at=moment,
                    )
                )
                did(other, Verb.REACTED, moment)
        if days_ago % 5 == 0:
            giver, receiver = people[0], people[1 + days_ago % (len(people) - 1)]
            kudos.append(
                Kudos(
                    community_id=community.id,
                    giver_id=giver.member.id,
                    receiver_id=receiver.member.id,
                    message="Merci !",
                    created_at=moment,
                )
            )
            did(giver, Verb.KUDOS, moment)
    for model, rows in (
        (Activity, activity),
        (Comment, comments),
        (PostTag, tags),
        (Reaction, reactions),
        (Kudos, kudos),
    ):
        await model.bulk_create(rows)
    await Community.filter(id=community.id).update(activity_seq=first_seq + len(activity) - 1)  # the next is ours
    return posts, len(comments)


async def open_dashboard(chromium: str, server: Server, options: dict) -> dict:
    return await browse(
        "web_manage.mjs",
        {
            "executablePath": chromium,
            "origin": server.graphql_url.removesuffix("/graphql"),
            "labels": ENGLISH,
            "password": PASSWORD,
            **options,
        },
    )


async def test_a_manager_runs_the_community_from_the_dashboard(
    live_server: Server,
    node_modules: Path,
    chromium: str,
    web_app: Path,
    owner_alice: Persona,
    member_bob: Persona,
    public_community: Community,
) -> None:
    # given a community with weeks of posts, comments, reactions and kudos by alice (its owner), bob and carol
    carol = await make_member("carol", skills=["writing"], display_name="Carol")
    await join(carol, public_community)
    posts, comments = await weeks_of_history(public_community, [owner_alice, member_bob, carol])
    # when alice opens the dashboard, bob posts meanwhile, and alice sets the daily goal to 3, drafts the digest,
    # hands it over and publishes it; and bob, a plain member, opens the dashboard too
    report = await open_dashboard(
        chromium,
        live_server,
        {
            "slug": public_community.slug,
            "manager": owner_alice.username,
            "member": member_bob.username,
            "memberToken": member_bob.token,
            "digestTitle": "Our month in Python Paris",
        },
    )
    assert report["ok"], report["error"]
    # then the three charts are drawn, each with its series in colour, and the figures are the history's
    for chart in ("chart-content", "chart-people", "chart-health"):
        drawn = report["charts"][chart]
        assert drawn["width"] > 0 and drawn["height"] > 0, drawn
        assert drawn["seriesPixels"] > 20, drawn
    assert report["figures"]["Posts"] == str(posts)
    assert report["figures"]["Comments"] == str(comments)
    assert report["tableRows"] == 30  # one row per day of the 30, for screen readers
    # and the pulse rose live with bob's post
    assert (report["pulseBefore"], report["pulseAfter"]) == ("0", "1")
    # and the daily goal she set is the community's, and the freshness figures follow it
    assert report["goalShown"] == ENGLISH["goalShown"]
    assert (await Community.get(id=public_community.id)).daily_goal == 3
    # and the dashboard had no serious accessibility fault, and fits a phone without scrolling sideways
    assert report["accessibility"] == []
    assert report["phoneScrollWidth"] <= 390
    # and the digest went to an editor as a task, then out, edited, with links that open the posts they name
    digest = await Post.get(kind=PostKind.DIGEST)
    assert (digest.status, digest.title) == (PostStatus.PUBLISHED, "Our month in Python Paris")
    task = await Task.get(post_id=digest.id).prefetch_related("assignee")
    assert task.assignee is not None and task.assignee.username == report["editor"]
    assert report["assigned"].startswith(f"Given to {task.assignee.display_name}.")
    assert report["linkedTitle"] and report["linkedHeading"] == report["linkedTitle"]
    assert report["linkedPath"].startswith("/posts/")
    # and bob was refused, without the dashboard's code or data ever reaching his browser
    assert report["refusal"] == ENGLISH["refused"]
    assert report["memberCanvases"] == 0 and report["memberDashboardRequests"] == []
    assert report["consoleErrors"] == [] and report["externalRequests"] == []
