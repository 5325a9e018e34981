"""What the fuzzer finds in the database: communities, posts, a comment, an event, a task, a badge.

Made through the resolvers, as members would. The fuzzing member (`fuzzer`) owns one community
and is a plain member of the two others, so both the managers' and the members' paths are
reachable; the values it may pick (slugs, usernames, global ids, the invitation code) come back
in `Seeded`, for the fuzzer's dictionaries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from fuzz import PASSWORD
from models.communities import JoinPolicy, Visibility
from models.posts import PostKind
from models.recognition import BadgeTier
from resolvers.communities.creation import do_create_community
from resolvers.communities.invitations import do_create_invitation
from resolvers.communities.membership import do_join_community
from resolvers.context import Context
from resolvers.events import events
from resolvers.ids import to_global_id
from resolvers.members import members
from resolvers.posts import posts
from resolvers.posts.comments import do_add_comment
from resolvers.recognition import custom_badges
from resolvers.tasks import tasks


@dataclass
class Seeded:
    token: str  # the fuzzing member's
    slugs: list[str] = field(default_factory=list)
    usernames: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)  # global ids of every kind of node
    invite_codes: list[str] = field(default_factory=list)


async def _register(username: str) -> tuple[str, Context]:
    token, member = await members.do_register(
        Context(viewer_id=None, ip=f"seed-{username}"),
        members.Registration(
            username=username, email=f"{username}@fuzz.cercle.invalid", password=PASSWORD, skills=["python"]
        ),
    )
    return token, Context(viewer_id=member.id, ip=f"seed-{username}")


async def _community(owner: Context, slug: str, visibility: Visibility, join_policy: JoinPolicy) -> str:
    await do_create_community(
        owner, name=slug.replace("-", " ").title(), slug=slug, description=None, visibility=visibility,
        join_policy=join_policy,
    )  # fmt: skip
    return slug


def _gid(row: object) -> str:
    return to_global_id(type(row).__name__, row.pk)  # type: ignore[attr-defined]


async def seed() -> Seeded:
    token, fuzzer = await _register("fuzzer")
    _, owner = await _register("owner")
    _, bystander = await _register("bystander")
    seeded = Seeded(token, usernames=["fuzzer", "owner", "bystander"])
    public = await _community(owner, "fuzz-commons", Visibility.PUBLIC, JoinPolicy.OPEN)
    private = await _community(owner, "fuzz-private", Visibility.PRIVATE, JoinPolicy.INVITE)
    lab = await _community(fuzzer, "fuzz-lab", Visibility.PUBLIC, JoinPolicy.APPROVAL)
    seeded.slugs += [public, private, lab]
    invitation = await do_create_invitation(owner, private, max_uses=100, expires_in_hours=24)
    seeded.invite_codes.append(invitation.code)
    await do_join_community(fuzzer, public, None)
    await do_join_community(fuzzer, private, invitation.code)
    await do_join_community(bystander, public, None)
    pending = await do_join_community(bystander, lab, None)  # for decideMembership
    seeded.ids.append(_gid(pending))

    question = await posts.do_create_post(
        fuzzer, posts.NewPost(public, "How do I test this?", "With *care*.", PostKind.QUESTION, ["testing"])
    )
    answer = await do_add_comment(bystander, _gid(question), "Start with the unhappy paths.", None)
    discussion = await posts.do_create_post(owner, posts.NewPost(private, "Members only", "Hello **members**."))
    lab_post = await posts.do_create_post(fuzzer, posts.NewPost(lab, "Lab notes", "Draft thoughts."))
    soon = datetime.now(UTC) + timedelta(days=2)
    meetup = await events.do_create_event(
        fuzzer, events.NewEvent(lab, "Fuzz meetup", soon, soon + timedelta(hours=2), capacity=2)
    )
    task = await tasks.do_create_task(fuzzer, tasks.NewTask(lab, "Write the notes", required_skills=["python"]))
    badge = await custom_badges.do_create_badge(fuzzer, lab, "Night owl", "Posts after midnight", BadgeTier.BRONZE)
    seeded.ids += [_gid(row) for row in (question, answer, discussion, lab_post, meetup, task, badge)]
    seeded.ids += [to_global_id("Member", ctx.viewer_id) for ctx in (fuzzer, owner, bystander)]
    return seeded
