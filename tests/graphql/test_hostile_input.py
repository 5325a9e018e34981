"""Hostile input in every argument the schema takes: a clear error with a code, never an internal one.

The slots are read from the schema itself (every argument and input field of the root
operations, by type), so an argument added later is probed too: lone UTF-16 surrogates in
text, DateTimes a calendar cannot hold, ids that are malformed or name nothing, and cursors
beyond any feed.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
import websockets
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputType,
    GraphQLObjectType,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    is_input_object_type,
    is_list_type,
    is_non_null_type,
    is_required_argument,
    is_required_input_field,
)

from models.communities import Community
from realtime.messages import encode_cursor
from resolvers.ids import to_global_id
from resolvers.pagination import encode_values
from schema import schema
from tests.factories import Persona, gid, make_post
from tests.fixtures.server import Server

GRAPHQL_SCHEMA = schema._schema
ROOTS = {
    "query": GRAPHQL_SCHEMA.query_type,
    "mutation": GRAPHQL_SCHEMA.mutation_type,
    "subscription": GRAPHQL_SCHEMA.subscription_type,
}
LONE_SURROGATES = ("x\ud800", "\udfffy")
WAIT_SECONDS = 10
_operation_ids = itertools.count(1)
CREATE_TASK = "mutation T($input: CreateTaskInput!) { createTask(input: $input) { dueAt } }"


@dataclass(frozen=True)
class Slot:
    """A place for a value: an argument of a root field, or a field of an input object argument."""

    operation: str  # query, mutation or subscription
    field_name: str
    path: tuple[str, ...]  # ("search",) or ("input", "password")
    type: GraphQLInputType

    @property
    def field(self) -> GraphQLField:
        return ROOTS[self.operation].fields[self.field_name]

    @property
    def name(self) -> str:
        """What the error must name: the innermost field, as the resolvers name it."""
        return self.path[-1]

    def __str__(self) -> str:
        return f"{self.field_name}({'.'.join(self.path)})"


def slots(named_types: set[str], operations: tuple[str, ...] = ("query", "mutation", "subscription")) -> list[Slot]:
    """Every slot of the root operations whose type is one of `named_types` (or a list of them)."""
    found = []
    for operation in operations:
        root: GraphQLObjectType = ROOTS[operation]
        for field_name, field in root.fields.items():
            for arg_name, argument in field.args.items():
                found += _slots_within(operation, field_name, (arg_name,), argument.type, named_types)
    return found


def _slots_within(operation: str, field_name: str, path: tuple[str, ...], type_: Any, named: set[str]) -> list[Slot]:
    named_type = get_named_type(type_)
    if is_input_object_type(named_type):
        return [
            slot
            for name, input_field in named_type.fields.items()
            for slot in _slots_within(operation, field_name, (*path, name), input_field.type, named)
        ]
    return [Slot(operation, field_name, path, type_)] if named_type.name in named else []


def sample(type_: Any, name: str, samples: dict[str, Any]) -> Any:
    """A valid value of the type: `samples` by field name first, then a plain one; required fields only."""
    if is_non_null_type(type_):
        return sample(type_.of_type, name, samples)
    if name in samples:
        return samples[name]
    if is_list_type(type_):
        return [sample(type_.of_type, name, samples)]
    if is_input_object_type(type_):
        return {n: sample(f.type, n, samples) for n, f in type_.fields.items() if is_required_input_field(f)}
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    plain = {"String": "x", "Int": 1, "Boolean": True, "ID": to_global_id("Post", 1), "DateTime": in_hours(48)}
    return plain[type_.name]


def in_hours(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


def probe(slot: Slot, value: Any, samples: dict[str, Any] | None = None) -> tuple[str, dict]:
    """An operation that puts `value` in the slot (as a list of one for a list slot), with every
    other required argument valid. Variables are named apart from the arguments (`$v_input`), so
    the error can only find the field through the document."""
    values = _argument_values(slot, value, samples or {})
    document = _document(slot, {name: f"$v_{name}" for name in values})
    return document, {f"v_{name}": argument_value for name, argument_value in values.items()}


def probe_literal(slot: Slot, literal: str, samples: dict[str, Any]) -> tuple[str, dict]:
    """The same with the slot's input object written in the document, the slot's value as `literal`."""
    argument, name = slot.path
    values = _argument_values(slot, None, samples)
    others = ", ".join(f"{key}: {json.dumps(value)}" for key, value in values.pop(argument).items() if key != name)
    written = {key: f"$v_{key}" for key in values} | {argument: f"{{{others}, {name}: {literal}}}"}
    return _document(slot, written), {f"v_{key}": value for key, value in values.items()}


def _argument_values(slot: Slot, value: Any, samples: dict[str, Any]) -> dict[str, Any]:
    field = slot.field
    wanted = {name: arg for name, arg in field.args.items() if name == slot.path[0] or is_required_argument(arg)}
    values = {name: sample(arg.type, name, samples) for name, arg in wanted.items()}
    value = [value] if is_list_type(get_nullable_type(slot.type)) else value
    if len(slot.path) == 1:
        values[slot.path[0]] = value
    else:
        values[slot.path[0]] = {**values.get(slot.path[0], {}), slot.path[1]: value}
    return values


def _document(slot: Slot, written: dict[str, str]) -> str:
    """The operation calling the slot's field with `written` arguments (`$v_<name>` or a literal)."""
    arguments = slot.field.args
    variables = ", ".join(f"{text}: {arguments[name].type}" for name, text in written.items() if text.startswith("$"))
    call = ", ".join(f"{name}: {text}" for name, text in written.items())
    selection = " { __typename }" if is_composite_type(get_named_type(slot.field.type)) else ""
    return f"{slot.operation} Probe{f'({variables})' if variables else ''} {{ {slot.field_name}({call}){selection} }}"


