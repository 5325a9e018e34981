"""Query cost: a validation rule that refuses queries that could fetch too much.

Cost counts the objects a query may return: each field costs 1, and a field
with `first` multiplies the cost of what it selects. A `first` given by a
variable counts as the page maximum, since validation runs before variables
are known; a field that takes `first` but is not given it counts as the
default page, which is what it returns.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNamedType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    get_named_type,
)

import settings
from resolvers.errors import ErrorCode

DEPTH_OR_ALIAS_MARKERS = ("exceeds maximum operation depth", "aliases found. Allowed", "more than")


def _page_size(field: FieldNode, takes_first: bool) -> int:
    for argument in field.arguments or ():
        if argument.name.value == "first":
            if isinstance(argument.value, IntValueNode):
                return max(1, min(int(argument.value.value), settings.MAX_PAGE_SIZE))
            return settings.MAX_PAGE_SIZE
    return settings.DEFAULT_PAGE_SIZE if takes_first else 1


class CostLimitRule(ValidationRule):
    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        fragments = {f.name.value: f for f in self.context.document.definitions if hasattr(f, "type_condition")}
        root = self.context.schema.get_root_type(node.operation)
        cost = self._cost(node.selection_set, root, fragments, set())
        if cost > settings.MAX_QUERY_COST:
            self.report_error(
                GraphQLError(
                    f"This query could return about {cost} objects; the limit is {settings.MAX_QUERY_COST}. "
                    "Ask for smaller pages or fewer nested lists.",
                    node,
                    extensions={"code": ErrorCode.QUERY_TOO_COMPLEX.value},
                )
            )

    def _cost(
        self, selections: SelectionSetNode | None, parent: GraphQLNamedType | None, fragments: dict, seen: set[str]
    ) -> int:
        """`parent` is the type the selections are on; None where the document names no known type
        (graphql's own rules report that)."""
        total = 0
        for selection in selections.selections if selections else ():
            if isinstance(selection, FieldNode):
                definition = getattr(parent, "fields", {}).get(selection.name.value)
                field_type = get_named_type(definition.type) if definition else None
                page = _page_size(selection, definition is not None and "first" in definition.args)
                total += 1 + page * self._cost(selection.selection_set, field_type, fragments, seen)
            elif isinstance(selection, InlineFragmentNode):
                total += self._cost(selection.selection_set, self._type(selection, parent), fragments, seen)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                fragment = fragments.get(selection.name.value)
                if fragment is not None:  # cycles are reported by graphql's own rules
                    names = seen | {selection.name.value}
                    total += self._cost(fragment.selection_set, self._type(fragment, parent), fragments, names)
        return total

    def _type(self, fragment: Any, parent: GraphQLNamedType | None) -> GraphQLNamedType | None:
        condition = fragment.type_condition
        return self.context.schema.get_type(condition.name.value) if condition else parent
