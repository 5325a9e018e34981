"""Tasks: managers ask, members volunteer, managers assign and confirm; the assignee earns the points."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models.activity import Activity
from models.communities import Community
from models.members import MemberSkill
from models.notifications import Notification
from models.recognition import BadgeAward
from models.tasks import Task, TaskStatus
from resolvers.ids import to_global_id
from resolvers.tasks import tasks as tasks_module
from resolvers.tasks.tasks import NewTask, do_assign, do_create_task
from tests.factories import Persona, join, make_member, make_post
from tests.recognition.test_earning import points

CREATE = """
mutation C($input: CreateTaskInput!) {
  createTask(input: $input) { id title status requiredSkills points dueAt }
}
"""
VOLUNTEER = "mutation V($id: ID!) { volunteerForTask(taskId: $id) { status volunteers { username } } }"
ASSIGN = "mutation A($id: ID!, $u: String!) { assignTask(taskId: $id, username: $u) { status assignee { username } } }"
COMPLETE = "mutation D($id: ID!) { completeTask(taskId: $id) { status completedAt } }"
SUGGEST = """
query S($id: ID!) {
  node(id: $id) { ... on Task { suggestedMembers {
    member { username } score matchedSkills reason recentContributions tasksInProgress } } }
}
"""
LIST = """
query L($slug: String!, $status: TaskStatus) {
  community(slug: $slug) { tasks(status: $status) { totalCount edges { node { title status } } } }
}
"""


def new_task(community: Community, **fields: object) -> dict:
    return {"input": {"communitySlug": community.slug, "title": "Write the weekly digest", **fields}}


async def kinds_for(persona: Persona) -> list[str]:
    rows = await Notification.filter(member_id=persona.member.id, kind__startswith="TASK_").order_by("seq")
    return [row.kind.value for row in rows]


async def test_a_task_goes_from_open_to_done_and_earns_its_points(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: a task worth 20 points
    created = (await gql.data(CREATE, new_task(public_community, points=20), token=owner_alice.token))["createTask"]
    assert (created["status"], created["points"]) == ("OPEN", 20)
    task = {"id": created["id"]}
    # when: bob volunteers, alice assigns him, he says it is done, she confirms
    volunteered = (await gql.data(VOLUNTEER, task, token=member_bob.token))["volunteerForTask"]
    assigned = (await gql.data(ASSIGN, {**task, "u": "bob"}, token=owner_alice.token))["assignTask"]
    in_review = (await gql.data(COMPLETE, task, token=member_bob.token))["completeTask"]
    before = await points(gql, member_bob, public_community)
    done = (await gql.data(COMPLETE, task, token=owner_alice.token))["completeTask"]
    # then
    assert volunteered == {"status": "OPEN", "volunteers": [{"username": "bob"}]}
    assert assigned == {"status": "ASSIGNED", "assignee": {"username": "bob"}}
    assert in_review["status"] == "IN_REVIEW"
    assert done["status"] == "DONE" and done["completedAt"] is not None
    assert await points(gql, member_bob, public_community) == before + 20
    verbs = await Activity.filter(community_id=public_community.id, verb__startswith="TASK_").values_list(
        "verb", flat=True
    )
    assert verbs == ["TASK_ASSIGNED", "TASK_COMPLETED"]
    assert await kinds_for(member_bob) == ["TASK_ASSIGNED", "TASK_COMPLETED"]
    assert await kinds_for(owner_alice) == ["TASK_VOLUNTEERED", "TASK_IN_REVIEW"]
    assert await BadgeAward.filter(member_id=member_bob.member.id, badge__slug="task-finisher").exists()


async def test_confirming_twice_earns_once(gql, owner_alice: Persona, member_bob: Persona, public_community):
    task = await do_create_task(owner_alice.ctx, NewTask(community_slug=public_community.slug, title="T", points=30))
    task_id = to_global_id("Task", task.id)
    await do_assign(owner_alice.ctx, task_id, "bob")
    await gql.data(COMPLETE, {"id": task_id}, token=owner_alice.token)
    again = await gql.error(COMPLETE, {"id": task_id}, token=owner_alice.token)
    assert again["extensions"] == {"code": "CONFLICT", "field": "taskId"}
    assert await points(gql, member_bob, public_community) == 30


async def test_a_task_reassigned_while_being_confirmed_earns_nobody(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community, monkeypatch: pytest.MonkeyPatch
):
    # given: a task assigned to bob; carol takes it over between alice's read of it and her confirmation
    task = await do_create_task(owner_alice.ctx, NewTask(community_slug=public_community.slug, title="T", points=30))
    task_id = to_global_id("Task", task.id)
    await do_assign(owner_alice.ctx, task_id, "bob")
    carol = await make_member("carol")
    await join(carol, public_community)
    read_task = tasks_module.require_task

    async def read_then_reassigned(*args: object) -> tuple[Task, Community]:
        read = await read_task(*args)
        await Task.filter(id=task.id).update(assignee_id=carol.member.id)
        return read

    monkeypatch.setattr(tasks_module, "require_task", read_then_reassigned)
    # when
    error = await gql.error(COMPLETE, {"id": task_id}, token=owner_alice.token)
    # then: refused, and nobody was paid for it
    assert error["extensions"] == {"code": "CONFLICT", "field": "taskId"}
    assert await points(gql, member_bob, public_community) == 0
    assert await points(gql, carol, public_community) == 0
    assert (await Task.get(id=task.id)).status == TaskStatus.ASSIGNED


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": " "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"points": -1}, "points"),
        ({"points": 5000}, "points"),
        ({"dueAt": "2020-01-01T00:00:00+00:00"}, "dueAt"),
        ({"requiredSkills": [f"s{i}" for i in range(11)]}, "requiredSkills"),
    ],
)
async def test_bad_tasks_are_refused_with_the_field(gql, owner_alice: Persona, public_community, fields, field):
    error = await gql.error(CREATE, new_task(public_community, **fields), token=owner_alice.token)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert await Task.all().count() == 0


async def test_who_may_do_what_with_a_task(
    gql, owner_alice: Persona, member_bob: Persona, outsider_mallory: Persona, public_community: Community
):
    assert (await gql.error(CREATE, new_task(public_community), token=member_bob.token))["extensions"]["code"] == (
        "FORBIDDEN"
    )
    task = await do_create_task(owner_alice.ctx, NewTask(community_slug=public_community.slug, title="Moderate"))
    task_id = {"id": to_global_id("Task", task.id)}
    cases = [
        (VOLUNTEER, task_id, outsider_mallory, "FORBIDDEN"),  # not a member
        (VOLUNTEER, task_id, None, "UNAUTHENTICATED"),
        (ASSIGN, {**task_id, "u": "bob"}, member_bob, "FORBIDDEN"),  # members do not assign
        (ASSIGN, {**task_id, "u": "mallory"}, owner_alice, "NOT_FOUND"),  # not a member
        (COMPLETE, task_id, member_bob, "FORBIDDEN"),  # not the assignee
        (COMPLETE, task_id, owner_alice, "CONFLICT"),  # nobody has it yet
        (COMPLETE, {"id": "not-an-id"}, owner_alice, "BAD_USER_INPUT"),
        (SUGGEST, task_id, member_bob, "FORBIDDEN"),  # suggestions are for managers
    ]
    for query, variables, persona, code in cases:
        error = await gql.error(query, variables, token=persona.token if persona else None)
        assert error["extensions"]["code"] == code, (query, persona)
    await do_assign(owner_alice.ctx, task_id["id"], "bob")
    late = await gql.error(VOLUNTEER, task_id, token=owner_alice.token)
    assert late["extensions"] == {"code": "CONFLICT", "field": "taskId"}


async def test_suggestions_rank_skills_then_activity_then_load(gql, owner_alice: Persona, public_community: Community):
    # given: carol knows both skills (written her way), dave and erin one each; erin already has two tasks
    await MemberSkill.filter(member_id=owner_alice.member.id).delete()  # the manager is not a candidate here
    carol = await make_member("carol", skills=["PYTHON", "Événements"])
    dave = await make_member("dave", skills=["python", "design"])
    erin = await make_member("erin", skills=["Python"])
    frank = await make_member("frank", skills=["cooking"])
    for persona in (carol, dave, erin, frank):
        await join(persona, public_community)
    await make_post(dave, public_community)  # a little more recent activity than erin
    for title in ("One", "Two"):
        busy = await do_create_task(owner_alice.ctx, NewTask(community_slug=public_community.slug, title=title))
        await do_assign(owner_alice.ctx, to_global_id("Task", busy.id), "erin")
    task = await do_create_task(
        owner_alice.ctx,
        NewTask(community_slug=public_community.slug, title="Run the meetup", required_skills=["python", "evenements"]),
    )
    # when
    data = await gql.data(SUGGEST, {"id": to_global_id("Task", task.id)}, token=owner_alice.token)
    # then: skills first, then recent activity, less the tasks in progress; frank matches nothing
    ranked = [(s["member"]["username"], s["matchedSkills"]) for s in data["node"]["suggestedMembers"]]
    assert ranked == [("carol", ["python", "evenements"]), ("dave", ["python"]), ("erin", ["python"])]
    carol_reason, _, erin_reason = (s["reason"] for s in data["node"]["suggestedMembers"])
    assert carol_reason == "knows python, evenements; 2 contributions in the last 30 days"
    assert erin_reason.endswith("2 task(s) in progress")
    # and the figures behind the reason, for apps to word it in their reader's language
    for suggestion in data["node"]["suggestedMembers"]:
        assert f"; {suggestion['recentContributions']} contributions" in suggestion["reason"]
    assert [s["tasksInProgress"] for s in data["node"]["suggestedMembers"]] == [0, 0, 2]
    carol_figures, dave_figures, _ = data["node"]["suggestedMembers"]
    assert dave_figures["recentContributions"] > carol_figures["recentContributions"]  # dave posted


async def test_the_community_lists_its_tasks_by_status(gql, owner_alice: Persona, public_community: Community):
    for title in ("Open one", "Taken one"):
        await do_create_task(owner_alice.ctx, NewTask(community_slug=public_community.slug, title=title))
    taken = await Task.get(title="Taken one")
    await do_assign(owner_alice.ctx, to_global_id("Task", taken.id), "alice")
    open_only = await gql.data(LIST, {"slug": public_community.slug, "status": "OPEN"})
    everything = await gql.data(LIST, {"slug": public_community.slug})
    assert open_only["community"]["tasks"]["edges"] == [{"node": {"title": "Open one", "status": "OPEN"}}]
    assert everything["community"]["tasks"]["totalCount"] == 2
    assert TaskStatus.ASSIGNED.value in {e["node"]["status"] for e in everything["community"]["tasks"]["edges"]}


async def test_due_dates_are_kept_with_their_time_zone(gql, owner_alice: Persona, public_community: Community):
    due = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    created = await gql.data(CREATE, new_task(public_community, dueAt=due.isoformat()), token=owner_alice.token)
    assert datetime.fromisoformat(created["createTask"]["dueAt"]) == due
