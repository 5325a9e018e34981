"""The managers' administration panels in a real (headless) Chromium, checked afterwards through the API."""

from __future__ import annotations

from pathlib import Path

from models.communities import Community, Invitation, JoinPolicy
from resolvers.communities.invitations import do_create_invitation
from tests.factories import PASSWORD, Persona, join, make_community, make_member
from tests.fixtures.server import Server, browse, execute
from tests.web.test_login import LABELS

ENGLISH = LABELS["en-GB"] | {
    "members": "Members",
    "refused": "Only the community's managers see this page.",
    "pending": "Requests to join",
    "approve": "Approve",
    "approved": "Carol is now a member.",
    "noPending": "No request waits.",
    "invitations": "Invitations",
    "maxUses": "Number of uses (optional)",
    "createInvitation": "Create an invitation",
    "invitationCreated": "Invitation created: code",
    "link": "Link to share",
    "copy": "Copy the link",
    "copied": "Link copied.",
    "roles": "Roles and bans",
    "roleOf": "Role of",
    "changeRole": "Change role",
    "roleChanged": "Bob's role: Moderator.",
    "recognition": "Points and badges",
    "newBadge": "New badge",
    "badgeName": "Badge name",
    "badgeDescription": "What it thanks people for",
    "tier": "Tier",
    "createBadge": "Create the badge",
    "badgeCreated": "Badge “Meetup speaker” created.",
    "award": "Give a badge",
    "awardBadge": "Badge",
    "awardMember": "Member",
    "reason": "Reason",
    "giveBadge": "Give the badge",
    "badgeGiven": "Bob received “Meetup speaker”.",
    "rules": "Points rules",
    "saveRules": "Save the rules",
    "rulesSaved": "Points rules saved.",
}
REASON = "Talk at the March meetup"
STANDING = """
query Standing($slug: String!, $username: String!) {
  member(username: $username) {
    badges(communitySlug: $slug) { reason badge { name tier automatic } }
    memberships { edges { node { status role community { slug } } } }
  }
  community(slug: $slug) {
    members(status: PENDING) { totalCount }
    pointsRules { key value }
  }
}
"""


async def standing(server: Server, owner: Persona, slug: str, username: str) -> dict:
    answer = await execute(server, STANDING, {"slug": slug, "username": username}, token=owner.token)
    assert "errors" not in answer, answer["errors"]
    return answer["data"]


async def test_a_manager_runs_the_community_and_a_member_sees_no_panel(
    live_server: Server, node_modules: Path, chromium: str, web_app: Path, owner_alice: Persona, member_bob: Persona
) -> None:
    # given a community that approves its members: bob joined with an invitation, carol asked to join
    community: Community = await make_community(owner_alice, "Book Club", join_policy=JoinPolicy.APPROVAL)
    invitation = await do_create_invitation(owner_alice.ctx, community.slug, max_uses=1, expires_in_hours=None)
    await join(member_bob, community, invitation.code)
    carol = await make_member("carol", display_name="Carol")
    await join(carol, community)
    origin = live_server.graphql_url.removesuffix("/graphql")
    # when alice works through the panels of /c/<slug>/manage, and then bob opens the same page
    report = await browse(
        "web_manage_admin.mjs",
        {
            "executablePath": chromium,
            "origin": origin,
            "slug": community.slug,
            "manager": owner_alice.member.username,
            "member": member_bob.member.username,
            "password": PASSWORD,
            "labels": ENGLISH,
            "pending": "Carol",
            "roleChange": {"name": "Bob", "role": "Moderator"},
            "badge": {
                "name": "Meetup speaker",
                "description": "Gave a talk at one of our meetups.",
                "tier": "Gold",
                "option": "Meetup speaker (Gold, 0 holders)",
                "member": "Bob (@bob)",
                "reason": REASON,
            },
            "rule": {"label": "An answer accepted", "value": "25"},
        },
    )
    assert report["ok"], report["error"]
    # then the pending list emptied and carol is an active member
    assert report["pendingEmptied"] is True
    carol_standing = await standing(live_server, owner_alice, community.slug, "carol")
    assert {"status": "ACTIVE", "role": "MEMBER", "community": {"slug": community.slug}} in [
        edge["node"] for edge in carol_standing["member"]["memberships"]["edges"]
    ]
    assert carol_standing["community"]["members"]["totalCount"] == 0
    # a refused invitation said why beside its field; the invitation shown then is a real one, with its five
    # uses, and its link (copied) fills the join panel in
    assert report["invalidField"] == "maxUses" and "between 1 and 10000" in report["problem"]
    code = report["invitationCode"]
    assert await Invitation.exists(code=code, community_id=community.id, max_uses=5)
    assert report["invitationLink"] == f"{origin}/c/{community.slug}?invite={code}"
    assert report["copied"] is True
    # bob is a moderator and holds the new badge with its reason; the rule changed
    bob = await standing(live_server, owner_alice, community.slug, "bob")
    assert [edge["node"]["role"] for edge in bob["member"]["memberships"]["edges"]] == ["MODERATOR"]
    custom = [award for award in bob["member"]["badges"] if not award["badge"]["automatic"]]
    assert custom == [{"reason": REASON, "badge": {"name": "Meetup speaker", "tier": "GOLD", "automatic": False}}]
    assert {"key": "ANSWER_ACCEPTED", "value": 25} in bob["community"]["pointsRules"]
    # the panels pass axe-core and fit a phone; bob, not a manager, saw no panel and his browser asked for no admin list
    assert report["accessibility"] == []
    assert report["overflowX"] is False
    assert report["memberPanels"] == 0
    assert report["memberAdminRequests"] == []
    assert report["consoleErrors"] == [] and report["externalRequests"] == []
