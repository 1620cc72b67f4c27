"""The stand-in speaks what supabase-py parses: sessions, users, settings and both error shapes."""

from __future__ import annotations

import httpx
import pytest
from supabase._async.auth_client import AsyncSupabaseAuthClient
from supabase_auth.errors import AuthApiError, AuthWeakPasswordError
from supabase_auth.helpers import handle_exception

from testkit.client import PASSWORD
from tests.supabase_auth.gotrue_stub import GoTrueStub


def _client(stub: GoTrueStub, http: httpx.AsyncClient) -> AsyncSupabaseAuthClient:
    headers = {"apikey": stub.anon_key, "Authorization": f"Bearer {stub.anon_key}"}
    return AsyncSupabaseAuthClient(
        url=stub.issuer, headers=headers, persist_session=False, http_client=http
    )


async def test_supabase_py_round_trip(gotrue: GoTrueStub):
    async with httpx.AsyncClient() as http:
        client = _client(gotrue, http)
        signed_up = await client.sign_up(
            {"email": "Py@Example.com", "password": PASSWORD, "options": {"data": {"name": "Py"}}}
        )
        assert signed_up.session is not None and signed_up.user is not None
        assert signed_up.user.email == "py@example.com"
        assert signed_up.user.user_metadata["name"] == "Py"
        assert signed_up.user.identities and signed_up.user.identities[0].provider == "email"
        token = signed_up.session.access_token
        fetched = await client.get_user(token)
        assert fetched is not None and fetched.user.id == signed_up.user.id
        await client.admin.sign_out(token, scope="local")
        with pytest.raises(AuthApiError) as gone:
            await client.get_user(token)
        assert gone.value.status == 403 and gone.value.code == "session_not_found"
        with pytest.raises(AuthApiError) as dup:
            await client.sign_up({"email": "py@example.com", "password": PASSWORD})
        assert dup.value.status == 422 and dup.value.code == "user_already_exists"
        with pytest.raises(AuthWeakPasswordError) as weak:
            await client.sign_up({"email": "w@example.com", "password": "short"})
        assert weak.value.reasons == ["length"]
        settings = await http.get(f"{gotrue.issuer}/settings", headers={"apikey": gotrue.anon_key})
        assert settings.json()["mailer_autoconfirm"] is True


async def test_legacy_error_shape_without_api_version_header(gotrue: GoTrueStub):
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{gotrue.issuer}/token?grant_type=password",
            headers={"apikey": gotrue.anon_key},
            json={"email": "nobody@example.com", "password": "x"},
        )
        assert response.json() == {
            "code": 400,
            "error_code": "invalid_credentials",
            "msg": "Invalid login credentials",
        }
        error = handle_exception(
            httpx.HTTPStatusError("", request=response.request, response=response)
        )
        assert isinstance(error, AuthApiError) and error.code == "invalid_credentials"
        missing_key = await http.post(f"{gotrue.issuer}/signup", json={})
        assert missing_key.status_code == 401
