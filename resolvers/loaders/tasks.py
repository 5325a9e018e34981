from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from models.tasks import Task, TaskVolunteer
from resolvers.loaders.base import ByIdLoader


class TaskByIdLoader(ByIdLoader[Task]):
    model = Task


class VolunteersByTaskIdLoader(DataLoader[int, list[int]]):
    """Member ids of each task's volunteers, first offer first, for a whole page of tasks at once."""

    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[int]) -> list[list[int]]:
        offers: dict[int, list[int]] = {}
        rows = TaskVolunteer.filter(task_id__in=list(set(keys))).order_by("created_at", "id")
        for task_id, member_id in await rows.values_list("task_id", "member_id"):
            offers.setdefault(task_id, []).append(member_id)
        return [offers.get(key, []) for key in keys]
