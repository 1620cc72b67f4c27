"""A finished course as the cache keeps it: only what the content determines (issue #29 item 2).

The cache key covers the source, the preferences, the prompts and the models, not the title
the requester typed; so the title (and the transcript's copy of it) is taken out before a course
is cached and the new requester's own is put in when it is served: one user's title never shows
in another user's course.
"""

from __future__ import annotations

import copy
from typing import Any

UNTITLED = "Untitled"


def content_only(course: dict[str, Any], transcript: dict[str, Any], metadata: dict[str, Any],
                 user_title: str | None) -> dict[str, Any]:
    """The cache entry for a course generated under `user_title` (None: the user gave none, so
    the course's title came from the content and may stay)."""
    course, transcript = copy.deepcopy(course), dict(transcript)
    if user_title:
        course["outline"]["title"] = ""
        if isinstance(course.get("analysis"), dict):
            course["analysis"]["title"] = ""
        transcript["title"] = None
    return {"course": course, "transcript": transcript, "metadata": metadata}


def for_requester(entry: dict[str, Any], title: str | None) -> dict[str, Any]:
    """The cache entry as the requester's own course: their title, else the content's."""
    course, transcript = copy.deepcopy(entry["course"]), dict(entry["transcript"])
    video = (entry.get("metadata") or {}).get("video") or {}
    chosen = title or course["outline"].get("title") or video.get("title") or UNTITLED
    course["outline"]["title"] = chosen
    if isinstance(course.get("analysis"), dict) and (title or not course["analysis"].get("title")):
        course["analysis"]["title"] = chosen
    transcript["title"] = title
    return {**entry, "course": course, "transcript": transcript}