# Transports: JSON bodies are written with json.dumps, which escapes a lone surrogate as "\ud800"
# (a client library would refuse to encode it as UTF-8).


async def over_http(http: httpx.AsyncClient, document: str, variables: dict, token: str | None = None) -> dict:
    headers = {"content-type": "application/json"} | ({"authorization": f"Bearer {token}"} if token else {})
    body = json.dumps({"query": document, "variables": variables})
    return (await http.post("/graphql", content=body, headers=headers)).json()


async def over_get(http: httpx.AsyncClient, document: str, variables: dict) -> dict:
    return (await http.get("/graphql", params={"query": document, "variables": json.dumps(variables)})).json()


async def over_websocket(
    server: Server, document: str, variables: dict, token: str | None = None, *, protocol: str = "graphql-transport-ws"
) -> dict:
    """The first answer to one operation, shaped like an HTTP answer ({"errors": [...]} or {"data": ...})."""
    async with websockets.connect(server.ws_url, subprotocols=[protocol]) as socket:
        init = {"authorization": f"Bearer {token}"} if token else {}
        await socket.send(json.dumps({"type": "connection_init", "payload": init}))
        assert (await _receive(socket))["type"] == "connection_ack"
        start = "subscribe" if protocol == "graphql-transport-ws" else "start"
        payload = {"query": document, "variables": variables}
        await socket.send(json.dumps({"id": str(next(_operation_ids)), "type": start, "payload": payload}))
        message = await _receive(socket)
    if message["type"] == "error":
        errors = message["payload"]
        return {"errors": errors if isinstance(errors, list) else [errors]}
    return message["payload"]


async def _receive(socket: websockets.ClientConnection) -> dict:
    while True:
        message = json.loads(await asyncio.wait_for(socket.recv(), WAIT_SECONDS))
        if message.get("type") not in ("ka", "ping", "pong"):
            return message


def refused(answer: dict, code: str, field: str) -> bool:
    errors = answer.get("errors") or []
    return len(errors) >= 1 and errors[0].get("extensions") == {"code": code, "field": field}


# 1. Lone surrogates: every String and ID slot, on every transport

TEXT_SLOTS = slots({"String", "ID"})
# A valid rest of the input, so that without the check the surrogate would reach the resolvers.
TEXT_SAMPLES = {
    "communitySlug": "python-paris",
    "slug": "python-paris",
    "username": "bob",
    "toUsername": "bob",
    "email": "newcomer@example.org",
    "password": "correct horse battery",
    "login": "alice",
}


def test_the_text_slots_include_the_known_victims():
    probed = {str(slot) for slot in TEXT_SLOTS}
    assert {"communities(search)", "login(input.password)", "createPost(input.body)", "node(id)"} <= probed
    assert len(TEXT_SLOTS) > 60


def is_unicode_refusal(answer: dict, slot: Slot) -> bool:
    # A request error (no `data` at all): the variables were refused before anything ran.
    return "data" not in answer and refused(answer, "BAD_USER_INPUT", slot.name)


