"""Free vs pro limits, from settings, and the pure check the generate route calls.

The route gathers the counts (courses this calendar month, running jobs, video length) and maps
a returned `TierViolation` to HTTP: 402 for plan limits the user can lift by upgrading, 429 with
Retry-After for concurrency, which frees up by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from core.config import Settings

Tier = Literal["free", "pro"]
# Stripe's subscription statuses (plus what a checkout completion implies: active).
SubscriptionStatus = Literal[
    "active", "trialing", "past_due", "canceled", "unpaid", "incomplete",
    "incomplete_expired", "paused",
]
PAID_STATUSES = frozenset({"active", "trialing", "past_due"})


@dataclass(frozen=True)
class TierLimits:
    tier: str
    courses_per_month: int
    max_video_minutes: int
    concurrent_jobs: int
    # a longer playlist is cut at this many videos (a recorded warning, not a failure); with
    # plan limits it replaces the global MAX_PLAYLIST_VIDEOS, which only the local CLI uses
    max_playlist_videos: int = 10


@dataclass(frozen=True)
class TierViolation:
    code: str  # monthly_quota_exceeded | video_too_long | too_many_concurrent_jobs
    status: int  # HTTP status for the error
    message: str
    retry_after_seconds: int | None = None


def effective_tier(
    tier: str | None, status: str | None, ends_at: datetime | None, now: datetime | None = None
) -> str:
    """Return "pro" only while the subscription is paid for and not past its end date."""
    if tier != "pro" or (status or "active") not in PAID_STATUSES:
        return "free"
    if ends_at is not None:
        now = now or datetime.now(UTC)
        ends = ends_at if ends_at.tzinfo else ends_at.replace(tzinfo=UTC)
        if ends <= now:
            return "free"
    return "pro"


def limits_for(tier: str | None, settings: Settings) -> TierLimits:
    if tier == "pro":
        return TierLimits(
            "pro",
            settings.pro_courses_per_month,
            settings.pro_max_video_minutes,
            settings.pro_concurrent_jobs,
            settings.pro_max_playlist_videos,
        )
    return TierLimits(
        "free",
        settings.free_courses_per_month,
        settings.free_max_video_minutes,
        settings.free_concurrent_jobs,
        settings.free_max_playlist_videos,
    )


def tutor_questions_per_hour(tier: str | None, settings: Settings) -> int:
    """Questions to the tutor per rolling hour (a sliding window, infra/ratelimit.py)."""
    if tier == "pro":
        return settings.pro_tutor_questions_per_hour
    return settings.free_tutor_questions_per_hour


def month_start(now: datetime | None = None) -> datetime:
    """Start of the current calendar month (UTC): the quota window."""
    now = now or datetime.now(UTC)
    return now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def check_generation_allowed(
    limits: TierLimits,
    *,
    courses_this_month: int,
    running_jobs: int,
    video_seconds: float | None = None,
    retry_after_seconds: int = 30,
) -> TierViolation | None:
    """None if a new generation may start, else the first limit it would break.

    `video_seconds` may be unknown before the transcript is fetched; call again once it is.
    """
    if courses_this_month >= limits.courses_per_month:
        return TierViolation(
            "monthly_quota_exceeded",
            402,
            f"The {limits.tier} plan allows {limits.courses_per_month} courses per month.",
        )
    if video_seconds is not None:
        too_long = video_length_violation(limits, video_seconds)
        if too_long is not None:
            return too_long
    if running_jobs >= limits.concurrent_jobs:
        return TierViolation(
            "too_many_concurrent_jobs",
            429,
            f"The {limits.tier} plan runs {limits.concurrent_jobs} generations at a time.",
            retry_after_seconds=retry_after_seconds,
        )
    return None


def video_length_violation(limits: TierLimits, video_seconds: float) -> TierViolation | None:
    """The length check alone: run again once a URL's transcript reveals the length."""
    if video_seconds <= limits.max_video_minutes * 60:
        return None
    return TierViolation(
        "video_too_long",
        402,
        f"The {limits.tier} plan allows videos up to {limits.max_video_minutes} minutes; "
        f"this one is {video_seconds / 60:.0f}.",
    )
