"""Query limits: validation rules that refuse documents too deep, too aliased, too costly or too
repetitive, each in time linear in the document.

Fragments make a document's expansion exponential in its size (`fragment F1 on Query { ...F2 ...F2 }`,
twenty levels deep, is a million spreads in under 1 KB), so every rule measures each fragment once,
at its first spread, and reuses that measure wherever it is spread again. A spread that closes a cycle
measures nothing (NoFragmentCyclesRule reports the cycle).

Validation runs in two passes (`validate_within_limits`): these rules first, and graphql's own rules
only on documents within the limits, because some of graphql's rules are not linear either.
OverlappingFieldsCanBeMergedRule compares every pair of fields that share a response name at one
place, recursively: `{ me { id } me { id } ... }` 500 times takes seconds. RepeatedFieldsRule bounds
those pairs before that rule runs.

Depth counts nested fields with selections, introspection fields excepted (GraphiQL's schema query
is deeper than any page; graphql's MaxIntrospectionDepthRule bounds it). Aliases are counted over the
document's operations, through fragments. Cost counts the objects a query may return: each field
costs 1, and a field with `first` multiplies the cost of what it selects. A `first` given by a
variable counts as the page maximum, since validation runs before variables are known; a field that
takes `first` but is not given it counts as the default page, which is what it returns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import suppress
from functools import lru_cache
from math import comb
from typing import Any, Generic, TypeVar

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    get_named_type,
    parse,
    validate,
)
from graphql.validation.validate import ValidationAbortedError
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

import settings
from resolvers.errors import ErrorCode

# The parser's own refusal of a document past MAX_TOKENS carries no code: ErrorCodes recognises it.
TOO_MANY_TOKENS_MARKER = "Document contains more than"

Measure = TypeVar("Measure")


def too_complex(message: str, node: Any = None) -> GraphQLError:
    return GraphQLError(message, node, extensions={"code": ErrorCode.QUERY_TOO_COMPLEX.value})


class PerFragment(Generic[Measure]):
    """A measure of each fragment of the document, computed once; `empty` for unknown fragments and
    for a spread that closes a cycle."""

    def __init__(
        self, context: ValidationContext, measure: Callable[[FragmentDefinitionNode], Measure], empty: Measure
    ) -> None:
        self.context = context
        self.measure = measure
        self.empty = empty
        self.known: dict[str, Measure] = {}
        self.measuring: set[str] = set()

    def __call__(self, spread: FragmentSpreadNode) -> Measure:
        name = spread.name.value
        if name in self.known:
            return self.known[name]
        fragment = self.context.get_fragment(name)
        if fragment is None or name in self.measuring:
            return self.empty
        self.measuring.add(name)
        try:
            self.known[name] = self.measure(fragment)
        finally:
            self.measuring.discard(name)
        return self.known[name]


def _selections(selection_set: SelectionSetNode | None) -> Iterator[Any]:
    return iter(selection_set.selections if selection_set else ())


def _response_name(field: FieldNode) -> str:
    return field.alias.value if field.alias else field.name.value


class DepthLimitRule(ValidationRule):
    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.fragment_depth = PerFragment(context, lambda fragment: self.depth(fragment.selection_set), 0)

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        if self.depth(node.selection_set) > settings.MAX_QUERY_DEPTH:
            name = node.name.value if node.name else "anonymous"
            self.report_error(
                too_complex(f"'{name}' exceeds maximum operation depth of {settings.MAX_QUERY_DEPTH}", node)
            )

    def depth(self, selection_set: SelectionSetNode | None) -> int:
        deepest = 0
        for selection in _selections(selection_set):
            if isinstance(selection, FieldNode):
                if selection.selection_set and not selection.name.value.startswith("__"):
                    deepest = max(deepest, 1 + self.depth(selection.selection_set))
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, self.depth(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                deepest = max(deepest, self.fragment_depth(selection))
        return deepest


class AliasLimitRule(ValidationRule):
    """Aliases over all the document's operations: a fragment spread twice counts its aliases twice."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.fragment_aliases = PerFragment(context, lambda fragment: self.aliases(fragment.selection_set), 0)
        self.total = 0

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        self.total += self.aliases(node.selection_set)

    def leave_document(self, *_: Any) -> None:
        if self.total > settings.MAX_ALIASES:
            self.report_error(too_complex(f"{self.total} aliases found. Allowed: {settings.MAX_ALIASES}"))

    def aliases(self, selection_set: SelectionSetNode | None) -> int:
        count = 0
        for selection in _selections(selection_set):
            if isinstance(selection, FieldNode):
                count += bool(selection.alias) + self.aliases(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                count += self.aliases(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                count += self.fragment_aliases(selection)
        return count


def _page_size(field: FieldNode, takes_first: bool) -> int:
    for argument in field.arguments or ():
        if argument.name.value == "first":
            if isinstance(argument.value, IntValueNode):
                return max(1, min(int(argument.value.value), settings.MAX_PAGE_SIZE))
            return settings.MAX_PAGE_SIZE
    return settings.DEFAULT_PAGE_SIZE if takes_first else 1


class CostLimitRule(ValidationRule):
    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        # A fragment costs the same wherever it is spread: its type condition says what it selects on.
        self.fragment_cost = PerFragment(
            context, lambda fragment: self.cost(fragment.selection_set, self.condition_type(fragment, None)), 0
        )

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        cost = self.cost(node.selection_set, self.context.schema.get_root_type(node.operation))
        if cost > settings.MAX_QUERY_COST:
            self.report_error(
                too_complex(
                    f"This query could return about {cost} objects; the limit is {settings.MAX_QUERY_COST}. "
                    "Ask for smaller pages or fewer nested lists.",
                    node,
                )
            )

    def cost(self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType | None) -> int:
        """`parent` is the type the selections are on; None where the document names no known type
        (graphql's own rules report that)."""
        total = 0
        for selection in _selections(selection_set):
            if isinstance(selection, FieldNode):
                definition = getattr(parent, "fields", {}).get(selection.name.value)
                field_type = get_named_type(definition.type) if definition else None
                page = _page_size(selection, definition is not None and "first" in definition.args)
                total += 1 + page * self.cost(selection.selection_set, field_type)
            elif isinstance(selection, InlineFragmentNode):
                total += self.cost(selection.selection_set, self.condition_type(selection, parent))
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment_cost(selection)
        return total

    def condition_type(self, fragment: Any, parent: GraphQLNamedType | None) -> GraphQLNamedType | None:
        condition = fragment.type_condition
        return self.context.schema.get_type(condition.name.value) if condition else parent


class SamePlaceFields:
    """The fields a selection set selects at one place, by response name, as execution merges them:
    how many selections each place gets, and the places below."""

    __slots__ = ("count", "below")

    def __init__(self) -> None:
        self.count = 0
        self.below: dict[str, SamePlaceFields] = {}

    def at(self, name: str) -> SamePlaceFields:
        return self.below.setdefault(name, SamePlaceFields())

    def pairs(self) -> int:
        """Pairs of selections that share a place, here and below."""
        return comb(self.count, 2) + sum(place.pairs() for place in self.below.values())


class RepeatedFieldsRule(ValidationRule):
    """Bounds the pairs of fields OverlappingFieldsCanBeMergedRule compares, before it runs.

    That rule compares the fields of one place pairwise, and the fields below two compared fields
    pairwise again; it compares a fragment with another fragment only once. So each definition is
    measured on its own selections, where a fragment spread adds the response names the fragment
    selects at its top (measured once per fragment) but not what lies below them.
    """

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.fragment_names = PerFragment[Counter[str]](
            context, lambda fragment: self.top_names(fragment.selection_set), Counter()
        )
        self.total = 0

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        self.total += self.pairs(node.selection_set)

    def enter_fragment_definition(self, node: FragmentDefinitionNode, *_: Any) -> None:
        self.total += self.pairs(node.selection_set)

    def leave_document(self, *_: Any) -> None:
        if self.total > settings.MAX_REPEATED_FIELD_PAIRS:
            self.report_error(
                too_complex(
                    "This document selects the same fields at the same place too many times: checking that "
                    f"they merge takes {self.total} comparisons; the limit is {settings.MAX_REPEATED_FIELD_PAIRS}. "
                    "Select each field once per place."
                )
            )

    def pairs(self, selection_set: SelectionSetNode) -> int:
        root = SamePlaceFields()
        self.place(selection_set, root)
        return root.pairs()

    def place(self, selection_set: SelectionSetNode | None, here: SamePlaceFields) -> None:
        for selection in _selections(selection_set):
            if isinstance(selection, FieldNode):
                field = here.at(_response_name(selection))
                field.count += 1
                self.place(selection.selection_set, field)
            elif isinstance(selection, InlineFragmentNode):
                self.place(selection.selection_set, here)
            elif isinstance(selection, FragmentSpreadNode):
                for name, count in self.fragment_names(selection).items():
                    here.at(name).count += count

    def top_names(self, selection_set: SelectionSetNode | None) -> Counter[str]:
        names: Counter[str] = Counter()
        for selection in _selections(selection_set):
            if isinstance(selection, FieldNode):
                names[_response_name(selection)] += 1
            elif isinstance(selection, InlineFragmentNode):
                names.update(self.top_names(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                names.update(self.fragment_names(selection))
        return names


LIMIT_RULES = (DepthLimitRule, AliasLimitRule, CostLimitRule, RepeatedFieldsRule)


def validate_within_limits(
    schema: GraphQLSchema, document: DocumentNode, rules: tuple[type[ASTValidationRule], ...]
) -> list[GraphQLError]:
    """The document's validation errors: over a limit, only those; within them, graphql's rules too.

    graphql's `validate` aborts documents that nest fragments too deeply or have too many errors,
    before our rules recurse that deep as well; its abort says why, with a code.
    """
    errors = validate(schema, document, LIMIT_RULES) or validate_document(schema, document, rules)
    return [_explain_abort(error) if isinstance(error, ValidationAbortedError) else error for error in errors]


def _explain_abort(error: ValidationAbortedError) -> GraphQLError:
    if error.message == "Validation aborted.":  # past graphql's MAX_NESTING_DEPTH or MAX_FRAGMENT_WORK
        return too_complex("This document's fragments nest too deeply or spread too often to be validated.")
    return too_complex(error.message)


# Remembered documents: clients send the same few documents again and again (the web app's operations), so each
# is parsed and validated once and remembered by its text, whose hash Python keeps with the string. A DocumentNode
# hashes its whole tree on every lookup, so the text is the key, not the document. Documents that fail to parse
# are not remembered (Strawberry parses them again and reports why), nor are long ones.
REMEMBERED_DOCUMENTS = 256
REMEMBERED_LENGTH = 20_000
ParseOptions = frozenset[tuple[str, Any]]


@lru_cache(maxsize=REMEMBERED_DOCUMENTS)
def _parse_remembered(query: str, options: ParseOptions) -> DocumentNode:
    return parse(query, **dict(options))


def parsed_document(query: str, options: Mapping[str, Any]) -> DocumentNode:
    """`query` parsed with graphql's parse `options`; raises its GraphQLError."""
    if len(query) > REMEMBERED_LENGTH:
        return parse(query, **options)
    return _parse_remembered(query, frozenset(options.items()))


@lru_cache(maxsize=REMEMBERED_DOCUMENTS)
def _validated_remembered(
    schema: GraphQLSchema, query: str, options: ParseOptions, rules: tuple[type[ASTValidationRule], ...]
) -> list[GraphQLError]:
    return validate_within_limits(schema, _parse_remembered(query, options), rules)


class ValidationWithinLimits(SchemaExtension):
    """Parses (with Strawberry's parse options, the token limit among them) and validates each request with
    `validate_within_limits`, both remembered by the document's text."""

    remembered: tuple[str, ParseOptions] | None = None  # the text and options the document was parsed from

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query and len(context.query) <= REMEMBERED_LENGTH:
            options = frozenset(context.parse_options.items())
            with suppress(GraphQLError):  # Strawberry parses it again, and its error takes the usual path
                context.graphql_document = _parse_remembered(context.query, options)
                self.remembered = (context.query, options)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None
        if self.remembered:
            query, options = self.remembered
            errors = _validated_remembered(context.schema._schema, query, options, context.validation_rules)
        else:
            errors = validate_within_limits(context.schema._schema, context.graphql_document, context.validation_rules)
        context.pre_execution_errors = list(errors)  # the remembered list stays as it is
        yield
