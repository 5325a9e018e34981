"""The four emails these triggers queue, rendered in English and French: subject with the community's name,
links into the web app, and hostile names escaped in HTML (needs the renderer, resolvers/email/render.py)."""

from __future__ import annotations

from typing import Any

import pytest

render_module = pytest.importorskip("resolvers.email.render")
Outgoing, Recipient, render = render_module.Outgoing, render_module.Recipient, render_module.render

HOSTILE = "<script>alert(1)</script> & Co"
POST = {"post_id": "UG9zdDo3", "community_name": "Python Paris", "community_slug": "python-paris"}
NOTE = {
    "actor": "Bob",
    "excerpt": "See you there",
    "level": None,
    "community_name": "Python Paris",
    "community_slug": "python-paris",
    "link": "/posts/UG9zdDo3",
    "created_at": "2026-11-30T10:00:00+00:00",
}
PARAMS: dict[str, dict[str, Any]] = {
    "invitation": {
        "community_name": "Python Paris",
        "community_slug": "python-paris",
        "code": "Abc-123_x",
        "inviter": "Alice",
        "expires_at": "2026-12-14T10:00:00+00:00",
        "valid_days": 14,
    },
    "digest": {
        **POST,
        "title": "Python Paris digest: 23 to 29 November 2026",
        "excerpt": "What happened.",
        "highlights": [{"title": "Meetup", "path": "/posts/UG9zdDo4"}],
    },
    "summary": {
        "posts": [{**POST, "title": "Meetup", "excerpt": "Thursday", "comments": 2, "reactions": 1}],
        "more": 3,
        "community_names": ["Python Paris"],
        "since": "2026-11-23T10:00:00+00:00",
    },
    "notifications": {
        "notifications": [
            {**NOTE, "kind": "REPLY", "title": "Meetup"},
            {
                **NOTE,
                "kind": "LEVEL_UP",
                "title": "Regular",
                "level": "REGULAR",
                "actor": None,
                "excerpt": "",
                "link": "/notifications",
            },
        ],
        "more": 0,
        "community_names": ["Python Paris"],
    },
}
SUBJECTS = {
    ("invitation", "en"): "Alice invites you to join Python Paris on Cercle",
    ("invitation", "fr"): "Alice vous invite à rejoindre Python Paris sur Cercle",
    ("digest", "en"): "Python Paris digest: 23 to 29 November 2026",
    ("digest", "fr"): "Python Paris digest: 23 to 29 November 2026",
    ("summary", "en"): "What you missed in Python Paris",
    ("summary", "fr"): "Ce que vous avez manqué dans Python Paris",
    ("notifications", "en"): "Python Paris: 2 notifications you have not read",
    ("notifications", "fr"): "Python Paris : 2 notifications non lues",
}
LINKS = {
    "invitation": "/c/python-paris?invite=Abc-123_x",
    "digest": "/posts/UG9zdDo3",
    "summary": "/posts/UG9zdDo3",
    "notifications": "/posts/UG9zdDo3",
}


def rendered(template: str, language: str, params: dict[str, Any]) -> tuple[str, str, str]:
    member = (
        None if template == "invitation" else Recipient(id=1, username="carol", display_name="Carol", language=language)
    )
    message = render(
        Outgoing(
            id=1, template=template, to_address="carol@example.org", params=params, language=language, member=member
        )
    )
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return str(message["Subject"]), text, html


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("template", list(PARAMS))
def test_each_email_names_its_community_and_links_to_the_web_app(template: str, language: str):
    subject, text, html = rendered(template, language, PARAMS[template])
    assert subject == SUBJECTS[template, language]
    assert LINKS[template] in text and LINKS[template] in html
    assert "{{" not in text + html and "{%" not in text + html


def test_the_digest_lists_its_highlights_with_absolute_links():
    _, text, html = rendered("digest", "en", PARAMS["digest"])
    assert "* Meetup\n  http://localhost:8000/posts/UG9zdDo4\n" in text
    assert '<a href="http://localhost:8000/posts/UG9zdDo4" style="color:#2f5d50">Meetup</a>' in html


def test_french_reads_french():
    _, text, _ = rendered("notifications", "fr", PARAMS["notifications"])
    assert "Bob a répondu à « Meetup »" in text
    assert "Vous passez au niveau Habitué (Python Paris)" in text
    _, summary, _ = rendered("summary", "fr", PARAMS["summary"])
    assert "2 commentaires, 1 réaction" in summary and "Et 3 autres publications" in summary


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("template", list(PARAMS))
def test_hostile_names_are_escaped_in_html(template: str, language: str):
    params = _hostile(PARAMS[template])
    _, _, html = rendered(template, language, params)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html


def _hostile(value: Any) -> Any:
    """Every name and title replaced by markup, as a member could name a community, a post or themselves."""
    if isinstance(value, dict):
        return {
            k: HOSTILE if k in {"community_name", "title", "inviter", "actor", "excerpt"} and v else _hostile(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [HOSTILE if isinstance(v, str) else _hostile(v) for v in value]
    return value
