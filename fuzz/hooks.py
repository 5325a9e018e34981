"""What schemathesis loads into `st run` (SCHEMATHESIS_HOOKS=fuzz.hooks): Cercle's check, and dates.

Schemathesis's own GraphQL check fails on any `errors` entry, but a fuzzer's inputs are mostly
wrong on purpose: Cercle answers them with errors, and that is right. What the API promises
(API.md) is that each error says what went wrong with a code, and that nothing crashes: no 5xx,
no INTERNAL_SERVER_ERROR (a masked crash), no error without `extensions.code`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes


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


def _datetimes() -> st.SearchStrategy:
    """Times a little ahead (events, tasks and scheduled posts need a future one, within days), the
    first and last a datetime can hold, and any other, with or without a time zone."""
    now = datetime.now(UTC).replace(microsecond=0)
    ahead = [now + timedelta(hours=hours) for hours in (1, 3, 26, 50, 24 * 13)]
    edges = [datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)]
    zones = st.sampled_from([UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))])
    anywhen = st.one_of(st.datetimes(timezones=zones), st.datetimes())
    return st.one_of(st.sampled_from(ahead + edges), anywhen).map(lambda moment: nodes.String(moment.isoformat()))


schemathesis.graphql.scalar("DateTime", _datetimes())
