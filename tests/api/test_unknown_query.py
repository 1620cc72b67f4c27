"""Every route takes only the query parameters it declares: a misspelt one is a 422."""

from __future__ import annotations

import pytest

from testkit.client import auth_headers, signup


@pytest.mark.parametrize("url", [
    "/api/courses?stauts=failed",            # a misspelt filter
    "/api/courses?limit=5&page=2",           # one known, one not
    "/api/user/progress?courseId=x",         # a route with no query parameters
    "/healthz?verbose=1",
])
async def test_unknown_query_parameters_are_rejected(client, url):
    token, _ = await signup(client)
    r = await client.get(url, headers=auth_headers(token))
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "unknown_parameter"
    unknown = url.split("?")[1].split("&")[-1].split("=")[0]
    assert unknown in error["message"]


async def test_declared_query_parameters_still_work(client):
    token, _ = await signup(client)
    r = await client.get("/api/courses?limit=5&status=completed", headers=auth_headers(token))
    assert r.status_code == 200, r.text


async def test_unknown_parameter_is_checked_before_authentication(client):
    # the route is wrong for any caller: the answer does not depend on who asks
    r = await client.get("/api/courses?stauts=failed")
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_parameter"
