"""What every input goes through before a resolver sees it, and the field its error names.

- Text must be valid Unicode. JSON can carry a lone UTF-16 surrogate (`"x\\ud800"`), which
  Python decodes into a `str` that no database, encoder or log line accepts. graphql-core's
  lexer already refuses one in the document; `ValidUnicodeVariables` refuses one anywhere in
  the variables, before graphql-core coerces them, over HTTP and WebSocket alike. (A
  stricter `String`/`ID` scalar cannot do it: graphql-core 3.3 forbids redefining them.)
- `DateTime` inputs are ISO 8601 with an offset, between 1970 and ten years from now, and
  arrive in UTC (the `DateTime` scalar below).

Both refusals are BAD_USER_INPUT naming the field (`extensions.field`, added by
`InputErrorFields` where a scalar cannot know it): the innermost argument or input field
name, as the resolvers' own checks name it (`password` for `login(input: {password: ...})`,
`ids` for an entry of `ids`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLError,
    GraphQLScalarType,
    ListValueNode,
    Node,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    assert_input_type,
    get_operation_ast,
    type_from_ast,
    validate_input_value,
    visit,
)
from strawberry.extensions import SchemaExtension
from strawberry.types.scalar import ScalarDefinition

from resolvers.errors import ErrorCode

Path = list[str | int]
# A path kept as (key, parent) links while walking, so that each step costs the same.
Trail = tuple[str | int, "Trail"] | None

LONE_SURROGATE_RE = re.compile("[\ud800-\udfff]")
EARLIEST_DATETIME = datetime(1970, 1, 1, tzinfo=UTC)
MAX_YEARS_AHEAD = 10
NOT_UNICODE = "is not valid Unicode text (it holds a lone UTF-16 surrogate)"
DATETIME_RANGE = f"between 1970-01-01 and {MAX_YEARS_AHEAD} years from now"


class InvalidInput(GraphQLError):
    """An input value refused before any resolver runs. `reason` finishes the sentence
    "'<field>' ..." once the field is known (a scalar does not know which field it reads)."""

    def __init__(self, reason: str, node: Node | None = None) -> None:
        super().__init__(f"The value {reason}.", node, extensions={"code": ErrorCode.BAD_USER_INPUT.value})
        self.reason = reason


def named_input_error(reason: str, field: str, nodes: Sequence[Node] | None) -> GraphQLError:
    extensions = {"code": ErrorCode.BAD_USER_INPUT.value, "field": field}
    return GraphQLError(f"'{field}' {reason}.", nodes, extensions=extensions)


# DateTime


def parse_datetime(value: object) -> datetime:
    """An aware ISO 8601 date and time within DATETIME_RANGE, in UTC."""
    if not isinstance(value, str):
        raise InvalidInput("must be an ISO 8601 date and time string, such as 2026-01-01T09:00:00Z")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput("is not an ISO 8601 date and time, such as 2026-01-01T09:00:00Z") from None
    if parsed.utcoffset() is None:
        raise InvalidInput("needs a time zone offset, such as 2026-01-01T09:00:00Z or 2026-01-01T10:00:00+01:00")
    try:
        # 9999-12-31T23:59:59-14:00 is in year 10000 in UTC: outside what datetime (and the database) can hold.
        in_utc = parsed.astimezone(UTC)
    except OverflowError:
        in_utc = None
    latest = datetime.now(UTC) + timedelta(days=round(365.25 * MAX_YEARS_AHEAD))
    if in_utc is None or not EARLIEST_DATETIME <= in_utc <= latest:
        raise InvalidInput(f"must be {DATETIME_RANGE}")
    return in_utc


def parse_datetime_literal(node: ValueNode) -> datetime:
    try:
        if not isinstance(node, StringValueNode):
            raise InvalidInput("must be an ISO 8601 date and time string, such as 2026-01-01T09:00:00Z")
        return parse_datetime(node.value)
    except InvalidInput as error:
        raise InvalidInput(error.reason, node) from None  # the node lets us find which field it was


DATETIME = GraphQLScalarType(
    name="DateTime",
    description=f"Date and time, ISO 8601 with a time zone offset; as input, {DATETIME_RANGE}.",
    coerce_output_value=datetime.isoformat,
    coerce_input_value=parse_datetime,
    coerce_input_literal=parse_datetime_literal,
)
SCALAR_OVERRIDES: dict[object, ScalarDefinition] = {  # as strawberry.Schema takes them
    datetime: ScalarDefinition(
        name=DATETIME.name,
        description=DATETIME.description,
        specified_by_url=None,
        serialize=DATETIME.serialize,
        parse_value=DATETIME.parse_value,
        parse_literal=None,
        implementation=DATETIME,
    )
}


# Which field an input error is about


class _Arguments(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[ArgumentNode] = []

    def enter_argument(self, node: ArgumentNode, *_args: Any) -> None:
        self.found.append(node)


def _written_values(node: ValueNode, path: Path) -> Iterator[tuple[ValueNode, Path]]:
    yield node, path
    if isinstance(node, ObjectValueNode):
        for field in node.fields:
            yield from _written_values(field.value, [*path, field.name.value])
    elif isinstance(node, ListValueNode):
        for index, item in enumerate(node.values):
            yield from _written_values(item, [*path, index])


def argument_values(document: DocumentNode) -> Iterator[tuple[ValueNode, Path]]:
    """Every value written in an argument of the document, with its path from the argument's name."""
    arguments = _Arguments()
    visit(document, arguments)
    for argument in arguments.found:
        yield from _written_values(argument.value, [argument.name.value])


