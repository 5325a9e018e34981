import logging

import orjson

from app import JsonLogFormatter


async def test_each_request_logs_one_structured_line_with_the_operation(http, caplog):
    # given
    caplog.set_level(logging.INFO, logger="cercle.access")
    # when
    response = await http.post("/graphql", json={"query": "query WhoAmI { me { username } }"})
    # then
    assert response.status_code == 200
    (record,) = [r for r in caplog.records if r.name == "cercle.access"]
    line = orjson.loads(JsonLogFormatter().format(record))
    assert line["operation"] == "WhoAmI"
    assert line["status"] == 200
    assert line["path"] == "/graphql"
    assert line["duration_ms"] >= 0
