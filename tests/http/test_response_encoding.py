"""Answers are JSON in UTF-8, whatever text they quote back."""

from __future__ import annotations

import httpx

LEGACY = {"accept": "application/json"}


async def test_text_comes_back_as_sent_in_utf8(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"query": '{ member(username: "zoé☕") { username } }'}, headers=LEGACY)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == {"data": {"member": None}}


async def test_an_error_quoting_a_lone_surrogate_is_still_answered_in_json(http: httpx.AsyncClient) -> None:
    # JSON can carry a lone UTF-16 surrogate, which no UTF-8 encoder accepts as it is; the message quotes it back.
    body = b'{"query": "query A { __typename }", "operationName": "B\\ud800"}'
    response = await http.post("/graphql", content=body, headers={**LEGACY, "content-type": "application/json"})
    assert response.status_code == 200
    [error] = response.json()["errors"]
    assert error["message"] == 'Unknown operation named "B\ud800".'
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
