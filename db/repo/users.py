"""Users, credentials and auth sessions (local auth)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import AuthSession, Credential, User

A = TypeVar("A")
B = TypeVar("B")


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


async def _first_pair(session: AsyncSession, query: Select[A, B]) -> tuple[A, B] | None:
    """The first row of a two-entity query, as a plain tuple (None when there is none)."""
    row = (await session.execute(query)).first()
    return (row[0], row[1]) if row else None


async def get_user(*, session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def get_user_by_email(*, session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == email))


async def get_user_with_credential_by_email(
    *, session: AsyncSession, email: str
) -> tuple[User, Credential] | None:
    """Sign-in lookup: the user and their password hash (no acting user yet, by nature)."""
    return await _first_pair(session, select(User, Credential)
                             .join(Credential, Credential.user_id == User.id)
                             .where(User.email == email))


async def email_exists(*, session: AsyncSession, email: str) -> bool:
    found = await session.scalar(select(User.id).where(User.email == email))
    return found is not None


async def create_user(
    *, session: AsyncSession, email: str, name: str | None, password_hash: str | None
) -> User:
    """Insert a user (and a credential when local auth owns the password). Flushes, no commit;
    a concurrent duplicate surfaces as IntegrityError on flush."""
    user = User(id=uuid.uuid4(), email=email, name=name)
    session.add(user)
    await session.flush()
    if password_hash is not None:
        session.add(Credential(user_id=user.id, password_hash=password_hash))
        await session.flush()
    await session.refresh(user)
    return user


async def update_password_hash(
    *, session: AsyncSession, user_id: uuid.UUID, password_hash: str
) -> None:
    await session.execute(
        update(Credential)
        .where(Credential.user_id == user_id)
        .values(password_hash=password_hash, updated_at=datetime.now(UTC))
    )


async def create_session(
    *, session: AsyncSession, user_id: uuid.UUID, expires_at: datetime
) -> AuthSession:
    row = AuthSession(id=uuid.uuid4(), user_id=user_id, expires_at=expires_at)
    session.add(row)
    await session.flush()
    return row


async def get_auth_session(
    *, session: AsyncSession, user_id: uuid.UUID, session_id: uuid.UUID
) -> AuthSession | None:
    return await session.scalar(
        select(AuthSession).where(AuthSession.id == session_id, AuthSession.user_id == user_id)
    )


async def get_auth_session_with_user(
    *, session: AsyncSession, user_id: uuid.UUID, session_id: uuid.UUID
) -> tuple[AuthSession, User] | None:
    """A token's session row and its user, in one round trip."""
    return await _first_pair(session, select(AuthSession, User)
                             .join(User, User.id == AuthSession.user_id)
                             .where(AuthSession.id == session_id, AuthSession.user_id == user_id))


async def revoke_session(
    *, session: AsyncSession, user_id: uuid.UUID, session_id: uuid.UUID
) -> bool:
    """Mark the session revoked; True when a live session was revoked by this call."""
    result = await session.execute(
        update(AuthSession)
        .where(
            AuthSession.id == session_id,
            AuthSession.user_id == user_id,
            AuthSession.revoked_at.is_(None),
        )
        .values(revoked_at=datetime.now(UTC))
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


# --- identities owned by an external provider (AUTH_BACKEND=supabase) ---------------------------


def _dialect_insert(session: AsyncSession, table: Any) -> Any:
    """INSERT with ON CONFLICT support for the two databases we run on."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)
    raise NotImplementedError(f"upsert not supported on {dialect}")


async def sync_external_user(
    *, session: AsyncSession, user_id: uuid.UUID, email: str, name: str | None
) -> User:
    """Make the users row match the provider's user (id = the provider's user id): insert it when
    missing, follow e-mail changes, fill a missing name (a name set here is never overwritten).
    Writes only when something differs. Flushes, no commit; another account already holding the
    e-mail surfaces as IntegrityError."""
    user = await session.get(User, user_id)
    if user is None:
        # ON CONFLICT (id): a concurrent request (or Supabase's auth.users trigger) may have
        # inserted the row since the read above; that is the same user, not an error.
        stmt = _dialect_insert(session, User.__table__).values(id=user_id, email=email, name=name)
        await session.execute(stmt.on_conflict_do_nothing(index_elements=["id"]))
        user = await session.get(User, user_id, populate_existing=True)
        if user is None:  # pragma: no cover - the insert or the conflicting row guarantees one
            raise RuntimeError(f"users row {user_id} vanished during sync")
    if user.email != email:
        user.email = email
    if user.name is None and name:
        user.name = name
    await session.flush()
    return user


async def revoke_external_session(
    *, session: AsyncSession, user_id: uuid.UUID, session_id: uuid.UUID, expires_at: datetime
) -> None:
    """Record a provider session as revoked (its tokens are stateless, so we must remember).
    Idempotent; `expires_at` is the token's expiry, after which the row can be purged."""
    now = datetime.now(UTC)
    stmt = _dialect_insert(session, AuthSession.__table__).values(
        id=session_id, user_id=user_id, created_at=now, expires_at=expires_at, revoked_at=now
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["id"],
            set_={"revoked_at": now},
            where=AuthSession.__table__.c.revoked_at.is_(None),
        )
    )
