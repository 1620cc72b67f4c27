"""Bad bearer tokens get 401 on every authenticated route; another user's course id gets 404 on
every course-scoped route (routes enumerated from the app)."""

from __future__ import annotations

import base64
import json
import time
import uuid

import jwt

from testkit.client import auth_headers, signup, upload_body, wait_done
from tests.security.routes import authenticated_routes, course_scoped_routes

BODIES = {"PUT": {"outline": {"title": "Mine now"}}, "POST": {}}


def _claims(user: dict, settings, **override) -> dict:
    now = int(time.time())
    claims = {"sub": user["id"], "email": user["email"], "role": "authenticated",
              "aud": settings.jwt_audience, "iss": settings.jwt_issuer, "iat": now,
              "exp": now + 600, "session_id": str(uuid.uuid4())}
    claims.update(override)
    return {k: v for k, v in claims.items() if v is not None}


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


async def test_bad_tokens_are_401_on_every_authenticated_route(cclient, course_app, user):
    token, me = user
    settings = course_app.state.settings
    secret = settings.jwt_signing_secret()
    real = jwt.decode(token, secret, algorithms=["HS256"], audience=settings.jwt_audience)
    signed_out = (await cclient.post("/api/auth/signin", json={
        "email": me["email"], "password": "correct horse battery"})).json()["token"]
    assert (await cclient.post("/api/auth/signout",
                               headers=auth_headers(signed_out))).status_code == 200
    tokens = {
        "forged": jwt.encode({**real}, "not-the-secret-" * 4, algorithm="HS256"),
        "expired": jwt.encode({**real, "exp": int(time.time()) - 10}, secret, algorithm="HS256"),
        "wrong_audience": jwt.encode({**real, "aud": "someone-else"}, secret, algorithm="HS256"),
        "missing_session": jwt.encode(_claims(me, settings, session_id=None), secret,
                                      algorithm="HS256"),
        "missing_sub": jwt.encode({k: v for k, v in real.items() if k != "sub"}, secret,
                                  algorithm="HS256"),
        "unknown_session": jwt.encode(_claims(me, settings), secret, algorithm="HS256"),
        "alg_none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(real)}.",
        "revoked": signed_out,
        "garbage": "not.a.jwt",
    }
    routes = authenticated_routes(course_app)
    assert len(routes) >= 12  # the enumeration really found the API
    course_id = str(uuid.uuid4())
    for route in routes:
        for name, bad in tokens.items():
            r = await cclient.request(route.method, route.url(course_id),
                                      json=BODIES.get(route.method), headers=auth_headers(bad))
            assert r.status_code == 401, (name, route, r.text)
            assert r.headers["www-authenticate"] == "Bearer"
            assert r.json()["error"]["code"] in {"invalid_token", "token_expired",
                                                  "token_revoked"}, (name, route)
        missing = await cclient.request(route.method, route.url(course_id),
                                        json=BODIES.get(route.method))
        assert missing.status_code == 401, route
    # the real token still works
    assert (await cclient.get("/api/courses", headers=auth_headers(token))).status_code == 200


async def test_another_users_course_is_404_on_every_course_route(cclient, course_app, user,
                                                                 other):
    token, _ = user
    r = await cclient.post("/api/courses/generate", json=upload_body(),
                           headers=auth_headers(token))
    course_id = r.json()["courseId"]
    assert (await wait_done(cclient, token, course_id))["final"]["status"] == "completed"
    owned = (await cclient.get(f"/api/courses/{course_id}", headers=auth_headers(token))).json()
    section = owned["sections"][0]["id"]
    bodies = {"PUT": {"outline": {"title": "Mine now"}},
              "POST": {"sectionId": section, "completed": True, "question": "What is caching?"}}
    routes = course_scoped_routes(course_app)
    assert len(routes) >= 8
    for intruder in (other[0], (await signup(cclient))[0]):
        for route in routes:
            r = await cclient.request(route.method, route.url(course_id),
                                      json=bodies.get(route.method),
                                      headers=auth_headers(intruder))
            assert r.status_code == 404, (route, r.text)
            assert r.json()["error"]["code"] == "course_not_found"
    after = (await cclient.get(f"/api/courses/{course_id}", headers=auth_headers(token))).json()
    assert after == owned  # nothing changed by the attempts
