"""Input checks shared by the domains; each failure names the offending field."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from resolvers.errors import BadUserInput

# \Z, not $: "$" also matches before a final newline.
USERNAME_RE = re.compile(r"^[a-z0-9_-]{3,30}\Z")
SLUG_RE = re.compile(r"^[a-z0-9-]{3,50}\Z")
# Syntax only: one @, no spaces or control characters, a dot in the domain. No network lookup.
EMAIL_RE = re.compile(r"^[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f.]+(\.[^@\s\x00-\x1f\x7f.]+)+\Z")
# Control characters other than tab and line breaks: PostgreSQL refuses NUL in text outright.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_BREAK_RE = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
# Letters and digits of any script are kept ("café", "日本語"); the rest becomes "-".
TAG_RE = re.compile(r"[^\w+#.-]+|_+")


def username_for_lookup(value: str) -> str | None:
    """A username as stored (trimmed, lower-case), or None when no member can have it: a lookup
    never sends the database what it would refuse (PostgreSQL errors on a NUL in text)."""
    username = value.strip().lower()
    return username if USERNAME_RE.match(username) else None


def check_length(value: str, field: str, *, min_length: int = 0, max_length: int) -> str:
    if len(value) < min_length:
        if min_length == 1:
            raise BadUserInput(f"'{field}' must not be empty.", field=field)
        raise BadUserInput(f"'{field}' must be at least {min_length} characters.", field=field)
    if len(value) > max_length:
        raise BadUserInput(f"'{field}' must be at most {max_length} characters.", field=field)
    return value


def check_text(value: str, field: str, *, max_length: int, required: bool = True) -> str:
    """Trimmed text without control characters; required text may not be blank."""
    value = check_length(value.strip(), field, min_length=1 if required else 0, max_length=max_length)
    if CONTROL_RE.search(value):
        raise BadUserInput(f"'{field}' must not contain control characters.", field=field)
    return value


def check_line(value: str, field: str, *, max_length: int) -> str:
    """A name or title: required text on one line (a line break would break the posts and lists that show it)."""
    value = check_text(value, field, max_length=max_length)
    if LINE_BREAK_RE.search(value):
        raise BadUserInput(f"'{field}' must be on one line.", field=field)
    return value


def optional_text(value: str | None, field: str, *, max_length: int) -> str | None:
    if value is None:
        return None
    return check_text(value, field, max_length=max_length, required=False) or None


def normalise_labels(values: Iterable[str], field: str, *, max_count: int, max_length: int = 40) -> list[str]:
    """Lower-case, trimmed, de-duplicated labels (tags, skills), in the given order."""
    labels: list[str] = []
    for raw in values:
        label = TAG_RE.sub("-", unicodedata.normalize("NFKC", raw).strip().casefold().lstrip("#")).strip("-")
        if not label:
            raise BadUserInput(f"'{field}' has an empty entry.", field=field)
        if len(label) > max_length:
            raise BadUserInput(f"Each of '{field}' must be at most {max_length} characters.", field=field)
        if label not in labels:
            labels.append(label)
        # Checked as we go: a huge list is refused at once, not compared entry by entry.
        if len(labels) > max_count:
            raise BadUserInput(f"'{field}' may have at most {max_count} entries.", field=field)
    return labels


def slugify(name: str) -> str:
    # Accents are dropped, not the letters they sit on: "Café" gives "cafe", not "caf".
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:50].strip("-")
