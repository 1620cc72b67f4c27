"""core.tiers: limits come from settings; the check returns the right violation and status."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.config import Settings
from core.tiers import check_generation_allowed, effective_tier, limits_for, month_start

SETTINGS = Settings(
    FREE_COURSES_PER_MONTH=3, PRO_COURSES_PER_MONTH=100, FREE_MAX_VIDEO_MINUTES=30,
    PRO_MAX_VIDEO_MINUTES=300, FREE_CONCURRENT_JOBS=1, PRO_CONCURRENT_JOBS=5,
)
FREE, PRO = limits_for("free", SETTINGS), limits_for("pro", SETTINGS)


def test_limits_follow_settings() -> None:
    assert (FREE.courses_per_month, FREE.max_video_minutes, FREE.concurrent_jobs) == (3, 30, 1)
    assert (PRO.courses_per_month, PRO.max_video_minutes, PRO.concurrent_jobs) == (100, 300, 5)
    assert limits_for(None, SETTINGS) == FREE and limits_for("enterprise?", SETTINGS) == FREE


def test_within_limits() -> None:
    assert check_generation_allowed(FREE, courses_this_month=2, running_jobs=0,
                                    video_seconds=30 * 60) is None


@pytest.mark.parametrize(
    ("limits", "kw", "code", "status"),
    [
        (FREE, {"courses_this_month": 3, "running_jobs": 0}, "monthly_quota_exceeded", 402),
        (FREE, {"courses_this_month": 0, "running_jobs": 0, "video_seconds": 30 * 60 + 1},
         "video_too_long", 402),
        (FREE, {"courses_this_month": 0, "running_jobs": 1}, "too_many_concurrent_jobs", 429),
        (PRO, {"courses_this_month": 100, "running_jobs": 0}, "monthly_quota_exceeded", 402),
        (PRO, {"courses_this_month": 0, "running_jobs": 5}, "too_many_concurrent_jobs", 429),
    ],
)
def test_violations(limits, kw: dict, code: str, status: int) -> None:
    v = check_generation_allowed(limits, **kw)
    assert v is not None and (v.code, v.status) == (code, status)
    assert (v.retry_after_seconds is not None) == (status == 429)


def test_pro_lifts_free_limits() -> None:
    kw = {"courses_this_month": 3, "running_jobs": 1, "video_seconds": 120 * 60}
    assert check_generation_allowed(FREE, **kw) is not None
    assert check_generation_allowed(PRO, **kw) is None


def test_effective_tier() -> None:
    now = datetime(2026, 11, 25, tzinfo=UTC)
    assert effective_tier("pro", "active", None, now) == "pro"
    assert effective_tier("pro", "past_due", now + timedelta(days=1), now) == "pro"
    assert effective_tier("pro", "active", now - timedelta(seconds=1), now) == "free"
    assert effective_tier("pro", "canceled", now + timedelta(days=9), now) == "free"
    assert effective_tier("free", "active", None, now) == "free"
    # SQLite returns naive datetimes (UTC by convention).
    assert effective_tier("pro", "active", datetime(2026, 12, 1), now) == "pro"


def test_month_start() -> None:
    assert month_start(datetime(2026, 11, 25, 13, 5, tzinfo=UTC)) == datetime(2026, 11, 1,
                                                                               tzinfo=UTC)
