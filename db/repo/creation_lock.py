"""One user's course creations, one at a time: the concurrent-job limit check, the idempotency
check and the insert must see each other's commits, or a burst of requests all pass the check."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

# Per-user locks of this process (SQLite: the embedded, single-process deployment), with the
# number of requests holding or awaiting each, so an idle user's lock is dropped.
_LOCAL: dict[uuid.UUID, tuple[asyncio.Lock, int]] = {}


def _advisory_key(user_id: uuid.UUID) -> int:
    return int.from_bytes(user_id.bytes[:8], "big", signed=True)


@asynccontextmanager
async def creation_lock(session: AsyncSession, user_id: uuid.UUID) -> AsyncIterator[None]:
    """Hold the user's creation lock; the caller reads, writes and commits inside.

    Postgres: a transaction-level advisory lock (every API process; released by the commit or
    rollback). Other databases: a per-user lock of this process, around a fresh transaction so
    that the reads inside see the previous holder's commit (SQLite reads from a snapshot)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(_advisory_key(user_id))))
        yield
        return
    await session.commit()  # nothing written yet: ends the snapshot taken before the lock
    lock, users = _LOCAL.get(user_id) or (asyncio.Lock(), 0)
    _LOCAL[user_id] = (lock, users + 1)
    try:
        async with lock:
            yield
    finally:
        lock, users = _LOCAL[user_id]
        if users <= 1:
            del _LOCAL[user_id]
        else:
            _LOCAL[user_id] = (lock, users - 1)
