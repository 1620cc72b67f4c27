"""The local backend's HTTP-level auth tests, run unchanged with AUTH_BACKEND=supabase.

Importing a test function makes pytest collect it here too, where this folder's conftest swaps
the app to the Supabase backend (against the GoTrue stub), on SQLite and Postgres alike. The two
local tests that decode tokens with the local signing secret have Supabase counterparts in
test_supabase_tokens.py.
"""

from __future__ import annotations

from tests.api.test_auth import (  # noqa: F401 - collected by pytest
    test_duplicate_email_is_409_regardless_of_case,
    test_missing_token,
    test_signin_bad_inputs,
    test_signin_happy_path_with_normalised_email,
    test_signin_throttled_after_max_failures,
    test_signout_revokes_only_that_token,
    test_signup_missing_fields_is_validation_error,
    test_signup_rejects_bad_email,
    test_signup_rejects_weak_password,
    test_successful_signin_resets_failure_count,
    test_wrong_password_and_unknown_email_look_the_same,
)


async def test_the_app_really_runs_the_supabase_backend(app, client, gotrue):
    """Guards the reuse above: without it, these tests could silently run local auth."""
    from api.auth.supabase import SupabaseAuthBackend

    assert isinstance(app.state.auth, SupabaseAuthBackend)
    await test_signin_happy_path_with_normalised_email(client)
    assert "POST /auth/v1/signup" in gotrue.calls
    assert "POST /auth/v1/token?grant_type=password" in gotrue.calls
