"""HMAC-SHA256 webhook signatures, Stripe-style: `X-Coursegen-Signature: t=<unix>,v1=<hex>`.

The MAC covers `"<t>.<raw body>"`, so the timestamp cannot be swapped without breaking it. A
receiver rejects timestamps outside the tolerance window and, inside the window, a signature it
has already accepted (a replay) — the seen-set only has to remember signatures for as long as
their timestamp is still acceptable, so it stays small.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from typing import Protocol

from core.errors import CodedError

SIGNATURE_HEADER = "X-Coursegen-Signature"
EVENT_ID_HEADER = "X-Coursegen-Event-Id"
SCHEME = "v1"


class SignatureError(CodedError):
    """`code` is "invalid_signature" (missing/malformed/wrong MAC) or "replayed" (stale or seen)."""


class ReplayGuard(Protocol):
    def check_and_remember(self, key: str, expires_at: float, now: float) -> bool:
        """Remember `key` until `expires_at`; return False if it was already remembered."""
        ...


class MemoryReplayGuard:
    """In-process seen-set with expiry. One API process per deployment, or swap for Redis."""

    def __init__(self, max_entries: int = 100_000) -> None:
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()
        self._max = max_entries

    def check_and_remember(self, key: str, expires_at: float, now: float) -> bool:
        with self._lock:
            if len(self._seen) >= self._max or len(self._seen) % 256 == 0:
                self._purge(now)
            expiry = self._seen.get(key)
            if expiry is not None and expiry > now:
                return False
            if len(self._seen) >= self._max:
                # Refusing is safer than forgetting a signature that is still inside its window.
                raise SignatureError("replayed", "replay cache full; retry later")
            self._seen[key] = expires_at
            return True

    def _purge(self, now: float) -> None:
        for k in [k for k, exp in self._seen.items() if exp <= now]:
            del self._seen[k]

    def __len__(self) -> int:
        return len(self._seen)


def compute_signature(body: bytes, secret: str, ts: int) -> str:
    mac = hmac.new(secret.encode(), f"{ts}.".encode() + body, hashlib.sha256)
    return mac.hexdigest()


def sign(body: bytes, secret: str, ts: int | None = None) -> str:
    """The header value for `body`, timestamped now unless `ts` is given."""
    ts = int(time.time()) if ts is None else ts
    return f"t={ts},{SCHEME}={compute_signature(body, secret, ts)}"


def parse_header(header: str | None) -> tuple[int, list[str]]:
    if not header:
        raise SignatureError("invalid_signature", f"missing {SIGNATURE_HEADER} header")
    ts: int | None = None
    sigs: list[str] = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            try:
                ts = int(value)
            except ValueError as exc:
                raise SignatureError("invalid_signature", "malformed timestamp") from exc
        elif key == SCHEME:
            sigs.append(value.strip())
    if ts is None or not sigs:
        raise SignatureError("invalid_signature", f"malformed {SIGNATURE_HEADER} header")
    return ts, sigs


def verify(
    body: bytes,
    header: str | None,
    secret: str,
    tolerance: int,
    now: float | None = None,
    replay_guard: ReplayGuard | None = None,
) -> None:
    """Raise SignatureError unless `header` is a fresh, unseen, valid signature of `body`.

    Without a `replay_guard` only the timestamp window protects against replays.
    """
    ts, candidates = parse_header(header)
    expected = compute_signature(body, secret, ts)
    # compare_digest on every candidate: timing does not reveal which (or whether one) matched.
    matched = [c for c in candidates if hmac.compare_digest(expected, c)]
    if not matched:
        raise SignatureError("invalid_signature", "signature does not match the payload")
    now = time.time() if now is None else now
    if abs(now - ts) > tolerance:
        raise SignatureError("replayed", f"timestamp outside the {tolerance}s tolerance window")
    if replay_guard is not None and not replay_guard.check_and_remember(
        expected, ts + tolerance, now
    ):
        raise SignatureError("replayed", "this signature was already used")
