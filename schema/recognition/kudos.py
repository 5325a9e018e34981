"""Kudos: `giveKudos`, and a community's kudos, newest first."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import points as models
from resolvers.access import visible_community
from resolvers.ids import to_global_id
from resolvers.recognition import kudos as resolvers
from schema.base import CercleInfo, Node
from schema.members import Member


@strawberry.type(description="Public thanks from one member to another.")
class Kudos(Node):
    row: strawberry.Private[models.Kudos]
    message: str = strawberry.field(description="The thanks, as written (plain text).")
    created_at: datetime = strawberry.field(description="When.")

    @classmethod
    def from_row(cls, row: models.Kudos) -> Kudos:
        return cls(
            id=strawberry.ID(to_global_id("Kudos", row.id)), row=row, message=row.message, created_at=row.created_at
        )

    @classmethod
    async def resolve_node(cls, info: CercleInfo, pk: int) -> Kudos | None:
        row = await info.context.loaders.kudos_by_id.load(pk)  # seen with its community
        return cls.from_row(row) if row and await visible_community(info.context, row.community_id) else None

    @strawberry.field(name="from", description="Who thanks.")
    async def giver(self, info: CercleInfo) -> Member:
        return Member.from_row(await info.context.loaders.member_by_id.load_existing(self.row.giver_id))

    @strawberry.field(name="to", description="Who is thanked.")
    async def receiver(self, info: CercleInfo) -> Member:
        return Member.from_row(await info.context.loaders.member_by_id.load_existing(self.row.receiver_id))


@strawberry.input(description="Thank a member of a community in public.")
class GiveKudosInput:
    community_slug: str = strawberry.field(description="Where.")
    to_username: str = strawberry.field(description="Whom you thank.")
    message: str = strawberry.field(description="Up to 500 characters, shown as plain text.")


@strawberry.type
class KudosMutation:
    @strawberry.mutation(description=f"Thank a member in public (active members; {resolvers.MAX_MESSAGE} characters).")
    async def give_kudos(self, info: CercleInfo, input: GiveKudosInput) -> Kudos:
        return Kudos.from_row(
            await resolvers.do_give_kudos(info.context, input.community_slug, input.to_username, input.message)
        )
