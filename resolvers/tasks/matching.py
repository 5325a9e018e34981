"""Who could take a task: members ranked by matching skills, recent activity and current load.

score = 100 x (required skills they have / required skills)
      + contributions in the last 30 days (at most 30)
      - 15 x tasks they already have in progress
Skills match case- and accent-insensitively ("Événements" is "evenements").
A task without required skills ranks the members active in the last 30 days.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

from tortoise.expressions import Subquery
from tortoise.functions import Count

from models.activity import Activity
from models.communities import Membership, MembershipStatus
from models.members import MemberSkill
from models.tasks import Task, TaskStatus

RECENT = timedelta(days=30)
MAX_ACTIVITY_SCORE = 30
LOAD_PENALTY = 15
ACTIVE_CANDIDATES = 200  # without required skills: the most active members are the candidates


def skill_key(label: str) -> str:
    decomposed = unicodedata.normalize("NFKD", label.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).strip()


@dataclass
class Suggestion:
    member_id: int
    score: int
    matched_skills: list[str]
    recent_contributions: int
    tasks_in_progress: int

    @property
    def reason(self) -> str:
        parts = []
        if self.matched_skills:
            parts.append(f"knows {', '.join(self.matched_skills)}")
        parts.append(f"{self.recent_contributions} contributions in the last 30 days")
        if self.tasks_in_progress:
            parts.append(f"{self.tasks_in_progress} task(s) in progress")
        return "; ".join(parts)


async def suggest_members(task: Task, first: int) -> list[Suggestion]:
    active = Membership.filter(community_id=task.community_id, status=MembershipStatus.ACTIVE).values("member_id")
    since = datetime.now(UTC) - RECENT
    recent = Activity.filter(community_id=task.community_id, created_at__gte=since, actor_id__in=Subquery(active))
    wanted = {skill_key(skill): skill for skill in task.required_skills}
    matched: dict[int, list[str]] = {}
    if wanted:
        for member_id, skill in await MemberSkill.filter(member_id__in=Subquery(active)).values_list(
            "member_id", "skill"
        ):
            if skill_key(skill) in wanted:
                matched.setdefault(member_id, []).append(wanted[skill_key(skill)])
        candidates = list(matched)
    else:
        busiest = recent.annotate(n=Count("id")).group_by("actor_id").order_by("-n").limit(ACTIVE_CANDIDATES)
        candidates = cast(list[int], await busiest.values_list("actor_id", flat=True))
    candidates = [member_id for member_id in candidates if member_id != task.assignee_id]
    if not candidates:
        return []
    counts = dict(
        await recent.filter(actor_id__in=candidates)
        .annotate(n=Count("id"))
        .group_by("actor_id")
        .values_list("actor_id", "n")
    )
    in_progress = Task.filter(assignee_id__in=candidates, status__in=[TaskStatus.ASSIGNED, TaskStatus.IN_REVIEW])
    loads = dict(await in_progress.annotate(n=Count("id")).group_by("assignee_id").values_list("assignee_id", "n"))
    suggestions = []
    for member_id in candidates:
        skills = sorted(matched.get(member_id, []), key=list(wanted.values()).index)
        recent_count, load = counts.get(member_id, 0), loads.get(member_id, 0)
        score = (100 * len(skills)) // max(1, len(wanted)) + min(recent_count, MAX_ACTIVITY_SCORE) - LOAD_PENALTY * load
        suggestions.append(Suggestion(member_id, score, skills, recent_count, load))
    suggestions.sort(key=lambda s: (-s.score, s.member_id))
    return suggestions[:first]
