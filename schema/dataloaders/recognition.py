from __future__ import annotations

from models.recognition import Badge, BadgeAward
from schema.dataloaders.base import ByIdLoader


class BadgeByIdLoader(ByIdLoader[Badge]):
    model = Badge


class BadgeAwardByIdLoader(ByIdLoader[BadgeAward]):
    model = BadgeAward
