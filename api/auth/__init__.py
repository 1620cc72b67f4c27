"""Authentication backends behind one interface (`AuthBackend`), chosen by AUTH_BACKEND."""

from __future__ import annotations

from api.auth.base import AuthBackend, AuthError, AuthResult, Principal
from core.config import Settings

__all__ = ["AuthBackend", "AuthError", "AuthResult", "Principal", "make_auth_backend"]


def make_auth_backend(settings: Settings) -> AuthBackend:
    if settings.auth_backend == "supabase":
        from api.auth.supabase import SupabaseAuthBackend  # type: ignore[import-not-found]

        return SupabaseAuthBackend(settings)  # type: ignore[no-any-return]
    from api.auth.local import LocalAuthBackend

    return LocalAuthBackend(settings)