async def test_a_lone_surrogate_in_any_text_is_bad_user_input_naming_the_field(
    http, owner_alice: Persona, public_community: Community
):
    failures = []
    for slot in (slot for slot in TEXT_SLOTS if slot.operation != "subscription"):
        for text in LONE_SURROGATES:
            document, variables = probe(slot, text, TEXT_SAMPLES)
            answer = await over_http(http, document, variables, owner_alice.token)
            if not is_unicode_refusal(answer, slot):
                failures.append(f"{slot}: {answer}")
    assert not failures, "\n".join(failures)


async def test_a_lone_surrogate_in_a_get_query_string_is_bad_user_input(http):
    failures = []
    for slot in (slot for slot in TEXT_SLOTS if slot.operation == "query"):
        document, variables = probe(slot, LONE_SURROGATES[0], TEXT_SAMPLES)
        answer = await over_get(http, document, variables)
        if not is_unicode_refusal(answer, slot):
            failures.append(f"{slot}: {answer}")
    assert not failures, "\n".join(failures)


async def test_a_lone_surrogate_in_a_field_argument_below_the_root_is_bad_user_input(http):
    # given: `skill` is an argument of Community.members, not of a root field
    document = "query Q($s: String) { communities { edges { node { members(skill: $s) { totalCount } } } } }"
    # when
    answer = await over_http(http, document, {"s": LONE_SURROGATES[0]})
    # then
    assert "data" not in answer and refused(answer, "BAD_USER_INPUT", "skill"), answer


@pytest.mark.parametrize("protocol", ["graphql-transport-ws", "graphql-ws"])
async def test_a_lone_surrogate_in_websocket_variables_is_bad_user_input(
    live_server: Server, owner_alice: Persona, protocol: str
):
    failures = []
    for slot in (slot for slot in TEXT_SLOTS if slot.operation == "subscription"):
        document, variables = probe(slot, LONE_SURROGATES[0], TEXT_SAMPLES)
        answer = await over_websocket(live_server, document, variables, owner_alice.token, protocol=protocol)
        if not refused(answer, "BAD_USER_INPUT", slot.name):
            failures.append(f"{slot}: {answer}")
    assert not failures, "\n".join(failures)


HOSTILE_TEXTS = ["\x00", "bob\x00", "x" * 100_000, "\u202e\ufeff", "\u0663"]


async def test_hostile_text_in_any_slot_gets_a_coded_error_never_an_internal_one(
    http, owner_alice: Persona, id_samples: dict[str, Any]
):
    # given: NUL, which PostgreSQL refuses in text, in every username looked up, among others
    failures = []
    for slot in (slot for slot in TEXT_SLOTS if slot.operation != "subscription"):
        for text in HOSTILE_TEXTS:
            document, variables = probe(slot, text, TEXT_SAMPLES | id_samples)
            # when
            answer = await over_http(http, document, variables, owner_alice.token)
            # then
            codes = [error.get("extensions", {}).get("code") for error in answer.get("errors", [])]
            if None in codes or "INTERNAL_SERVER_ERROR" in codes:
                failures.append(f"{slot} = {text[:10]!r}: {str(answer)[:300]}")
    assert not failures, "\n".join(failures)


USERNAME_LOOKUPS = ["banMember", "unbanMember", "setRole", "grantPoints", "giveKudos"]


async def test_a_username_with_a_nul_is_nobody(http, owner_alice: Persona, id_samples: dict[str, Any]):
    failures = []
    for slot in (slot for slot in TEXT_SLOTS if slot.field_name in USERNAME_LOOKUPS and slot.name.endswith("sername")):
        # given
        document, variables = probe(slot, "bob\x00", id_samples | {"toUsername": "bob"})
        # when
        answer = await over_http(http, document, variables, owner_alice.token)
        # then
        if not refused(answer, "NOT_FOUND", slot.name):
            failures.append(f"{slot}: {answer}")
    assert not failures, "\n".join(failures)


# 2. DateTimes: every DateTime slot refuses what no calendar or database can hold, naming the field

DATETIME_SLOTS = slots({"DateTime"})
OUT_OF_RANGE_TIMES = [
    "9999-12-31T23:59:59-14:00",  # year 10000 in UTC
    "0001-01-01T00:00:00+14:00",  # year 0 in UTC
    "1969-12-31T23:59:59Z",
    f"{datetime.now(UTC).year + 11}-01-01T00:00:00Z",  # more than ten years ahead
]
MALFORMED_TIMES = ["2030-01-01T09:00:00", "2030-02-30T09:00:00Z", "next tuesday", "2030-01-01T09:00:00+24:00"]


def test_the_datetime_slots_are_the_known_ones():
    assert {str(slot) for slot in DATETIME_SLOTS} == {
        "createPost(input.publishAt)",
        "createTask(input.dueAt)",
        "createEvent(input.startsAt)",
        "createEvent(input.endsAt)",
    }


