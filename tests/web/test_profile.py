"""The web app in a real (headless) Chromium on a phone: a member's communities, profile, standing and edits."""

from __future__ import annotations

from pathlib import Path

from models.communities import Community, JoinPolicy
from models.members import Member
from models.recognition import BadgeTier
from resolvers.recognition.custom_badges import do_award_badge, do_create_badge
from resolvers.recognition.kudos import do_give_kudos
from tests.factories import PASSWORD, Persona, gid, join, make_community, make_post
from tests.fixtures.server import Server, browse
from tests.web.test_login import LABELS

ENGLISH = LABELS["en-GB"] | {
    "yours": "Your communities",
    "pending": "waiting for approval",
    "search": "Search communities",
    "standing": "In the communities",
    "kudos": "Kudos received",
    "edit": "Edit your profile",
    "displayName": "Display name",
    "bio": "Bio",
    "skills": "Skills",
    "save": "Save",
    "saved": "Profile saved.",
    "about": "About",
}
FRENCH = {"standing": "Dans les communautés", "kudos": "Remerciements reçus", "edit": "Modifier votre profil"}


async def test_a_member_reads_and_edits_their_profile_on_a_phone(
    live_server: Server,
    node_modules: Path,
    chromium: str,
    web_app: Path,
    owner_alice: Persona,
    member_bob: Persona,
    public_community: Community,
) -> None:
    # given bob, with three posts, kudos and a gold badge from alice, and a request waiting in a book club
    for title in ("Hello", "Tips", "Tools"):
        await make_post(member_bob, public_community, title)
    await do_give_kudos(owner_alice.ctx, public_community.slug, "bob", "Thanks for the tutorial")
    mentor = await do_create_badge(owner_alice.ctx, public_community.slug, "Mentor", "Guides newcomers", BadgeTier.GOLD)
    await do_award_badge(owner_alice.ctx, gid(mentor), "bob", "Ran the beginners' night")
    club = await make_community(owner_alice, "Book Club", slug="book-club", join_policy=JoinPolicy.APPROVAL)
    await join(member_bob, club)
    # when bob, on a phone, looks at the home page, searches, opens his profile and edits it; then in French
    edit = {"tooLong": "x" * 81, "displayName": "Bob Builder", "bio": "I draw interfaces.", "skills": "design, figma"}
    report = await browse(
        "web_profile.mjs",
        {
            "executablePath": chromium,
            "origin": live_server.graphql_url.removesuffix("/graphql"),
            "labels": ENGLISH,
            "frLabels": FRENCH,
            "login": "bob",
            "password": PASSWORD,
            "displayName": "Bob",
            "search": "book",
            "edit": edit,
            "viewport": {"width": 390, "height": 844},
        },
    )
    assert report["ok"], report["error"]
    # then the home page lists his communities, the pending one marked, and the search finds the club
    assert report["yourCommunities"] == ["Python Paris", "Book Club · waiting for approval"]
    assert report["searchResults"] == ["Book Club"]
    # his profile shows his level, points (3 posts, kudos), badges with tiers, progress and kudos
    standing = report["standing"]
    for shown in (
        "Level\nMember",
        "Points\n25",
        "Toward Regular",
        "25 of 100 points",
        "1 of 7 active days",
        "Gold Mentor",
        "Ran the beginners' night",
        "Bronze First post",
        "Contributor",
        "3 of 10",
        "1 kudos",
        "Thanks for the tutorial",
        "from Alice",
    ):
        assert shown in standing, (shown, standing)
    assert report["overflowX"] is False
    assert report["accessibility"] == []
    # a refused display name is explained beside its field; the corrected profile is saved and shown
    assert report["refusedField"] == "displayName"
    assert "80" in report["problem"]
    assert report["savedName"] == "Bob Builder" and report["stillValid"] is True
    assert "I draw interfaces." in report["savedAbout"] and "figma" in report["savedAbout"]
    bob = await Member.get(username="bob")
    assert (bob.display_name, bob.bio) == ("Bob Builder", "I draw interfaces.")
    # in French, to a visitor: the standing in French, and no form to edit someone else's profile
    assert "Niveau\nMembre" in report["french"] and "25 points sur 100" in report["french"], report["french"]
    assert "Vers le niveau Habitué" in report["french"]
    assert report["frenchEditForm"] == 0
    assert report["consoleErrors"] == [] and report["externalRequests"] == []
