"""What schemathesis loads into `st run` (SCHEMATHESIS_HOOKS=fuzz.hooks): Cercle's check, and inputs.

Schemathesis's own GraphQL check fails on any `errors` entry, but a fuzzer's inputs are mostly
wrong on purpose: Cercle answers them with errors, and that is right. What the API promises
(API.md) is that each error says what went wrong with a code, and that nothing crashes: no 5xx,
no INTERNAL_SERVER_ERROR (a masked crash), no error without `extensions.code`.

Strings, ids and times mix Hypothesis's values with the kinds of input that break services (the
dictionaries in fuzz/__main__.py add the values that exist in the seeded database).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from resolvers.ids import to_global_id


@schemathesis.check
def cercle_errors_are_coded(ctx, response, case) -> None:  # noqa: ANN001 - schemathesis's check signature
    if response.status_code >= 500:
        raise AssertionError(f"HTTP {response.status_code}: the server failed")
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return  # not a GraphQL answer (e.g. a 4xx from the HTTP layer): nothing to check
    for error in (body.get("errors") or []) if isinstance(body, dict) else []:
        code = (error.get("extensions") or {}).get("code")
        if code is None:
            raise AssertionError(f"An error without extensions.code: {error.get('message')!r}")
        if code == "INTERNAL_SERVER_ERROR":
            raise AssertionError(f"INTERNAL_SERVER_ERROR at {error.get('path')}: a crash (see the server log)")


# Inputs that broke web services before: lone surrogates, NUL, very long, markup, paths, a 2**31 and a 2**63 id.
TRICKY_STRINGS = ["", " ", "\x00", "a\ud800b", "\udfff", "x" * 10_001, "é" * 201, "<b>x</b>", "../../etc/passwd"]
TRICKY_IDS = [to_global_id(kind, pk) for kind in ("Post", "Member", "Event") for pk in (0, -1, 2**31, 2**63)]


def _strings(tricky: list[str]) -> st.SearchStrategy:
    return st.one_of(st.text(), st.sampled_from(tricky)).map(nodes.String)


def _datetimes() -> st.SearchStrategy:
    """Times a little ahead (events, tasks and scheduled posts need a future one, within days), the
    first and last a datetime can hold in several zones, and any other, with or without a zone."""
    now = datetime.now(UTC).replace(microsecond=0)
    ahead = [now + timedelta(hours=hours) for hours in (1, 3, 26, 50, 24 * 13)]
    zones = [UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))]
    edges = [moment.replace(tzinfo=zone) for moment in (datetime.min, datetime.max) for zone in zones]
    anywhen = st.one_of(st.datetimes(timezones=st.sampled_from(zones)), st.datetimes())
    moments = st.one_of(st.sampled_from(ahead), st.sampled_from(edges), anywhen)
    return moments.map(lambda moment: nodes.String(moment.isoformat()))


schemathesis.graphql.scalar("String", _strings(TRICKY_STRINGS))
schemathesis.graphql.scalar("ID", _strings(TRICKY_STRINGS + TRICKY_IDS))
schemathesis.graphql.scalar("DateTime", _datetimes())
