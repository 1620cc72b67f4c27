"""An Anki deck (.apkg) of a course's flashcards and quiz questions, built with genanki.

Every card links to its moment in the video (a playlist course's: in its module's video) and, in
a playlist course, is tagged with its module (`module::<n>_<video id>`). Field text is
HTML-escaped: Anki renders fields as HTML, and card text comes from a model or a transcript.
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import sqlite3
import tempfile
import time
import zipfile
from pathlib import Path

import genanki

from core.domain import CourseModule, GeneratedCourse
from core.modules import module_of, moment_link
from core.study import study_cards
from core.timecodes import timestamp

# Fixed: Anki matches note types by id, so re-imported decks update instead of duplicating.
MODEL_ID = 1_733_402_117
FIELDS = ["Front", "Back", "Timestamp", "VideoLink", "Section", "CardId"]
_TIME_LINK = ("{{#VideoLink}}<a href=\"{{VideoLink}}\">{{Timestamp}}</a>{{/VideoLink}}"
              "{{^VideoLink}}{{Timestamp}}{{/VideoLink}}")
MODEL = genanki.Model(
    MODEL_ID, "coursegen card", fields=[{"name": f} for f in FIELDS],
    templates=[{"name": "Card",
                "qfmt": "<div class=section>{{Section}}</div>{{Front}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Back}}<div class=ts>" + _TIME_LINK
                        + "</div>"}],
    css=".card{font-family:sans-serif;font-size:18px;white-space:pre-wrap}"
        ".section{color:#777;font-size:13px}.ts{margin-top:1em;font-size:14px}")


def _id(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) | 1 << 30


def module_tag(course: GeneratedCourse, module: CourseModule) -> str:
    """An Anki tag (no spaces; `::` nests it under "module" in Anki's browser), sorted like the
    playlist: module::01_<video id>."""
    return f"module::{course.modules.index(module) + 1:02d}_{module.video_id}"


def course_deck(course: GeneratedCourse, *, course_id: str, video_url: str | None) -> genanki.Deck:
    deck = genanki.Deck(_id(f"deck:{course_id}"), f"coursegen::{course.outline.title}")
    modules = module_of(course)
    for card in study_cards(course):
        link = moment_link(modules, card.section_id, card.start_seconds, video_url) or ""
        module = modules.get(card.section_id)
        # the time a learner finds in the card's own video
        at = card.start_seconds - (module.offset_seconds if module else 0.0)
        section = f"{module.title} · {card.section_title}" if module else card.section_title
        deck.add_note(genanki.Note(
            model=MODEL, guid=genanki.guid_for(course_id, card.id),
            fields=[html.escape(card.front), html.escape(card.back), timestamp(at),
                    html.escape(link), html.escape(section), card.id],
            tags=[card.kind, *([module_tag(course, module)] if module else [])]))
    return deck


def course_apkg(course: GeneratedCourse, *, course_id: str, video_url: str | None) -> bytes:
    """The .apkg bytes: a zip holding the SQLite collection `collection.anki2` and `media`."""
    package = genanki.Package(course_deck(course, course_id=course_id, video_url=video_url))
    now = time.time()
    # genanki's write_to_file leaves its temporary database behind; write the same way in a
    # directory that is removed afterwards.
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(db_path)
        try:
            package.write_to_db(conn.cursor(), now, itertools.count(int(now * 1000)))
            conn.commit()
        finally:
            conn.close()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            z.write(db_path, "collection.anki2")
            z.writestr("media", "{}")
    return out.getvalue()
