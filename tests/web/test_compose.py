"""The web app in a real (headless) Chromium: a member writes a post with the server's preview; outsiders join."""

from __future__ import annotations

from pathlib import Path

from models.communities import Community, JoinPolicy, Membership, MembershipStatus
from models.posts import Post
from resolvers.communities.invitations import do_create_invitation
from resolvers.markdown import render_markdown
from tests.factories import PASSWORD, Persona, make_community, make_member
from tests.fixtures.server import Server, browse
from tests.web.test_login import LABELS

ENGLISH = LABELS["en-GB"] | {
    "composer": "Write a post",
    "title": "Title",
    "body": "Body",
    "preview": "Preview",
    "tags": "Tags",
    "kind": "Kind",
    "publish": "Publish",
    "feed": "Posts",
    "code": "Invitation code",
}
PENDING = "Your request to join is waiting for a manager's approval."
BODY = "Read **the docs** first:\n\n- [the tutorial](https://docs.python.org/3/tutorial/)\n- `help()`"


async def take_part(chromium: str, server: Server, persona: Persona, slug: str, **options: object) -> dict:
    return await browse(
        "web_compose.mjs",
        {
            "executablePath": chromium,
            "origin": server.graphql_url.removesuffix("/graphql"),
            "slug": slug,
            "labels": ENGLISH,
            "login": persona.member.username,
            "password": PASSWORD,
            **options,
        },
    )


async def test_a_member_previews_and_publishes_a_post(
    live_server: Server,
    node_modules: Path,
    chromium: str,
    web_app: Path,
    public_community: Community,
    member_bob: Persona,
) -> None:
    # when bob, a member, opens his community, writes a markdown post, waits for the preview and publishes it
    post = {"title": "Where to start?", "body": BODY, "tags": "python, Beginners", "kind": "Question"}
    report = await take_part(chromium, live_server, member_bob, public_community.slug, post=post)
    # then the preview was the server's rendering, and the post tops the feed
    assert report["ok"], report["error"]
    assert report["previewHtml"] == render_markdown(BODY)
    assert report["firstFeedTitle"] == "Where to start?"
    assert report["consoleErrors"] == []


async def test_a_refused_post_says_why_next_to_its_field(
    live_server: Server,
    node_modules: Path,
    chromium: str,
    web_app: Path,
    public_community: Community,
    member_bob: Persona,
) -> None:
    # when bob tries to publish with 11 tags, one more than allowed
    tags = ", ".join(f"tag{number}" for number in range(11))
    post = {"title": "Too many tags", "body": "**Hello**", "tags": tags, "kind": "Discussion", "refused": True}
    report = await take_part(chromium, live_server, member_bob, public_community.slug, post=post)
    # then the Tags field is marked, with the server's reason beside it, and nothing was published
    assert report["ok"], report["error"]
    assert report["invalidField"] == "tags"
    assert "10" in report["problem"]
    assert not await Post.exists(title="Too many tags")


async def test_an_outsider_joins_an_open_community(
    live_server: Server,
    node_modules: Path,
    chromium: str,
    web_app: Path,
    public_community: Community,
    outsider_mallory: Persona,
) -> None:
    # when mallory, not a member, opens the community and presses Join
    join = {"button": "Join", "expect": "Write a post"}
    report = await take_part(chromium, live_server, outsider_mallory, public_community.slug, join=join)
    # then she is a member: the composer shows
    assert report["ok"], report["error"]
    assert report["composerShown"] is True
    assert report["consoleErrors"] == []
    assert await Membership.exists(member_id=outsider_mallory.member.id, status=MembershipStatus.ACTIVE)


async def test_asking_to_join_shows_the_pending_request(
    live_server: Server, node_modules: Path, chromium: str, web_app: Path, owner_alice: Persona
) -> None:
    # given a community that approves its members
    community = await make_community(owner_alice, "Approved Club", join_policy=JoinPolicy.APPROVAL)
    carol = await make_member("carol", display_name="Carol")
    # when carol asks to join
    join = {"button": "Ask to join", "expect": PENDING}
    report = await take_part(chromium, live_server, carol, community.slug, join=join)
    # then the page says her request waits, and she cannot post yet
    assert report["ok"], report["error"]
    assert report["composerShown"] is False
    assert await Membership.exists(member_id=carol.member.id, status=MembershipStatus.PENDING)


async def test_an_invitation_link_fills_the_code_in(
    live_server: Server,
    node_modules: Path,
    chromium: str,
    web_app: Path,
    owner_alice: Persona,
    private_community: Community,
) -> None:
    # given an invitation to a private community, hidden from outsiders
    invitation = await do_create_invitation(owner_alice.ctx, private_community.slug, max_uses=1, expires_in_hours=None)
    dave = await make_member("dave", display_name="Dave")
    # when dave follows /c/<slug>?invite=<code> and joins with the code it filled in
    join = {"button": "Join with this code", "expect": "Write a post"}
    report = await take_part(chromium, live_server, dave, private_community.slug, invite=invitation.code, join=join)
    # then he is a member
    assert report["ok"], report["error"]
    assert report["inviteCode"] == invitation.code
    assert report["composerShown"] is True
