"""core.signing: HMAC header format, tamper detection, timestamp window, replay seen-set."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from core.signing import MemoryReplayGuard, SignatureError, parse_header, sign, verify

SECRET = "whsec_test_0123456789abcdef"
BODY = b'{"id":"1","type":"user.signed_up"}'


def test_header_format_matches_the_documented_scheme() -> None:
    header = sign(BODY, SECRET, ts=1_700_000_000)
    expected = hmac.new(SECRET.encode(), b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"


def test_roundtrip() -> None:
    verify(BODY, sign(BODY, SECRET), SECRET, tolerance=300)


@pytest.mark.parametrize(
    ("body", "secret"),
    [(BODY + b" ", SECRET), (BODY.replace(b"1", b"2"), SECRET), (BODY, SECRET + "x")],
)
def test_tampered_body_or_wrong_secret(body: bytes, secret: str) -> None:
    with pytest.raises(SignatureError) as err:
        verify(body, sign(BODY, SECRET), secret, tolerance=300)
    assert err.value.code == "invalid_signature"


def test_timestamp_is_covered_by_the_mac() -> None:
    header = sign(BODY, SECRET, ts=1000)
    forged = header.replace("t=1000", "t=2000")
    with pytest.raises(SignatureError) as err:
        verify(BODY, forged, SECRET, tolerance=300, now=2000)
    assert err.value.code == "invalid_signature"


@pytest.mark.parametrize("skew", [-301, 301])
def test_stale_or_future_timestamp(skew: int) -> None:
    header = sign(BODY, SECRET, ts=10_000)
    with pytest.raises(SignatureError) as err:
        verify(BODY, header, SECRET, tolerance=300, now=10_000 + skew)
    assert err.value.code == "replayed"
    verify(BODY, header, SECRET, tolerance=300, now=10_000 + (300 if skew > 0 else -300))


@pytest.mark.parametrize("header", [None, "", "garbage", "t=abc,v1=00", "t=1", "v1=00"])
def test_missing_or_malformed_header(header: str | None) -> None:
    with pytest.raises(SignatureError) as err:
        verify(BODY, header, SECRET, tolerance=300)
    assert err.value.code == "invalid_signature"


def test_replay_within_window_rejected_then_forgotten_after_expiry() -> None:
    guard = MemoryReplayGuard()
    header = sign(BODY, SECRET, ts=5000)
    verify(BODY, header, SECRET, tolerance=60, now=5000, replay_guard=guard)
    with pytest.raises(SignatureError) as err:
        verify(BODY, header, SECRET, tolerance=60, now=5030, replay_guard=guard)
    assert err.value.code == "replayed"
    # A different payload at the same second is not a replay.
    verify(
        BODY + b"\n", sign(BODY + b"\n", SECRET, ts=5000), SECRET, 60, now=5001, replay_guard=guard
    )
    # Expired entries are purged; the timestamp check alone rejects the old header now.
    guard.check_and_remember("other", 10_000, now=6000)
    assert len(guard) >= 1
    with pytest.raises(SignatureError, match="tolerance"):
        verify(BODY, header, SECRET, tolerance=60, now=6000, replay_guard=guard)


def test_bad_signature_does_not_poison_the_seen_set() -> None:
    guard = MemoryReplayGuard()
    good = sign(BODY, SECRET, ts=5000)
    with pytest.raises(SignatureError):
        verify(BODY, good, "wrong-secret", 60, now=5000, replay_guard=guard)
    verify(BODY, good, SECRET, 60, now=5000, replay_guard=guard)


def test_secret_rotation_any_v1_may_match() -> None:
    old = sign(BODY, "old-secret", ts=7).split("v1=")[1]
    new = sign(BODY, SECRET, ts=7).split("v1=")[1]
    header = f"t=7,v1={old},v1={new}"
    assert parse_header(header) == (7, [old, new])
    verify(BODY, header, SECRET, tolerance=10, now=7)
    verify(BODY, header, "old-secret", tolerance=10, now=7)
    with pytest.raises(SignatureError):
        verify(BODY, header, "third-secret", tolerance=10, now=7)