def innermost_name(path: Path) -> str | None:
    return next((key for key in reversed(path) if isinstance(key, str)), None)


def field_of_literal(document: DocumentNode, node: Node) -> str | None:
    return next((innermost_name(path) for value, path in argument_values(document) if value is node), None)


def field_of_variable(document: DocumentNode, name: str, path_in_value: Path) -> str:
    """The field that a part of variable `$name` fills, from where the variable is used."""
    usages = (path for value, path in argument_values(document) if _is_variable(value, name))
    used_as = next(usages, [])
    return innermost_name([*used_as, *path_in_value]) or name


def _is_variable(value: ValueNode, name: str) -> bool:
    return isinstance(value, VariableNode) and value.name.value == name


# Lone surrogates in variables


def lone_surrogate_path(value: object) -> Path | None:
    """Where in a JSON value the first string holding a lone surrogate is, or None.

    Iterative: a variable nested a thousand levels deep must not exhaust the stack."""
    stack: list[tuple[object, Trail]] = [(value, None)]
    while stack:
        value, trail = stack.pop()
        if isinstance(value, str):
            if LONE_SURROGATE_RE.search(value):
                return _path_of(trail)
        elif isinstance(value, dict | list):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            stack.extend((item, (key, trail)) for key, item in reversed(list(items)))
    return None


def _path_of(trail: Trail) -> Path:
    path: Path = []
    while trail is not None:
        key, trail = trail
        path.append(key)
    return path[::-1]


class ValidUnicodeVariables(SchemaExtension):
    """Refuses the operation, before graphql-core coerces its variables, when one of them carries
    text that is not valid Unicode (every string, whatever its type: String, ID, enum...)."""

    def on_execute(self) -> Iterator[None]:
        document = self.execution_context.graphql_document
        if document is not None:  # parsed by now (the context is shared with the hooks that run before)
            self._check_variables(document)
        yield

    def _check_variables(self, document: DocumentNode) -> None:
        context = self.execution_context
        operation = get_operation_ast(document, context.operation_name)
        for definition in (operation.variable_definitions or ()) if operation else ():
            name = definition.variable.name.value
            path = lone_surrogate_path((context.variables or {}).get(name))
            if path is not None:
                field = field_of_variable(document, name, path)
                raise named_input_error(NOT_UNICODE, field, [definition])


class InputErrorFields(SchemaExtension):
    """Names the field of each InvalidInput that a scalar raised without knowing it, whether
    graphql-core met the value in a variable (it wraps the error) or in the document."""

    def on_operation(self) -> Iterator[None]:
        yield
        self._name_fields(self.execution_context.result)

    def on_stream_result(self, result: Any) -> Iterator[None]:
        # WebSocket results are sent before on_operation ends: name their fields on the way out.
        self._name_fields(result)
        yield

    def _name_fields(self, result: Any) -> None:
        document = self.execution_context.graphql_document
        if document is not None and getattr(result, "errors", None):
            result.errors = list(self._with_fields(result.errors, document))

    def _with_fields(self, errors: list[GraphQLError], document: DocumentNode) -> Iterator[GraphQLError]:
        walked: dict[str, Iterator[Path]] = {}
        for error in errors:
            invalid = _invalid_input(error)
            if invalid is None or "field" in (error.extensions or {}):
                yield error
                continue
            variable = error.nodes[0] if error.nodes else None
            field: str | None
            if isinstance(variable, VariableDefinitionNode):
                name = variable.variable.name.value
                paths = walked.setdefault(name, iter(self._invalid_paths(variable)))
                field = field_of_variable(document, name, next(paths, []))
            else:
                field = field_of_literal(document, invalid.nodes[0]) if invalid.nodes else None
            yield named_input_error(invalid.reason, field, error.nodes) if field else error

    def _invalid_paths(self, definition: VariableDefinitionNode) -> list[Path]:
        """Where in the variable's value its InvalidInput errors are, in graphql-core's order.

        graphql-core gives that path only inside its message; asking it again gives it as data.
        (A DateTime within milliseconds of the ten-year bound may pass this second time: its error
        then keeps graphql-core's message and code, without a field.)
        """
        schema = self.execution_context.schema._schema
        value = (self.execution_context.variables or {}).get(definition.variable.name.value)
        paths: list[Path] = []
        validate_input_value(
            value,
            assert_input_type(type_from_ast(schema, definition.type)),  # an input type, as validation checked
            lambda error, path: paths.append(list(path)) if isinstance(error, InvalidInput) else None,
        )
        return paths


def _invalid_input(error: GraphQLError) -> InvalidInput | None:
    """The InvalidInput behind an error, however graphql-core wrapped it."""
    current: GraphQLError | None = error
    while current is not None:
        if isinstance(current, InvalidInput):
            return current
        current = current.original_error if isinstance(current.original_error, GraphQLError) else None
    return None
