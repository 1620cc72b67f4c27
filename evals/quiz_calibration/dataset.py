"""The labelled calibration set: real lectures, their sections, and quiz questions with labels.

One JSON file per lecture under `items/`: the caption file, the sections (caption index ranges,
as the graph would cut them), and the questions, each citing a caption index range and the
seconds of that range. The label says whether a verifier should keep the question.
"""

from __future__ import annotations

import json
import re
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.domain import OutlineSection, QuestionType, QuizQuestion, Segment, SourceRef
from sources.transcript import parse_transcript

ROOT = Path(__file__).resolve().parents[2]  # the repository: `source` paths are relative to it
ITEMS_DIR = Path(__file__).resolve().parent / "items"
SECONDS_TOLERANCE = 0.05

Label = Literal["good_conceptual", "good_verbatim", "unanswerable", "wrong_key", "two_correct",
                "swapped_true_false"]
LABELS: tuple[Label, ...] = ("good_conceptual", "good_verbatim", "unanswerable", "wrong_key",
                             "two_correct", "swapped_true_false")
GOOD_LABELS = frozenset({"good_conceptual", "good_verbatim"})


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    label: Label
    type: QuestionType
    prompt: str = Field(min_length=1)
    options: list[str] = Field(default_factory=list)
    answer: str = Field(min_length=1)
    lines: tuple[int, int]  # first and last caption index (inclusive) that prove or refute it
    seconds: tuple[float, float]  # start of the first cited caption, end of the last
    reason: str = Field(min_length=1)  # one line: why the label

    @property
    def good(self) -> bool:
        return self.label in GOOD_LABELS

    @model_validator(mode="after")
    def _shape(self) -> Item:
        if self.lines[0] > self.lines[1]:
            raise ValueError(f"{self.id}: lines {self.lines} are reversed")
        if self.type != "short" and self.answer not in self.options:
            raise ValueError(f"{self.id}: the key is not one of the options")
        return self

    def question(self) -> QuizQuestion:
        """The question as a model would hand it to the graph (sourceRef = the cited seconds)."""
        return QuizQuestion(id=self.id, type=self.type, prompt=self.prompt, options=self.options,
                            answer=self.answer, explanation="(calibration item)",
                            source_ref=SourceRef(start_seconds=self.seconds[0],
                                                 end_seconds=self.seconds[1]))


class Lecture(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lecture: str
    title: str
    source: str  # caption file, relative to the repository
    language: str = "en"
    sections: list[tuple[int, int]]  # caption index ranges, inclusive, in order
    items: list[Item]

    @cached_property
    def segments(self) -> list[Segment]:
        path = ROOT / self.source
        return parse_transcript(path.read_text(encoding="utf-8")).segments

    def section_of(self, item: Item) -> tuple[int, int]:
        for first, last in self.sections:
            if first <= item.lines[0] and item.lines[1] <= last:
                return first, last
        raise ValueError(f"{item.id}: lines {item.lines} are not inside one section")

    def outline_section(self, item: Item) -> OutlineSection:
        first, last = self.section_of(item)
        segs = self.segments
        return OutlineSection(id=f"{self.lecture}-{first}", title=f"section {first}-{last}",
                              start_seconds=segs[first].start, end_seconds=segs[last].end)

    def section_segments(self, item: Item) -> list[Segment]:
        first, last = self.section_of(item)
        return self.segments[first:last + 1]

    def cited_seconds(self, item: Item) -> tuple[float, float]:
        return self.segments[item.lines[0]].start, self.segments[item.lines[1]].end

    def problems(self) -> list[str]:
        """What is wrong with the file against its captions ([] = consistent)."""
        out = []
        n = len(self.segments)
        bounds = [i for s in self.sections for i in s]
        if bounds != sorted(bounds) or bounds[-1] >= n:
            out.append(f"{self.lecture}: sections {self.sections} are not ordered inside "
                       f"0..{n - 1}")
        for item in self.items:
            try:
                self.section_of(item)
            except ValueError as exc:
                out.append(str(exc))
                continue
            want = self.cited_seconds(item)
            if any(abs(a - b) > SECONDS_TOLERANCE for a, b in zip(want, item.seconds, strict=True)):
                out.append(f"{item.id}: seconds {item.seconds} do not match lines {item.lines} "
                           f"({want[0]:.2f}-{want[1]:.2f})")
        return out


def load_lectures(directory: Path = ITEMS_DIR) -> list[Lecture]:
    lectures = [Lecture.model_validate(json.loads(p.read_text(encoding="utf-8")))
                for p in sorted(directory.glob("*.json"))]
    ids = [i.id for lec in lectures for i in lec.items]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"duplicate item ids: {dupes}")
    return lectures


def dump_lecture(data: dict[str, object]) -> str:
    """The file format: JSON, two-space indent, short lists (options, ranges) on one line."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return re.sub(r"\[\s*\n\s*([^\[\]{}]*?)\s*\n\s*\]",
                  lambda m: "[" + re.sub(r",\s*\n\s*", ", ", m.group(1)) + "]", text) + "\n"
