"""Engagement analytics for managers: `community.engagement(period)` and the live `engagementPulse`.

The figures and the health score's formula are defined in resolvers/engagement/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator
from contextlib import aclosing

import strawberry

from models.communities import Community as CommunityRow
from resolvers.access import require_followable_community, require_manager
from resolvers.context import Context
from resolvers.engagement import report as engagement
from resolvers.engagement.pulse import pulse
from resolvers.recognition import standings
from schema.base import CercleInfo


@strawberry.type(description="One UTC day of an engagement report, for charts.")
class EngagementPoint:
    date: dt.date = strawberry.field(description="The day (UTC).")
    active_members: int = strawberry.field(description="Members who did anything that day.")
    new_members: int = strawberry.field(description="Memberships that became active that day.")
    posts: int = strawberry.field(description="Posts published that day (introductions excepted).")
    comments: int = strawberry.field(description="Comments written that day.")
    reactions: int = strawberry.field(description="Reactions given that day (undone ones excepted).")
    kudos: int = strawberry.field(description="Kudos given that day.")


@strawberry.type(description="One part of the health score: an observed figure against its target.")
class ScoreComponent:
    key: str = strawberry.field(
        description="Stable key: activity, participation, responsiveness, response_time, newcomer_activation, "
        "freshness or event_attendance."
    )
    label: str = strawberry.field(description="A name for people.")
    value: float = strawberry.field(
        description="The observed figure: a share from 0 to 1, or minutes for response_time."
    )
    target: float = strawberry.field(description="The value that earns full marks (response_time: at most).")
    score: float = strawberry.field(description="How the value compares with the target, from 0 to 1.")
    weight: float = strawberry.field(
        description="Its share of the health score; the weights of the components listed sum to 1."
    )
    explanation: str = strawberry.field(description="What it measures and how it is scored.")


@strawberry.type(
    description="A community's engagement over a period (managers only). Periods are rolling and end now: DAY "
    "since 00:00 UTC today, WEEK the last 7 days and MONTH the last 30 including today, ALL since the community "
    "began."
)
class EngagementReport:
    period: standings.Period = strawberry.field(description="The period asked for.")
    since: dt.datetime = strawberry.field(description="The period's start (00:00 UTC of its first day).")
    until: dt.datetime = strawberry.field(description="Its end: when the report was computed.")
    active_members: int = strawberry.field(
        description="Members who did anything of their own: any activity but the badges, levels and welcomes "
        "Cercle writes for them (posts and comments stand in for the activity log past its retention)."
    )
    new_members: int = strawberry.field(description="Memberships that became active in the period (active now).")
    contributors: int = strawberry.field(description="Members who published a counted post or comment.")
    participation_rate: float = strawberry.field(description="contributors / activeMembers; 0 without active members.")
    posts: int = strawberry.field(
        description="Published, not deleted posts; introductions (written by Cercle for newcomers) are not counted."
    )
    comments: int = strawberry.field(description="Not deleted comments on published, not deleted posts.")
    reactions: int = strawberry.field(description="Reactions still standing on not deleted posts and comments.")
    kudos: int = strawberry.field(description="Kudos given.")
    response_rate: float = strawberry.field(
        description="Share of the questions published in the period with an answer (a not deleted comment) by "
        "someone other than the asker; 0 without questions."
    )
    median_first_response_minutes: float | None = strawberry.field(
        description="Median minutes from an answered question's publication to its first answer; null when none."
    )
    newcomer_activation_rate: float = strawberry.field(
        description="Share of the new members who did something of their own beyond joining (posted, commented, "
        "reacted, gave kudos, answered or attended an event...) within 7 days of joining; 0 without newcomers."
    )
    event_attendance_rate: float | None = strawberry.field(
        description="For events that started in the period: seats held (GOING, not waitlisted) whose member "
        "checked in, over those seats (a check-in takes a seat); null when nobody held one."
    )
    health_score: int = strawberry.field(
        description="0 to 100: the weighted mean of the components' scores, rounded (see components)."
    )
    components: list[ScoreComponent] = strawberry.field(
        description="The parts of the health score; parts with no figure (no question, newcomer or event) are left "
        "out and the others reweighted."
    )
    series: list[EngagementPoint] = strawberry.field(
        description="One point per UTC day of the period, oldest first (ALL: the last 366 days at most)."
    )

    @classmethod
    def from_report(cls, report: engagement.Report) -> EngagementReport:
        return cls(
            period=standings.Period(report.period),
            since=report.since,
            until=report.until,
            active_members=report.active_members,
            new_members=report.new_members,
            contributors=report.contributors,
            participation_rate=report.participation_rate,
            posts=report.posts,
            comments=report.comments,
            reactions=report.reactions,
            kudos=report.kudos,
            response_rate=report.response_rate,
            median_first_response_minutes=report.median_first_response_minutes,
            newcomer_activation_rate=report.newcomer_activation_rate,
            event_attendance_rate=report.event_attendance_rate,
            health_score=report.health_score,
            components=[ScoreComponent(**vars(component)) for component in report.components],
            series=[
                EngagementPoint(
                    date=point.day,
                    active_members=point.active_members,
                    new_members=point.new_members,
                    posts=point.posts,
                    comments=point.comments,
                    reactions=point.reactions,
                    kudos=point.kudos,
                )
                for point in report.series
            ],
        )


async def engagement_of(ctx: Context, community: CommunityRow, period: standings.Period) -> EngagementReport:
    """`community.engagement`: the report, for the community's owners and managers."""
    await require_manager(ctx, community)
    return EngagementReport.from_report(await engagement.engagement_report(community.id, period.value))


@strawberry.type
class EngagementSubscription:
    @strawberry.subscription(
        description="Today's engagement report (period DAY), live, for owners and managers: the report at once, "
        "then a new one when the community's activity changes its figures (and at midnight UTC), at most once per "
        "ENGAGEMENT_PULSE_SECONDS (5 by default)."
    )
    async def engagement_pulse(self, info: CercleInfo, community_slug: str) -> AsyncGenerator[EngagementReport, None]:
        community = await require_followable_community(info.context, community_slug)
        async with aclosing(pulse(info.context, community)) as reports:
            async for report in reports:
                yield EngagementReport.from_report(report)