@pytest.mark.parametrize("written_as", ["variable", "literal"])
async def test_a_datetime_out_of_range_or_malformed_is_bad_user_input_naming_the_field(
    http, owner_alice: Persona, public_community: Community, written_as: str
):
    samples = {"communitySlug": public_community.slug, "startsAt": in_hours(48), "endsAt": in_hours(50)}
    failures = []
    for slot in DATETIME_SLOTS:
        for when in OUT_OF_RANGE_TIMES + MALFORMED_TIMES:
            if written_as == "literal":
                document, variables = probe_literal(slot, json.dumps(when), samples)
            else:
                document, variables = probe(slot, when, samples)
            answer = await over_http(http, document, variables, owner_alice.token)
            if not ("data" not in answer and refused(answer, "BAD_USER_INPUT", slot.name)):
                failures.append(f"{slot} = {when}: {answer}")
    assert not failures, "\n".join(failures)


async def test_a_datetime_out_of_range_over_websocket_is_bad_user_input_naming_the_field(
    live_server: Server, owner_alice: Persona, public_community: Community
):
    # given: a mutation sent over graphql-transport-ws, whose results leave before the operation ends
    slot = next(slot for slot in DATETIME_SLOTS if slot.name == "dueAt")
    document, variables = probe(slot, OUT_OF_RANGE_TIMES[0], {"communitySlug": public_community.slug})
    # when
    answer = await over_websocket(live_server, document, variables, owner_alice.token)
    # then
    assert refused(answer, "BAD_USER_INPUT", "dueAt"), answer


async def test_the_datetime_range_is_in_the_message(http, owner_alice: Persona, public_community: Community):
    # given
    slot = next(slot for slot in DATETIME_SLOTS if slot.name == "dueAt")
    document, variables = probe(slot, OUT_OF_RANGE_TIMES[0], {"communitySlug": public_community.slug})
    # when
    answer = await over_http(http, document, variables, owner_alice.token)
    # then
    assert answer["errors"][0]["message"] == "'dueAt' must be between 1970-01-01 and 10 years from now."


async def test_a_datetime_nine_years_ahead_is_accepted_and_read_in_utc(
    gql, owner_alice: Persona, public_community: Community
):
    # given: nine years ahead, written in the last time zone on Earth
    due = (datetime.now(UTC) + timedelta(days=9 * 365)).replace(microsecond=0)
    written = due.astimezone(timezone(timedelta(hours=-12))).isoformat()
    variables = {"input": {"communitySlug": public_community.slug, "title": "Far", "dueAt": written}}
    # when
    created = await gql.data(CREATE_TASK, variables, token=owner_alice.token)
    # then
    assert created["createTask"]["dueAt"] == due.isoformat()


# 3. Ids: every ID slot answers NOT_FOUND for a number no row can have, BAD_USER_INPUT for a
# malformed id, on every backend (PostgreSQL refuses 2**31 for an int column)

ID_SLOTS = slots({"ID"})
# The type of id each slot takes; a lookup answers NOT_FOUND, a filter (markNotificationsRead) matches nothing.
NODE_TYPES = [
    "Member", "Community", "Membership", "Invitation", "Post", "Comment", "Task", "Event", "Rsvp", "Kudos", "Badge",
    "BadgeAward", "Notification",
]  # fmt: skip
ID_TYPES = {
    "node(id)": NODE_TYPES,
    "post(id)": ["Post"],
    "decideMembership(membershipId)": ["Membership"],
    "revokeInvitation(invitationId)": ["Invitation"],
    "publishPost(postId)": ["Post"],
    "updatePost(input.postId)": ["Post"],
    "pinPost(postId)": ["Post"],
    "setPostTags(postId)": ["Post"],
    "addComment(input.postId)": ["Post"],
    "addComment(input.parentId)": ["Comment"],
    "acceptAnswer(commentId)": ["Comment"],
    "react(targetId)": ["Post", "Comment"],
    "unreact(targetId)": ["Post", "Comment"],
    "deletePost(postId)": ["Post"],
    "deleteComment(commentId)": ["Comment"],
    "markNotificationsRead(ids)": ["Notification"],
    "awardBadge(input.badgeId)": ["Badge"],
    "createTask(input.postId)": ["Post"],
    "volunteerForTask(taskId)": ["Task"],
    "assignTask(taskId)": ["Task"],
    "completeTask(taskId)": ["Task"],
    "rsvp(eventId)": ["Event"],
    "checkIn(eventId)": ["Event"],
    "commentAdded(postId)": ["Post"],
    "revokeSession(id)": ["Session"],
}
# Types whose ids carry a random key, not a number: ids of well-formed keys that no row has.
KEYS_OF_NOTHING: dict[str, list[Any]] = {"Session": ["0" * 32, "f" * 32]}
FILTERS = {"markNotificationsRead(ids)": {"markNotificationsRead": 0}}
# Readable ids that no row can have: ids start at 1; int columns end at 2**31 - 1, bigint ones at 2**63 - 1.
NUMBERS_OF_NOTHING = [0, -1, 2**31, 2**63, 10**100]
# What int() would read, but Cercle never writes.
MALFORMED_NUMBERS = [" 7", "7 ", "+7", "007", "1_0", "1e3", "\u0663", "", "x", "9" * 300]


