"""The exported schema honours the public contract (API.md's core SDL, copied in contract.graphql).

Clients generate their types from the contract. A name missing, an argument that refuses the null the
contract allows, or an output that may be null where the contract promises a value breaks them; the schema
may add fields, optional arguments and enum values, and be stricter on outputs and laxer on inputs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from graphql import (
    EnumTypeDefinitionNode,
    GraphQLNamedType,
    GraphQLSchema,
    InputObjectTypeDefinitionNode,
    ListTypeNode,
    NonNullTypeNode,
    TypeNode,
    Undefined,
    is_list_type,
    is_non_null_type,
    parse,
)
from graphql.language import print_ast

from schema import schema

CONTRACT = Path(__file__).with_name("contract.graphql")


def _gives_what_clients_expect(wanted: TypeNode, actual) -> bool:  # noqa: ANN001
    """An output: non-null where the contract is, the same shape, the same name (non-null may be added)."""
    if isinstance(wanted, NonNullTypeNode):
        return is_non_null_type(actual) and _gives_what_clients_expect(wanted.type, actual.of_type)
    actual = actual.of_type if is_non_null_type(actual) else actual
    if isinstance(wanted, ListTypeNode):
        return is_list_type(actual) and _gives_what_clients_expect(wanted.type, actual.of_type)
    return isinstance(actual, GraphQLNamedType) and actual.name == wanted.name.value


def _takes_what_clients_send(wanted: TypeNode, actual) -> bool:  # noqa: ANN001
    """An input: accepts every value the contract allows (null included where it is nullable)."""
    if is_non_null_type(actual):
        return isinstance(wanted, NonNullTypeNode) and _takes_what_clients_send(wanted.type, actual.of_type)
    wanted = wanted.type if isinstance(wanted, NonNullTypeNode) else wanted
    if isinstance(wanted, ListTypeNode):
        return is_list_type(actual) and _takes_what_clients_send(wanted.type, actual.of_type)
    return isinstance(actual, GraphQLNamedType) and actual.name == wanted.name.value


def _inputs_breaks(where: str, wanted: dict, actual: dict) -> Iterator[str]:
    """Arguments of a field, or fields of an input object: the contract's are kept, added ones are optional."""
    for name, node in wanted.items():
        if name not in actual:
            yield f"{where}({name}) is missing"
        elif not _takes_what_clients_send(node.type, actual[name].type):
            yield f"{where}({name}): the contract sends {print_ast(node.type)}, the schema takes {actual[name].type}"
    for name, added in actual.items():
        if name not in wanted and is_non_null_type(added.type) and added.default_value is Undefined:
            yield f"{where}({name}) is required, and unknown to the contract"


def contract_breaks(contract: str, served: GraphQLSchema) -> Iterator[str]:
    """Every way `served` fails a client written against `contract`."""
    for definition in parse(contract).definitions:
        name = definition.name.value
        actual = served.type_map.get(name)
        if actual is None:
            yield f"type {name} is missing"
        elif isinstance(definition, EnumTypeDefinitionNode):
            yield from (
                f"{name}.{v.name.value} is missing" for v in definition.values if v.name.value not in actual.values
            )
        elif isinstance(definition, InputObjectTypeDefinitionNode):
            yield from _inputs_breaks(name, {f.name.value: f for f in definition.fields}, actual.fields)
        else:
            yield from _object_breaks(definition, actual)


def _object_breaks(definition, actual) -> Iterator[str]:  # noqa: ANN001
    """A type's interfaces and fields, each field's output and arguments."""
    name = definition.name.value
    for interface in definition.interfaces or []:
        if interface.name.value not in {i.name for i in actual.interfaces}:
            yield f"{name} does not implement {interface.name.value}"
    for field in definition.fields:
        where, served = f"{name}.{field.name.value}", actual.fields.get(field.name.value)
        if served is None:
            yield f"{where} is missing"
            continue
        if not _gives_what_clients_expect(field.type, served.type):
            yield f"{where}: the contract promises {print_ast(field.type)}, the schema gives {served.type}"
        yield from _inputs_breaks(where, {a.name.value: a for a in field.arguments or []}, served.args)


def test_the_schema_honours_the_contract():
    assert list(contract_breaks(CONTRACT.read_text(), schema._schema)) == []


def test_the_check_notices_what_would_break_clients():
    served = schema._schema
    assert list(contract_breaks("enum Role { OWNER KING }", served)) == ["Role.KING is missing"]
    assert list(contract_breaks("type Post { id: ID  title: String!  kind: Int! }", served)) == [
        "Post.kind: the contract promises Int!, the schema gives PostKind!"
    ]
    assert list(contract_breaks("type Query { post(id: ID): Post }", served)) == [
        "Query.post(id): the contract sends ID, the schema takes ID!"
    ]
    assert list(contract_breaks("type Query { communities: CommunityConnection! }", served)) == []
    assert list(contract_breaks("input LoginInput { login: String! }", served)) == [
        "LoginInput(password) is required, and unknown to the contract"
    ]


NULLS_AS_THE_CONTRACT_ALLOWS = """
mutation M {
  createCommunity(input: {name: "Nulls welcome", visibility: null, joinPolicy: null}) { visibility joinPolicy }
  createPost(input: {communitySlug: "nulls-welcome", title: "Hello", body: "Hi", kind: null}) {
    kind community { leaderboard(first: null) { rank } trendingTags(first: null) { tag } }
  }
}
"""


async def test_a_null_the_contract_allows_asks_for_the_default(gql, owner_alice):
    data = await gql.data(NULLS_AS_THE_CONTRACT_ALLOWS, token=owner_alice.token)
    assert data["createCommunity"] == {"visibility": "PUBLIC", "joinPolicy": "OPEN"}
    assert data["createPost"]["kind"] == "DISCUSSION"
    assert data["createPost"]["community"] == {"leaderboard": [{"rank": 1}], "trendingTags": []}
