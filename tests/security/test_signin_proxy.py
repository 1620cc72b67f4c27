"""The sign-in throttle counts the real client: X-Forwarded-For is believed only from the
proxies in TRUSTED_PROXIES (issue #29 item 8; uvicorn's default trusts any local process).
Against a real `coursegen serve`, since the header is read by the server, not the app."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.faults.test_cpu_isolation import _serve


def _failures_until_429(url: str) -> int:
    with httpx.Client(base_url=url) as http:
        http.post("/api/auth/signup", json={"email": "t@example.com", "name": "T",
                                            "password": "correct horse battery"})
        for attempt in range(1, 8):
            r = http.post("/api/auth/signin", json={"email": "t@example.com", "password": "no"},
                          headers={"X-Forwarded-For": f"203.0.113.{attempt}"})
            if r.status_code == 429:
                return attempt
            assert r.status_code == 401, r.text
    return 0


@pytest.mark.slow
def test_a_forged_forwarded_for_does_not_reset_the_count(tmp_path: Path) -> None:
    for url in _serve(tmp_path, SIGNIN_MAX_ATTEMPTS="3"):
        assert _failures_until_429(url) == 4


@pytest.mark.slow
def test_a_configured_proxy_is_believed(tmp_path: Path) -> None:
    for url in _serve(tmp_path, SIGNIN_MAX_ATTEMPTS="3", TRUSTED_PROXIES="127.0.0.1"):
        assert _failures_until_429(url) == 0  # each attempt from another client address
