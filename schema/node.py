"""`node(id:)`: any object by global id, with the same visibility rules as every other path.

The schema is the registry: the id's type name is looked up among the schema's types, and
the type's own `resolve_node` loads the row and applies its rule from resolvers/access.py.
"""

from __future__ import annotations

import strawberry

from resolvers.errors import NotFound
from resolvers.ids import can_name_a_row, from_global_id
from schema.base import CercleInfo, Node

NOTHING_VISIBLE = "Nothing with this id is visible to you."


async def resolve_node(info: CercleInfo, global_id: str) -> Node | None:
    type_name, pk = from_global_id(global_id)
    node_type = _node_type(info, type_name) if can_name_a_row(type_name, pk) else None
    node = await node_type.resolve_node(info, pk) if node_type else None
    if node is None:  # absent, hidden, an unknown type or a number beyond its column: all alike
        raise NotFound(NOTHING_VISIBLE, field="id")
    return node


def _node_type(info: CercleInfo, type_name: str) -> type[Node] | None:
    origin = getattr(info.schema.get_type_by_name(type_name), "origin", None)
    return origin if isinstance(origin, type) and issubclass(origin, Node) else None


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by its global id; null with NOT_FOUND when absent or hidden.")
    async def node(self, info: CercleInfo, id: strawberry.ID) -> Node | None:
        return await resolve_node(info, id)
