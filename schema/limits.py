"""Query cost: a validation rule that refuses queries that could fetch too much.

Cost counts the objects a query may return: each field costs 1, and a field
with `first` multiplies the cost of what it selects. A `first` given by a
variable counts as the page maximum, since validation runs before variables
are known.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)

import settings
from resolvers.errors import ErrorCode

DEPTH_OR_ALIAS_MARKERS = ("exceeds maximum operation depth", "aliases found. Allowed", "more than")


def _page_size(field: FieldNode) -> int:
    for argument in field.arguments or ():
        if argument.name.value == "first":
            if isinstance(argument.value, IntValueNode):
                return max(1, min(int(argument.value.value), settings.MAX_PAGE_SIZE))
            return settings.MAX_PAGE_SIZE
    return 1


class CostLimitRule(ValidationRule):
    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        fragments = {f.name.value: f for f in self.context.document.definitions if hasattr(f, "type_condition")}
        cost = self._cost(node.selection_set, fragments, set())
        if cost > settings.MAX_QUERY_COST:
            self.report_error(
                GraphQLError(
                    f"This query could return about {cost} objects; the limit is {settings.MAX_QUERY_COST}. "
                    "Ask for smaller pages or fewer nested lists.",
                    node,
                    extensions={"code": ErrorCode.QUERY_TOO_COMPLEX.value},
                )
            )

    def _cost(self, selections: SelectionSetNode | None, fragments: dict, seen: set[str]) -> int:
        total = 0
        for selection in selections.selections if selections else ():
            if isinstance(selection, FieldNode):
                total += 1 + _page_size(selection) * self._cost(selection.selection_set, fragments, seen)
            elif isinstance(selection, InlineFragmentNode):
                total += self._cost(selection.selection_set, fragments, seen)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                fragment = fragments.get(selection.name.value)
                if fragment is not None:  # cycles are reported by graphql's own rules
                    total += self._cost(fragment.selection_set, fragments, seen | {selection.name.value})
        return total
