"""Engagement analytics for a community's managers: `community.engagement(period)` and `engagementPulse`.

Periods are rolling and day-aligned, in UTC, and end now: DAY since today
00:00, WEEK the last 7 calendar days including today (since 00:00 six days
ago), MONTH the last 30 calendar days including today, ALL since the day the
community was created. Not calendar periods as on leaderboards: a report read
on Monday morning (or on the 1st) must not be empty.

Figures (all counted in the period):

- activeMembers: distinct members who did something: an activity of their own
  in the log, of any verb but WELCOMED, BADGE_AWARDED and LEVEL_UP (Cercle
  writes those on a member's behalf). The log is pruned after
  ACTIVITY_RETENTION_DAYS; before that horizon, the authors of the counted
  posts and comments stand in for it (content is never pruned).
- newMembers: memberships ACTIVE now whose `joined_at` (set when they became
  active: open join, invitation or approval) is in the period.
- posts: published, not deleted posts, by publication time, of every kind
  but INTRODUCTION (Cercle writes those from a newcomer's profile). A digest
  is drafted by Cercle but edited and published by a member: it counts, as in
  `community.freshness`.
- comments: not deleted comments on published, not deleted posts.
- reactions: reactions that still stand (an undone one is gone) on posts and
  comments that are not deleted. kudos: kudos given.
- contributors: distinct authors of the counted posts and comments;
  participationRate = contributors / activeMembers (0 without active members).
- responseRate: among QUESTION posts published in the period, the share with a
  not deleted comment by someone other than the asker;
  medianFirstResponseMinutes: the median, over the answered ones, of the
  minutes from publication to that first comment (null when none answered).
- newcomerActivationRate: among the new members, the share who did something
  of their own beyond joining (posted, commented, reacted, gave kudos,
  answered or attended an event, completed a task, ...) within 7 days of
  joining, and before now (a member who joined yesterday has had one day).
  0 without newcomers.
- eventAttendanceRate: for events that started in the period, the seats held
  (GOING, not on the waitlist) whose member checked in, over those seats. A
  check-in takes a seat (for a walk-in, a MAYBE or someone on the waitlist
  too), so whoever came counts once on both sides and the rate stays between
  0 and 1. Null when nobody held a seat.
- series: one point per UTC day of the period (zeros for quiet days); ALL
  shows at most the last 366 days (its totals still cover all time).

Health score, 0 to 100, from components in the spirit of CHAOSS's community
health metrics, the 90-9-1 participation rule and Orbit's activity model.
Each component compares an observed figure with a target and scores
min(1, value / target), except response time:

    component            weight  value (target)
    activity              0.20   activeMembers / active memberships (30%: most members of any community only read)
    participation         0.20   participationRate (50% of the active members post or comment)
    responsiveness        0.15   responseRate (90%)
    response time         0.10   medianFirstResponseMinutes: 1 within 60 minutes, 0 after 1440, linear between
    newcomer activation   0.15   newcomerActivationRate (50%)
    freshness             0.10   days of the period with the community's daily_goal of posts met / days (100%)
    event attendance      0.10   eventAttendanceRate (70%)

    healthScore = round_half_up(100 * sum(weight * score) / sum(weight))

A component whose figure is undefined (no active member, no question, none
answered, no newcomer, no seat held at an event) is left out, and the weights
of the others are renormalised: `components` lists those counted, each with
its share of the score as `weight` (they sum to 1).

Every figure comes from six SQL statements whatever the size of the
community, written for SQLite and PostgreSQL alike; only the day and date
arithmetic differ per dialect. After the community's row, the five others run
at once on PostgreSQL (one pool connection each).

Closed days come from the daily rollups the scheduler keeps
(resolvers/engagement/rollups.py): counts per community and day, with the
day's members as bitmaps of member ids, for the distinct counts (active
members, contributors), which cannot be summed across days: the period's are
the sizes of the union of its days' bitmaps and of the raw part's ids
(resolvers/engagement/distinct.py). Today, the days not rolled up yet and the
days changed since their rollup are read from the raw tables, so the figures
are those the raw tables give, at any time. Questions, events and newcomers
are few: always read raw, but for the newcomers' rolled-up member-days (a row
per member and day), which say when they first contributed.
"""

from __future__ import annotations

import asyncio
import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tortoise import connections

