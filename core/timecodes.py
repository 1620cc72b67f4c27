"""The one way a moment of the video is written for learners: `[mm:ss]`, `[h:mm:ss]` past an
hour (lessons, quiz explanations, exercises, tutor answers, study cards)."""

from __future__ import annotations


def timestamp(seconds: float) -> str:
    """[mm:ss] under an hour, [h:mm:ss] beyond."""
    s = max(0, int(seconds))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"[{h}:{m:02d}:{sec:02d}]" if h else f"[{m:02d}:{sec:02d}]"
