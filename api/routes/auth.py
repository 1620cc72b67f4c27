"""Sign up, sign in, sign out (seed: /api/auth)."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from api.auth.throttle import throttle_key
from api.deps import AuthDep, PrincipalDep, SessionCacheDep, SessionDep, ThrottleDep
from api.errors import AppError
from api.schemas import (
    AuthResponse,
    SigninRequest,
    SignoutResponse,
    SignupRequest,
    User,
    error_responses,
)

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post(
    "/signup",
    response_model=AuthResponse,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 409, 422, 503),
)
async def signup(body: SignupRequest, session: SessionDep, auth: AuthDep) -> AuthResponse:
    """Create an account and return it with a bearer token. 409 `email_taken` if the email is
    in use; 422 `weak_password` if the password is shorter than the configured minimum."""
    result = await auth.signup(
        session=session, email=body.email, password=body.password, name=body.name
    )
    await session.commit()
    return AuthResponse(
        user=User.model_validate(result.user, from_attributes=True), token=result.token
    )


@router.post(
    "/signin",
    response_model=AuthResponse,
    responses=error_responses(400, 401, 422, 429, 503),
)
async def signin(
    body: SigninRequest,
    request: Request,
    session: SessionDep,
    auth: AuthDep,
    throttle: ThrottleDep,
) -> AuthResponse:
    """Exchange email + password for a bearer token. Wrong password and unknown email both give
    401 `invalid_credentials`; repeated failures from one client give 429 with Retry-After."""
    key = throttle_key(body.email, request.client.host if request.client else None)
    wait = await throttle.retry_after(key)
    if wait is not None:
        raise AppError(
            "too_many_attempts",
            f"Too many failed sign-in attempts; retry in {wait} s.",
            status=429,
            headers={"Retry-After": str(wait)},
        )
    # Counted before the (slow, threaded) password check, so a concurrent burst cannot all
    # pass the check above before any failure is recorded; a success clears the count.
    await throttle.record_failure(key)
    result = await auth.signin(session=session, email=body.email, password=body.password)
    await throttle.reset(key)
    await session.commit()
    return AuthResponse(
        user=User.model_validate(result.user, from_attributes=True), token=result.token
    )


@router.post("/signout", response_model=SignoutResponse, responses=error_responses(401, 503))
async def signout(principal: PrincipalDep, session: SessionDep, auth: AuthDep,
                  cache: SessionCacheDep) -> SignoutResponse:
    """Revoke the session behind this token; the same token gets 401 from then on."""
    await auth.signout(session=session, principal=principal)
    await session.commit()
    if principal.session_id is not None:  # after the commit: no process re-caches it as live
        await cache.revoked(principal.session_id)
    return SignoutResponse(success=True)