def encoded(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def malformed_ids(type_name: str) -> list[str]:
    return [encoded(f"{type_name}:{n}") for n in MALFORMED_NUMBERS] + [padded_id(type_name), encoded(type_name), "???"]


def padded_id(type_name: str) -> str:
    """A valid id with base64's "=" padding, which Cercle strips."""
    unpadded = next(i for i in (to_global_id(type_name, n) for n in (1, 10, 100)) if len(i) % 4)
    return unpadded + "=" * (-len(unpadded) % 4)


def test_every_id_slot_is_known():
    assert {str(slot) for slot in ID_SLOTS} == set(ID_TYPES)


@pytest.fixture
async def id_samples(owner_alice: Persona, member_bob: Persona, public_community: Community) -> dict[str, Any]:
    """Valid values for everything beside the forged id, so that the id is what gets checked."""
    post = await make_post(member_bob, public_community)
    return {"communitySlug": public_community.slug, "username": "bob", "postId": gid(post), "tags": ["x"]}


async def answer_to(server: Server, http: httpx.AsyncClient, slot: Slot, document: str, variables: dict, token: str):
    if slot.operation == "subscription":
        return await over_websocket(server, document, variables, token)
    return await over_http(http, document, variables, token)


async def test_an_id_no_row_can_have_is_not_found_everywhere(
    live_server: Server, http, owner_alice: Persona, id_samples: dict[str, Any]
):
    failures = []
    for slot in ID_SLOTS:
        for type_name, key in ((t, k) for t in ID_TYPES[str(slot)] for k in KEYS_OF_NOTHING.get(t, NUMBERS_OF_NOTHING)):
            document, variables = probe(slot, encoded(f"{type_name}:{key}"), id_samples)
            answer = await answer_to(live_server, http, slot, document, variables, owner_alice.token)
            expected = FILTERS.get(str(slot))
            if not (answer.get("data") == expected if expected else refused(answer, "NOT_FOUND", slot.name)):
                failures.append(f"{slot} = {type_name}:{key}: {answer}")
    assert not failures, "\n".join(failures)


async def test_a_malformed_id_is_bad_user_input_everywhere(
    live_server: Server, http, owner_alice: Persona, id_samples: dict[str, Any]
):
    failures = []
    for slot in ID_SLOTS:
        for global_id in malformed_ids(ID_TYPES[str(slot)][0]):
            document, variables = probe(slot, global_id, id_samples)
            answer = await answer_to(live_server, http, slot, document, variables, owner_alice.token)
            if not refused(answer, "BAD_USER_INPUT", slot.name):
                failures.append(f"{slot} = {global_id!r}: {answer}")
    assert not failures, "\n".join(failures)


# 4. Cursors carry numbers too: a sequence number no feed can reach is an unreadable cursor


def cursors_no_feed_has(community: Community) -> list[str]:
    seq_too_large = encode_cursor(community.id, 2**63)
    arabic_indic_three = encoded(f"activity:{community.id}:\u0663")
    notification_seq_too_large = encode_values([2**63])
    return [seq_too_large, arabic_indic_three, notification_seq_too_large]


async def test_a_cursor_beyond_any_feed_is_bad_user_input_for_every_subscription(
    live_server: Server, owner_alice: Persona, id_samples: dict[str, Any], public_community: Community
):
    failures = []
    for slot in (slot for slot in slots({"String"}, ("subscription",)) if slot.name == "after"):
        for cursor in cursors_no_feed_has(public_community):
            document, variables = probe(slot, cursor, id_samples)
            answer = await over_websocket(live_server, document, variables, owner_alice.token)
            if not refused(answer, "BAD_USER_INPUT", "after"):
                failures.append(f"{slot} = {cursor}: {answer}")
    assert not failures, "\n".join(failures)
