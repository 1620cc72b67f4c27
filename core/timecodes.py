"""The one way a moment of the video is written for learners: `[mm:ss]`, `[h:mm:ss]` past an
hour (lessons, quiz explanations, exercises, tutor answers, study cards)."""

from __future__ import annotations

import re

_STAMP = re.compile(r"\[(?:(\d+):)?(\d{1,2}):(\d{2})\]")


def timestamp(seconds: float) -> str:
    """[mm:ss] under an hour, [h:mm:ss] beyond."""
    s = max(0, int(seconds))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"[{h}:{m:02d}:{sec:02d}]" if h else f"[{m:02d}:{sec:02d}]"


def shift_stamps(text: str, seconds: float) -> str:
    """Every `[mm:ss]` in `text` moved `seconds` earlier (never before 0:00): a playlist
    course's stamps are on the whole playlist's timeline, a learner reads them on the clock
    of the section's own video."""
    if not seconds:
        return text

    def moved(m: re.Match[str]) -> str:
        h, mm, ss = int(m.group(1) or 0), int(m.group(2)), int(m.group(3))
        return timestamp(h * 3600 + mm * 60 + ss - seconds)

    return _STAMP.sub(moved, text)
