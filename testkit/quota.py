"""A provider's request quota, as OpenAI enforces it: at most `limit` requests per sliding
`window` seconds; a request beyond it is refused with Retry-After (until the oldest admitted
request leaves the window), and every answer carries x-ratelimit-* headers. Shared by
testkit/fake_openai.py (over HTTP) and benchmarks/ratelimit_bench.py (in process)."""

from __future__ import annotations


def admit(admitted: list[float], limit: int, window: float, now: float
          ) -> tuple[bool, dict[str, str]]:
    """Whether the quota refuses a request arriving at `now`, and the headers of its answer.
    `admitted` holds the arrival of every request let through (appended to here); the caller
    serialises calls."""
    recent = [t for t in admitted if t > now - window]
    refused = len(recent) >= limit
    if not refused:
        admitted.append(now)
        recent.append(now)
    reset = recent[0] + window - now if recent else window
    headers = {"x-ratelimit-limit-requests": str(limit),
               "x-ratelimit-remaining-requests": str(limit - len(recent)),
               "x-ratelimit-reset-requests": f"{max(0, int(reset * 1000))}ms"}
    if refused:
        headers["retry-after"] = f"{reset:.3f}"
    return refused, headers