from resolvers.engagement.distinct import PeriodMembers
from resolvers.engagement.health import Component, health
from resolvers.engagement.sql import (
    COMMUNITY_SQL,
    EVENTS_SQL,
    ROLLED_DAYS_SQL,
    Dialect,
    content_sql,
    fetch,
    people_sql,
    period_params,
    questions_sql,
    raw_days,
)

PERIOD_DAYS = {"DAY": 1, "WEEK": 7, "MONTH": 30}
SERIES_MAX_DAYS = 366
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
PEOPLE_FIGURES = ("active", "new_members", "activated")  # counts of people_sql
CONTENT_FIGURES = ("posts", "comments", "reactions", "kudos")  # per day, in content_sql and the rolled-up days
ID_FIGURES = ("member", "early_author", "author")  # rows of member ids, in people_sql and content_sql

ByFigure = dict[str, dict[date | None, int]]  # {figure: {day (None for the period's total): n}}


@dataclass(frozen=True)
class DayPoint:
    day: date
    active_members: int = 0
    new_members: int = 0
    posts: int = 0
    comments: int = 0
    reactions: int = 0
    kudos: int = 0


@dataclass(frozen=True)
class Report:
    period: str
    since: datetime
    active_members: int
    new_members: int
    contributors: int
    participation_rate: float
    posts: int
    comments: int
    reactions: int
    kudos: int
    response_rate: float
    median_first_response_minutes: float | None
    newcomer_activation_rate: float
    event_attendance_rate: float | None
    health_score: int
    components: tuple[Component, ...]
    series: tuple[DayPoint, ...]
    until: datetime = field(compare=False)  # now: two reports with the same figures are equal


def period_start(period: str, now: datetime, created_at: datetime) -> datetime:
    """00:00 UTC of the period's first day: today, 6 or 29 days ago, or the day of the community's creation."""
    today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if period in PERIOD_DAYS:
        return today - timedelta(days=PERIOD_DAYS[period] - 1)
    return min(today, created_at.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0))


async def engagement_report(community_id: int, period: str, now: datetime | None = None) -> Report:
    """Every figure of the period ending `now`, from six SQL statements."""
    end = (now or datetime.now(UTC)).astimezone(UTC)
    read = await _read(community_id, period, end)
    days = [read.start.date() + timedelta(days=n) for n in range((end.date() - read.start.date()).days + 1)]
    people, content = read.people, read.content
    # Rounded: SQLite's julianday() arithmetic is off by a few microseconds.
    answered = [max(0.0, round(float(minutes), 3)) for minutes in read.waits if minutes is not None]
    active, newcomers = people["active"].get(None, 0), sum(people["new_members"].values())
    contributors = content["contributors"].get(None, 0)
    going, attended = read.events["going"], read.events["attended"]
    participation_rate = _share(contributors, active)
    response_rate = _share(len(answered), len(read.waits))
    median_first_response_minutes = statistics.median(answered) if answered else None
    newcomer_activation_rate = _share(people["activated"].get(None, 0), newcomers)
    event_attendance_rate = _share(attended, going) if going else None
    goal_days = sum(1 for day in days if content["posts"].get(day, 0) >= read.community["daily_goal"])
    score, components = health(
        {
            "activity": _share(active, read.community["members"]),
            "participation": participation_rate if active else None,
            "responsiveness": response_rate if read.waits else None,
            "response_time": median_first_response_minutes,
            "newcomer_activation": newcomer_activation_rate if newcomers else None,
            "freshness": goal_days / len(days),
            "event_attendance": event_attendance_rate,
        }
    )
    return Report(
        period=period,
        since=read.start,
        until=end,
        active_members=active,
        new_members=newcomers,
        contributors=contributors,
        **{figure: sum(content[figure].values()) for figure in CONTENT_FIGURES},
        participation_rate=participation_rate,
        response_rate=response_rate,
        median_first_response_minutes=median_first_response_minutes,
        newcomer_activation_rate=newcomer_activation_rate,
        event_attendance_rate=event_attendance_rate,
        health_score=score,
        components=components,
        series=_series(days[-SERIES_MAX_DAYS:], people, content),
    )


@dataclass
class _Reads:
    community: dict[str, Any]  # created_at, daily_goal, members
    start: datetime
    people: ByFigure
    content: ByFigure
    waits: list[float | None]  # minutes to each question's first answer
    events: dict[str, int]  # going, attended


