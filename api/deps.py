"""Dependencies as Annotated aliases; everything comes from app.state set up in the lifespan."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import State

from api.auth import AuthBackend, AuthError, Principal
from api.auth.session_cache import SessionCache
from api.auth.throttle import SigninThrottle
from api.errors import AppError
from core.config import Settings
from db.models import User
from db.repo import users as users_repo
from jobs.queue import JobQueue
from jobs.services import JobServices


async def get_db_session(request: Request) -> AsyncIterator[AsyncSession]:
    # Leaving the block without commit rolls back: routes commit explicitly on success.
    async with request.app.state.sessionmaker() as session:
        yield session


async def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def get_auth(request: Request) -> AuthBackend:
    return request.app.state.auth  # type: ignore[no-any-return]


async def get_throttle(request: Request) -> SigninThrottle:
    return request.app.state.signin_throttle  # type: ignore[no-any-return]


SessionDep = Annotated[AsyncSession, Depends(get_db_session)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
AuthDep = Annotated[AuthBackend, Depends(get_auth)]
ThrottleDep = Annotated[SigninThrottle, Depends(get_throttle)]

_bearer = HTTPBearer(auto_error=False, description="Token from /api/auth/signup or /signin")


async def get_session_cache(request: Request) -> SessionCache:
    return request.app.state.session_cache  # type: ignore[no-any-return]


async def resolve_principal(request: Request, token: str,
                            session: AsyncSession | None) -> Principal:
    """The token's principal. A session the cache knows live costs no database read; otherwise
    the backend reads it (one round trip, with the user row) and the verdict is remembered.
    Without `session` (hot read routes that need none) one is opened only for that read."""
    return await principal_for_token(request.app.state, token, session)


async def principal_for_token(state: State, token: str, session: AsyncSession | None
                              ) -> Principal:
    """resolve_principal on the app's state: the MCP endpoint authenticates with it too."""
    auth: AuthBackend = state.auth
    cache: SessionCache = state.session_cache
    if (known := cache.decoded(token)) is not None:
        return known
    principal = await auth.decode_principal(token)  # signature, expiry, claims
    exp_claim = principal.claims.get("exp")
    exp = float(exp_claim) if isinstance(exp_claim, int | float) else None
    if not cache.live(principal.session_id, principal.user_id):
        generation = cache.generation
        if session is not None:
            principal = await auth.verify(session=session, token=token)
        else:
            async with state.sessionmaker() as own:
                # the users row of a closed session is of no use to the caller: dropped
                principal = dataclasses.replace(await auth.verify(session=own, token=token),
                                                user=None)
        cache.remember(principal.session_id, principal.user_id, generation=generation,
                       token_exp=exp)
    cache.remember_decoded(token, principal, exp)
    return principal


def _token(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None or not credentials.credentials:
        raise AuthError("missing_token", "Authorization: Bearer <token> is required.")
    return credentials.credentials


async def get_principal(
    request: Request, session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    return await resolve_principal(request, _token(credentials), session)


async def get_reader_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """As get_principal, for routes that open no database session of their own (the status
    poll): FastAPI solves every declared dependency on every request, and a session
    dependency costs more than the whole cached read."""
    return await resolve_principal(request, _token(credentials), None)


PrincipalDep = Annotated[Principal, Depends(get_principal)]
ReaderPrincipalDep = Annotated[Principal, Depends(get_reader_principal)]
SessionCacheDep = Annotated[SessionCache, Depends(get_session_cache)]


async def get_current_user(session: SessionDep, principal: PrincipalDep) -> User:
    user = principal.user or await users_repo.get_user(session=session,
                                                       user_id=principal.user_id)
    if user is None:  # account deleted after the token was issued
        raise AuthError("invalid_token", "The token's user no longer exists.")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_jobs(request: Request) -> JobQueue:
    return request.app.state.jobs  # type: ignore[no-any-return]


async def get_job_services(request: Request) -> JobServices:
    return request.app.state.job_services  # type: ignore[no-any-return]


JobsDep = Annotated[JobQueue, Depends(get_jobs)]
ServicesDep = Annotated[JobServices, Depends(get_job_services)]
CourseIdPath = Annotated[uuid.UUID, Path(alias="courseId", description="The course's id")]


def _query_names(dependant: Dependant) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def reject_unknown_query(request: Request) -> None:
    """A misspelt filter (`?stauts=failed`) would otherwise be ignored and answer with
    something the caller did not ask for: every route takes only the query parameters it
    declares, else 422 `unknown_parameter` (applied app-wide in create_app)."""
    route = request.scope.get("route")
    if not request.scope.get("query_string") or not isinstance(route, APIRoute):
        return
    declared = _query_names(route.dependant)  # a few fields: cheaper than any cache
    unknown = sorted(set(request.query_params) - declared)
    if unknown:
        takes = ", ".join(sorted(declared)) or "none"
        raise AppError("unknown_parameter",
                       f"Unknown query parameter(s): {', '.join(unknown)}. "
                       f"This route takes: {takes}.", status=422)
