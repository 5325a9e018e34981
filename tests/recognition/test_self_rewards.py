"""Nobody rewards themselves: points, badges and task rewards come from someone else (kudos: test_kudos)."""

from __future__ import annotations

from models.communities import Community
from models.points import PointsEntry
from models.recognition import BadgeAward
from resolvers.ids import to_global_id
from resolvers.recognition.custom_badges import do_create_badge
from resolvers.tasks.tasks import NewTask, do_assign, do_create_task
from tests.factories import Persona
from tests.recognition.test_custom_badges import AWARD
from tests.recognition.test_earning import points
from tests.recognition.test_leaderboard import grant
from tests.tasks.test_tasks import COMPLETE


async def test_a_manager_cannot_grant_points_to_themselves(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # when: alice, the owner, tries to grant herself the most a grant allows, either way
    answers = [await grant(gql, owner_alice, public_community, "ALICE", amount) for amount in (1000, -5)]
    # then
    for answer in answers:
        assert answer["data"] is None
        assert answer["errors"][0]["extensions"] == {"code": "FORBIDDEN", "field": "username"}
    assert await points(gql, owner_alice, public_community) == 0
    assert not await PointsEntry.filter(reason="MANUAL").exists()


async def test_a_manager_cannot_award_a_badge_to_themselves(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    badge = await do_create_badge(owner_alice.ctx, public_community.slug, "Speaker", "Spoke at a meetup", "GOLD")
    variables = {"badge": to_global_id("Badge", badge.id), "username": "alice", "reason": "My own talk"}
    # when
    error = await gql.error(AWARD, variables, token=owner_alice.token)
    # then
    assert error["extensions"] == {"code": "FORBIDDEN", "field": "username"}
    assert not await BadgeAward.filter(badge_id=badge.id).exists()


async def test_a_manager_confirming_their_own_task_earns_neither_points_nor_a_badge(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: alice gives herself a task worth 100 points
    task = await do_create_task(owner_alice.ctx, NewTask(community_slug=public_community.slug, title="T", points=100))
    task_id = to_global_id("Task", task.id)
    await do_assign(owner_alice.ctx, task_id, "alice")
    # when: she confirms it done herself
    done = await gql.data(COMPLETE, {"id": task_id}, token=owner_alice.token)
    # then: the task is done, unrewarded
    assert done["completeTask"]["status"] == "DONE"
    assert await points(gql, owner_alice, public_community) == 0
    assert not await BadgeAward.filter(member_id=owner_alice.member.id, badge__slug="task-finisher").exists()
