"""Run each verifier path over the labelled set and measure "keep" against the labels.

- lexical: what the graph runs on every question (`agents.section_checks.question_problems`,
  the shape rules then `nlp.quiz_verifier` on the section's transcript slice);
- model: lexical first; a question it rejects is answered blind from its cited lines by a model
  (`agents.quiz_blind_check.blind_check`) and kept when that answer is the key and no
  distractor is also defensible.
A good question (good_conceptual, good_verbatim) should be kept; every other label should not.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

from agents.quiz_blind_check import StructuredModel, blind_check, cited_segments
from agents.section_checks import question_problems
from evals.quiz_calibration.dataset import LABELS, Item, Lecture
from llm.errors import LLMCallFailed

PATHS = ("lexical", "model")
# issue 24: the model-backed path keeps >= 90 % of good questions and >= 95 % of what it keeps
# is good; the lexical one keeps >= 95 % good among what it keeps (its recall is not a target).
TARGETS: dict[str, dict[str, float]] = {
    "lexical": {"precision": 0.95},
    "model": {"precision": 0.95, "recall": 0.90},
}


@dataclass(frozen=True)
class Verdict:
    item: Item
    lecture: str
    keep: bool
    by: str  # "lexical", "blind" or "unanswered" (the model gave no answer): what decided
    why: str  # the first problem when dropped, or the blind answer's reason


@dataclass
class Scores:
    path: str
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def kept(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.keep]

    @property
    def precision(self) -> float:
        kept = self.kept
        return sum(v.item.good for v in kept) / len(kept) if kept else 0.0

    @property
    def recall(self) -> float:
        good = [v for v in self.verdicts if v.item.good]
        return sum(v.keep for v in good) / len(good) if good else 0.0

    def per_label(self) -> dict[str, tuple[int, int]]:
        """label -> (kept, total)."""
        out: dict[str, tuple[int, int]] = {}
        for label in LABELS:
            of = [v for v in self.verdicts if v.item.label == label]
            out[label] = (sum(v.keep for v in of), len(of))
        return out

    def unanswered(self) -> list[str]:
        return [v.item.id for v in self.verdicts if v.by == "unanswered"]

    def misses(self) -> list[str]:
        """The targets this path does not meet."""
        got = {"precision": self.precision, "recall": self.recall}
        return [f"{self.path} {k} {got[k]:.3f} < {v:.2f}" for k, v in TARGETS[self.path].items()
                if got[k] < v]


def lexical_problems(lecture: Lecture, item: Item) -> list[str]:
    return question_problems(item.question(), lecture.outline_section(item),
                             lecture.section_segments(item), lecture.language)


async def _model_verdict(lecture: Lecture, item: Item, lexical: list[str],
                         model: StructuredModel) -> Verdict:
    if not lexical:
        return Verdict(item, lecture.lecture, True, "lexical", "")
    q = item.question()
    lines = cited_segments(q.source_ref, lecture.section_segments(item))
    try:
        blind = await blind_check(q, lines, model, language=lecture.language)
    except LLMCallFailed as exc:  # a replayed request with no recording, or a live failure
        return Verdict(item, lecture.lecture, False, "unanswered", str(exc.cause or exc))
    return Verdict(item, lecture.lecture, blind.keep, "blind", blind.reason)


async def run(lectures: Sequence[Lecture], model: StructuredModel | None) -> list[Scores]:
    """Scores per path (the model path only when a model is given)."""
    lexical = Scores("lexical")
    pending = []
    for lec in lectures:
        for item in lec.items:
            problems = lexical_problems(lec, item)
            lexical.verdicts.append(Verdict(item, lec.lecture, not problems, "lexical",
                                            problems[0] if problems else ""))
            pending.append((lec, item, problems))
    if model is None:
        return [lexical]
    verdicts = await asyncio.gather(*(_model_verdict(lec, item, problems, model)
                                      for lec, item, problems in pending))
    return [lexical, Scores("model", list(verdicts))]


async def ask_all(lectures: Sequence[Lecture], model: StructuredModel) -> None:
    """Blind-check every question, kept lexically or not (to record answers for all of them, so
    that a later change to the lexical check finds its blind answers recorded)."""
    await asyncio.gather(*(_model_verdict(lec, item, ["(asked anyway)"], model)
                           for lec in lectures for item in lec.items))


def report(scores: Sequence[Scores], lectures: Sequence[Lecture]) -> str:
    items = [i for lec in lectures for i in lec.items]
    good = sum(i.good for i in items)
    lines = [f"quiz verifier calibration: {len(items)} questions from {len(lectures)} lectures "
             f"({good} good, {len(items) - good} bad)", ""]
    for s in scores:
        lines.append(f"{s.path}: precision of keep {s.precision:.3f}  recall of keep "
                     f"{s.recall:.3f}  kept {len(s.kept)}/{len(s.verdicts)}")
    lines += ["", "kept per label (kept/total):",
              "  " + f"{'label':<20}" + "".join(f"{s.path:>10}" for s in scores)]
    tables = [s.per_label() for s in scores]
    for label in LABELS:
        cells = "".join(f"{f'{t[label][0]}/{t[label][1]}':>10}" for t in tables)
        lines.append(f"  {label:<20}{cells}")
    for s in scores:
        wrong_keeps = [v for v in s.kept if not v.item.good]
        drops = [v for v in s.verdicts if v.item.good and not v.keep]
        lines += ["", f"{s.path}: bad questions kept ({len(wrong_keeps)})"]
        lines += [f"  {v.item.id} [{v.item.label}] {v.item.prompt[:70]}" for v in wrong_keeps]
        lines += [f"{s.path}: good questions dropped ({len(drops)})"]
        lines += [f"  {v.item.id} [{v.item.label}] by {v.by}: {v.why[:110]}" for v in drops]
    misses = [m for s in scores for m in s.misses()]
    lines += ["", "targets: " + ("all met" if not misses else "MISSED: " + "; ".join(misses))]
    return "\n".join(lines)