async def _read(community_id: int, period: str, end: datetime) -> _Reads:
    conn = connections.get("default")
    dialect = Dialect(conn.capabilities.dialect)

    async def rows(sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        return await fetch(conn, dialect, sql, params)

    earliest = period_start(period, end, EPOCH)
    community = (await rows(COMMUNITY_SQL, {"community": community_id, "end": end, "start": earliest}))[0]
    start = period_start(period, end, _as_datetime(community["created_at"]))
    params = period_params(community_id, start, end, unrolled_from(start, end, community))
    # Independent reads: on PostgreSQL each takes a connection of the pool and a core, so the report
    # takes as long as its slowest statement, not their sum (SQLite runs them one after the other).
    people, content, rolled, questions, events = await asyncio.gather(
        rows(people_sql(dialect), params),
        rows(content_sql(dialect, raw_days(params)), params),
        rows(ROLLED_DAYS_SQL, params),
        rows(questions_sql(dialect), params),
        rows(EVENTS_SQL, params),
    )
    counts = counted(people, content, rolled, params["kept_day"])
    return _Reads(community, start, *counts, [row["minutes"] for row in questions], events[0])


def counted(
    people: list[dict[str, Any]], content: list[dict[str, Any]], rolled: list[dict[str, Any]], kept_day: date
) -> tuple[ByFigure, ByFigure]:
    """The figures of people_sql and content_sql, with the rolled-up days added in, and the period's distinct
    active members and contributors (each under the day None)."""
    by_people, by_content = _by_figure(people, PEOPLE_FIGURES), _by_figure(content, CONTENT_FIGURES)
    ids = _ids([*people, *content])
    members = PeriodMembers(kept_day)
    members.add_raw(ids["member"], ids["early_author"], ids["author"])
    for row in rolled:
        day = _as_date(row["day"])
        assert day is not None
        members.add_day(day, row["acted_members"], row["authors"])
        for figure in CONTENT_FIGURES:
            by_content[figure][day] = by_content[figure].get(day, 0) + row[figure]
        by_people["active"][day] = _rolled_active(day, kept_day, row, len(ids["early_author"]))
    by_people["active"][None], contributors = members.counts()
    by_content["contributors"] = {None: contributors}
    return by_people, by_content


def _rolled_active(day: date, kept_day: date, row: dict[str, Any], early_authors: int) -> int:
    """A rolled-up day's active members: the authors count before the log's horizon, as in distinct.py."""
    if day < kept_day:
        return int(row["active"])
    return int(row["active_logged"]) + (early_authors if day == kept_day else 0)


def unrolled_from(start: datetime, end: datetime, community: dict[str, Any]) -> datetime:
    """Where the raw part of the period begins: at the first day not rolled up, or changed since its rollup, or
    rolled up without bitmaps, or at the end's day (read raw, as it is not over), but never before the period."""
    rolled_until = _as_date(community["rolled_until"]) or start.date()
    first_change = _as_date(community["first_change"]) or end.date()
    unmapped = _as_date(community["unmapped"]) or end.date()
    day = max(start.date(), min(rolled_until, first_change, unmapped, end.date()))
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _series(days: list[date], people: ByFigure, content: ByFigure) -> tuple[DayPoint, ...]:
    """A point for every day, zeros included."""
    daily = [people["active"], people["new_members"], *(content[figure] for figure in CONTENT_FIGURES)]
    return tuple(DayPoint(day, *(counts.get(day, 0) for counts in daily)) for day in days)


def _by_figure(rows: list[dict[str, Any]], figures: tuple[str, ...]) -> ByFigure:
    """Sums repeated days (reactions come in two parts); the rows of other figures are left out."""
    counts: ByFigure = {figure: {} for figure in figures}
    for row in rows:
        if row["figure"] in counts:
            day, per_day = _as_date(row["day"]), counts[row["figure"]]
            per_day[day] = per_day.get(day, 0) + int(row["n"])
    return counts


def _ids(rows: list[dict[str, Any]]) -> dict[str, list[int]]:
    """The member ids of the rows of ID_FIGURES."""
    ids: dict[str, list[int]] = {figure: [] for figure in ID_FIGURES}
    for row in rows:
        if row["figure"] in ids:
            ids[row["figure"]].append(int(row["n"]))
    return ids


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _as_date(value: datetime | date | str | None) -> date | None:
    """PostgreSQL answers the day's start (a datetime) or a date column, SQLite 'YYYY-MM-DD' text."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


def _as_datetime(value: datetime | str) -> datetime:
    """PostgreSQL answers aware datetimes, SQLite the ISO text Tortoise stored."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
