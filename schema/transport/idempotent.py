"""`Idempotency-Key` over HTTP: a member's mutation runs once; its repeats within a day get the first answer.

The rules and the table are in resolvers/idempotency.py; here, how requests and answers map onto them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import orjson
from starlette.requests import Request
from starlette.responses import Response

from models.database import DatabaseUnavailable
from models.idempotency import IdempotentRequest, RequestState
from resolvers import idempotency
from resolvers.errors import ErrorCode
from schema.transport.requests import BadRequest, GraphQLParams, is_mutation
from schema.transport.session import authenticate_request

logger = logging.getLogger("cercle.idempotency")
HEADER = "Idempotency-Key"


async def answer_once(request: Request, params: GraphQLParams, answer: Callable[[], Awaitable[Response]]) -> Response:
    """`answer()` the request, unless it repeats an earlier one of the same member with the same key.

    Keys belong to members: an anonymous request (register, login) and queries run as if they had none.
    """
    header = request.headers.get(HEADER)
    viewer_id = (await authenticate_request(request)).viewer_id
    if header is None or viewer_id is None or request.method != "POST" or not is_mutation(params):
        return await answer()
    key = idempotency.parse_key(header)
    if key is None:
        message = f"`{HEADER}` must be 1 to {idempotency.MAX_KEY_LENGTH} visible ASCII characters."
        raise BadRequest(message, field=HEADER)
    fingerprint = idempotency.fingerprint(params.query, params.variables, params.operation_name)
    try:
        held = await idempotency.claim(viewer_id, key, fingerprint)
    except DatabaseUnavailable as error:  # nothing ran: safe to repeat
        raise BadRequest(
            error.message, 503, {"retry-after": "1"}, code=ErrorCode.INTERNAL_SERVER_ERROR, retryable=True
        ) from None
    if not isinstance(held, idempotency.Claim):
        return repeat(held, fingerprint)
    settled: idempotency.Answer | None = None
    try:
        with idempotency.holding(held):
            response = await answer()
        body = bytes(response.body)
        complete = response.status_code < 400 and orjson.loads(body).get("data") is not None
        settled = idempotency.Answer(response.status_code, response.headers["content-type"], body, complete)
    finally:
        await _settle(held, settled)
    return response


async def _settle(held: idempotency.Claim, answer: idempotency.Answer | None) -> None:
    try:
        await idempotency.settle(held, answer)
    except DatabaseUnavailable as error:
        # The answer still goes out. The claim stays RUNNING (taken over once abandoned) or APPLIED.
        logger.warning("could not record the answer of an idempotent request: %s", error)


def repeat(earlier: IdempotentRequest, fingerprint: str) -> Response:
    if earlier.fingerprint != fingerprint:
        message = f"This `{HEADER}` was used for another request: use a new key for a new request."
        raise BadRequest(message, 422, field=HEADER)
    if earlier.state == RequestState.RUNNING:
        message = f"The request with this `{HEADER}` is still running: repeat it in a moment."
        raise BadRequest(message, 409, {"retry-after": "1"}, code=ErrorCode.CONFLICT)
    if earlier.state == RequestState.APPLIED:
        message = f"The request with this `{HEADER}` was applied, but its answer failed: read the result with a query."
        raise BadRequest(message, 409, code=ErrorCode.CONFLICT)
    return Response(
        earlier.body,
        status_code=earlier.status_code or 200,
        media_type=earlier.media_type,
        headers={"vary": "Accept", "idempotent-replayed": "true"},
    )
