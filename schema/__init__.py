"""The GraphQL schema: per-domain roots merged into Query and Mutation."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.extensions import DisableIntrospection, MaxTokensLimiter
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

import settings
from schema.accounts import AccountMutation
from schema.activity import ActivitySubscription
from schema.communities.roots import CommunityMutation, CommunityQuery
from schema.email import EmailMutation
from schema.engagement import EngagementSubscription
from schema.events import EventMutation
from schema.execution.errors import ErrorCodes, OperationName
from schema.execution.inputs import SCALAR_OVERRIDES, InputErrorFields, ValidUnicodeVariables
from schema.execution.limits import ValidationWithinLimits
from schema.execution.sharing import SharedEventExecutionContext
from schema.freshness import FreshnessMutation
from schema.live import LiveSubscription
from schema.members import MemberMutation, MemberQuery
from schema.node import NodeQuery
from schema.notifications import NotificationMutation, NotificationQuery, NotificationSubscription
from schema.posts import PostMutation, PostQuery
from schema.recognition.badges import BadgeMutation, BadgeSubscription
from schema.recognition.kudos import KudosMutation
from schema.recognition.points import PointsMutation
from schema.recognition.standings import StandingsSubscription
from schema.sessions import AdminMutation, SessionMutation
from schema.tasks import TaskMutation
from schema.welcome import WelcomeSubscription

Query = merge_types("Query", (NodeQuery, MemberQuery, CommunityQuery, PostQuery, NotificationQuery))
Mutation = merge_types(
    "Mutation",
    (
        MemberMutation,
        AccountMutation,
        CommunityMutation,
        PostMutation,
        NotificationMutation,
        PointsMutation,
        KudosMutation,
        BadgeMutation,
        TaskMutation,
        EventMutation,
        FreshnessMutation,
        SessionMutation,
        AdminMutation,
        EmailMutation,
    ),
)
Subscription = merge_types(
    "Subscription",
    (
        ActivitySubscription,
        LiveSubscription,
        WelcomeSubscription,
        NotificationSubscription,
        BadgeSubscription,
        StandingsSubscription,
        EngagementSubscription,
    ),
)


class CercleSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Client errors are not server errors: ErrorCodes logs only the unexpected ones."""


def build_schema() -> strawberry.Schema:
    return CercleSchema(
        execution_context_class=SharedEventExecutionContext,
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        scalar_overrides=SCALAR_OVERRIDES,
        extensions=[
            ErrorCodes,
            OperationName,
            lambda: MaxTokensLimiter(max_token_count=settings.MAX_TOKENS),
            # Recent documents parsed and validated once, remembered by their text: depth, aliases, cost and
            # repeated fields first, then graphql's rules. Not Strawberry's ParserCache: in 0.341 it parses
            # outside the error handling, so syntax errors would escape the error codes.
            ValidationWithinLimits,
            ValidUnicodeVariables,
            InputErrorFields,
            # INTROSPECTION=false: `__schema` and `__type` fail validation with a clear message (`__typename` stays).
            *([] if settings.INTROSPECTION else [DisableIntrospection]),
        ],
    )


schema = build_schema()
