"""`POST /unsubscribe?token=…`: RFC 8058 one-click unsubscribe, without logging in.

Mail clients POST `List-Unsubscribe=One-Click` to the List-Unsubscribe link; the web app's /unsubscribe page
posts the same from its button. A GET of the link is the web app's page and changes nothing: mail scanners
fetch links to inspect them.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from resolvers.email.unsubscribe import do_unsubscribe
from resolvers.errors import BadUserInput


async def unsubscribe(request: Request) -> JSONResponse:
    try:
        preference = await do_unsubscribe(request.query_params.get("token", ""))
    except BadUserInput as error:
        return JSONResponse({"error": {"message": error.message, **error.extensions}}, status_code=400)
    return JSONResponse({"unsubscribed": preference.value}, headers={"cache-control": "no-store"})
