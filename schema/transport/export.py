"""GET /me/export: the member's own data as a JSON download, authenticated like /graphql (Bearer or cookie)."""

from __future__ import annotations

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from resolvers.members.export import export_member_data
from schema.transport.http import context_for


async def export_own_data(request: Request) -> Response:
    context = await context_for(request)
    member = await context.viewer()
    if member is None or member.deleted_at is not None:
        return JSONResponse(
            {"error": {"code": "UNAUTHENTICATED", "message": "Log in to download your data."}},
            status_code=401,
            headers={"www-authenticate": "Bearer", "cache-control": "no-store"},
        )
    body = orjson.dumps(await export_member_data(member), option=orjson.OPT_INDENT_2)
    return Response(
        body,
        media_type="application/json",
        headers={
            "content-disposition": f'attachment; filename="cercle-{member.username}.json"',
            "cache-control": "no-store",  # personal data: no shared cache may keep it
        },
    )
