"""A short-lived memory of sessions found live, so a hot read skips the revocation lookup.

Every authenticated request used to read `auth_sessions` before anything else. Here a session
found live (by the backend's `verify`, which reads the database) is remembered for
AUTH_CACHE_SECONDS (never past the token's own expiry). Signing out forgets it in this process
at once and, when REDIS_URL is set, publishes the session id on a channel every API process
listens to, so a revoked token dies at once everywhere, not after the TTL.

Failing safe: while the Redis subscription is down (not yet connected, Redis restarting) the
cache answers "unknown" for everything, so each request reads the database as before; every
(re)connect starts from an empty cache, since invalidations may have been missed meanwhile.
A `generation` counter closes the other race: a verdict read from the database is only stored
when no invalidation arrived while it was being read.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
import uuid
from typing import Any

from redis import asyncio as aredis
from redis.exceptions import RedisError

from api.auth.base import Principal
from infra.redis_conn import redis_client

log = logging.getLogger(__name__)

CHANNEL = "coursegen:auth:revoked"
MAX_ENTRIES = 100_000  # ~10 MB at worst; beyond it the oldest half is dropped


class SessionCache:
    def __init__(self, ttl_seconds: float, redis_url: str | None = None,
                 *, channel: str = CHANNEL) -> None:
        self.ttl = ttl_seconds
        self.channel = channel
        # session id -> (its user, monotonic deadline): a verdict holds for that user only, so a
        # token naming another subject with a live session id is read from the database
        self._live: dict[uuid.UUID, tuple[uuid.UUID | None, float]] = {}
        self._decoded: dict[str, tuple[Principal, float]] = {}  # token -> (principal, exp)
        self.generation = 0  # bumped by every invalidation (local or from Redis)
        self.invalidations_received = 0  # from Redis: lets tests wait for delivery
        self._redis_url = redis_url
        self._client: aredis.Redis | None = None
        self._task: asyncio.Task[None] | None = None
        # Without Redis this process is the only one that can revoke (or the TTL bounds it).
        self._trusted = redis_url is None
        self._subscribed = asyncio.Event()

    # --- reads ---------------------------------------------------------------------------

    def decoded(self, token: str) -> Principal | None:
        """The principal of a token already verified here, while its session is live and the
        token unexpired (decoding a JWT again costs more than the rest of a status read)."""
        found = self._decoded.get(token)
        if found is None:
            return None
        principal, exp = found
        if exp <= time.time() or not self.live(principal.session_id, principal.user_id):
            self._decoded.pop(token, None)
            return None
        return principal

    def remember_decoded(self, token: str, principal: Principal, exp: float | None) -> None:
        if exp is None or not self.live(principal.session_id, principal.user_id):
            return
        if len(self._decoded) >= MAX_ENTRIES:
            for key in list(self._decoded)[: MAX_ENTRIES // 2]:
                del self._decoded[key]
        # without the users row: a cached principal must not pin an ORM object of a past session
        self._decoded[token] = (dataclasses.replace(principal, user=None), exp)

    def live(self, session_id: uuid.UUID | None, user_id: uuid.UUID | None) -> bool:
        if session_id is None or not self._trusted or self.ttl <= 0:
            return False
        found = self._live.get(session_id)
        if found is None or found[0] != user_id:
            return False
        if found[1] <= time.monotonic():
            self._live.pop(session_id, None)
            return False
        return True

    def remember(self, session_id: uuid.UUID | None, user_id: uuid.UUID | None, *,
                 token_exp: float | None, generation: int) -> None:
        """Store a live verdict read from the database when `generation` (taken before the
        read) is still current: an invalidation during the read wins."""
        if session_id is None or self.ttl <= 0 or generation != self.generation:
            return
        ttl = self.ttl if token_exp is None else min(self.ttl, token_exp - time.time())
        if ttl <= 0:
            return
        if len(self._live) >= MAX_ENTRIES:
            for key in list(self._live)[: MAX_ENTRIES // 2]:  # dicts keep insertion order
                del self._live[key]
        self._live[session_id] = (user_id, time.monotonic() + ttl)

    def forget(self, session_id: uuid.UUID) -> None:
        self.generation += 1
        self._live.pop(session_id, None)

    # --- revocation ----------------------------------------------------------------------

    async def revoked(self, session_id: uuid.UUID) -> None:
        """Called after a signout committed: forget here, and tell every other process."""
        self.forget(session_id)
        if self._client is not None:
            try:
                await self._client.publish(self.channel, str(session_id))
            except RedisError as exc:
                # The database row is revoked; other processes stop trusting within the TTL.
                log.warning("could not publish a session revocation: %s", exc)

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        if self._redis_url is None or self.ttl <= 0:
            return
        self._client = redis_client(self._redis_url)
        self._task = asyncio.create_task(self._listen(), name="session-cache-invalidations")
        # Wait briefly for the first subscription, so a fresh process uses its cache at once;
        # if Redis is down it keeps reading the database until the listener connects.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._subscribed.wait(), timeout=2.0)

    async def _listen(self) -> None:
        assert self._client is not None
        delay = 0.1
        while True:
            pubsub: Any = self._client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                self._decoded.clear()
                self._live.clear()  # anything remembered before may have missed a revocation
                self.generation += 1
                self._trusted = True
                self._subscribed.set()
                delay = 0.1
                async for message in pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    self.invalidations_received += 1
                    with contextlib.suppress(ValueError, AttributeError):
                        raw = message["data"]
                        self.forget(uuid.UUID(raw.decode() if isinstance(raw, bytes) else raw))
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as exc:
                log.warning("session revocation channel lost (%s); reading the database", exc)
            finally:
                self._trusted = False
                self._subscribed.clear()
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._client is not None:
            await self._client.aclose()
