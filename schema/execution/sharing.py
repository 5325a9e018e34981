"""Live events executed once per process for every subscriber asking the same thing.

graphql-core executes a subscription's selection set once per event per
subscriber. With thousands of subscribers on one community, that is thousands
of identical executions (and loader reads) per event. Here the first
subscriber to reach an event executes it, and every other subscriber with the
same document, the same variables and the same visibility awaits that result.

Visibility: a document that selects only fields whose value is the same for
everyone allowed to follow the feed (SHARED_FIELDS) is shared by all its
subscribers; any other field (`viewerMembership`, `email`, ...) makes the
viewer part of the key, so each viewer still gets their own answer.

The cache lives on the broker's event dict (realtime/shared.py), which the hub
hands to every listener of the process, so it goes away with the event.

A shared result's data is a SharedData: the transport serialises it once for all the
subscribers it goes to (schema/transport/live_frames.py), not once each.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar, cast

import orjson
from graphql import (
    DocumentNode,
    ExecutionResult,
    ExperimentalIncrementalExecutionResults,
    FieldNode,
    GraphQLSchema,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    print_ast,
    visit,
)
from graphql.language.visitor import BREAK
from graphql.pyutils import AwaitableOrValue
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from tortoise.models import Model

from realtime.messages import Message
from realtime.shared import Shared

ALL = frozenset({"*"})
SHARED_FIELDS: dict[str, frozenset[str]] = {
    "ActivityEvent": ALL,
    "Welcome": ALL,
    "SuggestedAction": ALL,
    "Badge": ALL,
    "BadgeAward": ALL,
    "ReactionCount": ALL,
    "LeaderboardChange": ALL,
    "LeaderboardEntry": ALL,
    "RankChange": ALL,
    "ReactionSummary": frozenset({"total", "counts"}),
    "Node": frozenset({"id"}),
    "Member": frozenset({"id", "username", "displayName", "bio", "experience", "joinedAt", "skills"}),
    "Community": frozenset(
        {"id", "slug", "name", "description", "visibility", "joinPolicy", "createdAt", "memberCount"}
    ),
    "Post": frozenset(
        {
            "id",
            "kind",
            "status",
            "title",
            "body",
            "bodyHtml",
            "createdAt",
            "publishedAt",
            "publishAt",
            "community",
            "author",
            "tags",
            "commentCount",
            "reactions",
            "acceptedAnswer",
        }
    ),
    "Comment": frozenset({"id", "body", "bodyHtml", "accepted", "createdAt", "post", "author", "parent", "reactions"}),
}
EVENT_ATTRIBUTE = "_live_event"
Outcome = ExecutionResult | ExperimentalIncrementalExecutionResults  # what an execution of a document gives
M = TypeVar("M", bound=Model)
RESULTS: Shared[str, asyncio.Future[Outcome]] = Shared("_results")  # executions, by sharing key
MAX_DOCUMENTS = 1000  # query texts whose analysis is kept (clients send a handful)
_documents: dict[tuple[str | None, str | None], tuple[bool, str]] = {}
READS: Shared[tuple[type[Model], int], asyncio.Future[Model | None]] = Shared("_reads")  # rows, by (model, id)


class SharedData(dict[str, Any]):
    """The data of a result shared by every subscriber with the same sharing key; its JSON is made once."""

    __slots__ = ("_json",)

    def json(self) -> bytes:
        try:
            return self._json
        except AttributeError:
            self._json: bytes = orjson.dumps(self)
            return self._json


def tag(payload: Any, event: Message | dict[str, object]) -> Any:
    """Mark a subscription payload as the delivery of this broker event, so it can be shared."""
    setattr(payload, EVENT_ATTRIBUTE, event)
    return payload


def selects_only_shared_fields(schema: GraphQLSchema, document: DocumentNode) -> bool:
    type_info = TypeInfo(schema)
    root = schema.subscription_type
    shared = True

    class Check(Visitor):
        def enter_field(self, node: FieldNode, *_: Any) -> Any:
            nonlocal shared
            parent = type_info.get_parent_type()
            name = node.name.value
            if parent is None or parent is root or name == "__typename":
                return None
            allowed = SHARED_FIELDS.get(get_named_type(parent).name, frozenset())
            if allowed is not ALL and name not in allowed:
                shared = False
                return BREAK
            return None

    visit(document, TypeInfoVisitor(type_info, Check()))
    return shared


class SharedEventExecutionContext(StrawberryGraphQLCoreExecutionContext):
    _sharing_key: str | None = None  # computed on first use
    _shared_with: tuple[dict[str, asyncio.Future[Outcome]], str] | None = None

    def build_per_event_executor(self, payload: Any) -> SharedEventExecutionContext:
        executor = cast(SharedEventExecutionContext, super().build_per_event_executor(payload))  # a copy of self
        event = getattr(payload, EVENT_ATTRIBUTE, None)
        if event is not None:
            executor._shared_with = (RESULTS.on(event), self._key())
        return executor

    def execute_operation(self, serially: bool | None = None) -> AwaitableOrValue[Outcome]:
        if self._shared_with is None:
            return super().execute_operation(serially)
        results, key = self._shared_with
        running = results.get(key)
        if running is None:
            outcome = super().execute_operation(serially)
            if not isinstance(outcome, Awaitable):
                results[key] = _done(_shareable(outcome))
                return outcome
            running = results[key] = asyncio.ensure_future(_made_shareable(outcome))
        # Shielded: one subscriber leaving must not cancel the execution the others await.
        return asyncio.shield(running)

    def _key(self) -> str:
        """(document, variables, visibility) as one string; computed once per subscription."""
        if self._sharing_key is None:
            shared, printed = self._document_key()
            visibility = "everyone" if shared else f"viewer:{getattr(self.context_value, 'viewer_id', None)}"
            variables = orjson.dumps(self.variable_values, default=str, option=orjson.OPT_SORT_KEYS).decode()
            self._sharing_key = f"{visibility}\n{variables}\n{printed}"
        return self._sharing_key

    def _document_key(self) -> tuple[bool, str]:
        """Whether the operation selects only shared fields, and its printed form: once per query text, since
        thousands of subscribers send the same one."""
        source = self.operation.loc.source.body if self.operation.loc else None
        memo_key = (source, self.operation.name.value if self.operation.name else None)
        if source is not None and memo_key in _documents:
            return _documents[memo_key]
        fragments = (details.definition for details in self.fragments.values())
        document = DocumentNode(definitions=(self.operation, *fragments))
        answer = selects_only_shared_fields(self.schema, document), print_ast(document)
        if source is not None:
            if len(_documents) >= MAX_DOCUMENTS:
                _documents.clear()
            _documents[memo_key] = answer
        return answer


async def row_once(event: Message, model: type[M], pk: int) -> M | None:
    """A row every subscriber of the process needs for this event (the new post...), read once."""
    reads = READS.on(event)
    key = (model, pk)
    if key not in reads:
        reads[key] = asyncio.ensure_future(model.get_or_none(id=pk))
    return cast("M | None", await asyncio.shield(reads[key]))  # read for (model, pk): a row of `model`


def _shareable(outcome: Outcome) -> Outcome:
    if isinstance(outcome, ExecutionResult) and outcome.data is not None:
        outcome.data = SharedData(outcome.data)
    return outcome


async def _made_shareable(outcome: Awaitable[Outcome]) -> Outcome:
    return _shareable(await outcome)


def _done(result: Outcome) -> asyncio.Future[Outcome]:
    future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
    future.set_result(result)
    return future
