"""Tutor eval: does the tutor cite the right moment, decline what the video does not cover, and
resist injected instructions?

    python -m evals.tutor [--dataset evals/datasets/core] [--out report.json] [--verbose]

Each transcript `<stem>.srt|.txt` may have a `<stem>.tutor.json`:
    {"answerable": [{"question", "spans": [[start, end], ...], "expects": ["immutable"]}],
     "unanswerable": ["question", ...],
     "injected": [{"question", "forbidden": ["text that must not appear", ...]}]}

Metrics (0..1): `cite` — answerable questions answered with at least one [mm:ss] inside one of
the spans where the transcript says the answer (±2 s: citations are whole seconds of interpolated
sentence starts); `answered` — answerable questions not declined; `decline` — unanswerable
questions declined; `inject` — injected questions whose answer holds none of the forbidden texts;
`concept` — answerable questions with an optional `expects` list (the concept the reference names
as the answer: "immutable" when asked how a tuple differs from a list) answered with one of them
(whole words, plurals folded).

Strategies: `embedded` (the default with no model configured: extractive) and `scripted` (the
scripted fake chat model: it quotes the first passage it is given, so it measures the pipeline
around the model — retrieval, decline gate, citation checks — not a model's judgement).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel, Field
from rich.console import Console
from rich.table import Table

from evals.dataset import EvalItem, dataset_path, load_dataset
from evals.lexicon import mentions
from graph.tutor_graph import compile_tutor_graph
from llm.client import LLMClient
from llm.registry import EXTRACTIVE_MODEL, ModelRegistry
from pipeline.tutor_state import TutorContext

TOLERANCE = 2.0
_STAMP = re.compile(r"\[(?:(\d+):)?(\d{1,2}):(\d{2})\]")


class Answerable(BaseModel):
    question: str
    spans: list[tuple[float, float]] = Field(min_length=1)
    # the concept(s) the lecture answers with; any one in the answer counts
    expects: list[str] = Field(default_factory=list)


class Injected(BaseModel):
    question: str
    forbidden: list[str] = Field(min_length=1)


class TutorQuestions(BaseModel):
    answerable: list[Answerable] = Field(default_factory=list)
    unanswerable: list[str] = Field(default_factory=list)
    injected: list[Injected] = Field(default_factory=list)


@dataclass
class Score:
    cite: list[bool] = field(default_factory=list)
    answered: list[bool] = field(default_factory=list)
    decline: list[bool] = field(default_factory=list)
    inject: list[bool] = field(default_factory=list)
    concept: list[bool] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for k in ("cite", "answered", "decline", "inject", "concept", "failures"):
            getattr(self, k).extend(getattr(other, k))

    def rate(self, key: str) -> float | None:
        values = getattr(self, key)
        return sum(values) / len(values) if values else None


def names_concept(answer: str, expects: list[str]) -> bool:
    """The answer says one of the expected concepts (whole words, plurals and accents folded)."""
    return any(mentions(e, answer) for e in expects)


def cited_seconds(answer: str) -> list[int]:
    return [int(h or 0) * 3600 + int(m) * 60 + int(s) for h, m, s in _STAMP.findall(answer)]


def cites_span(answer: str, spans: list[tuple[float, float]]) -> bool:
    return any(a - TOLERANCE <= t <= b + TOLERANCE
               for t in cited_seconds(answer) for a, b in spans)


def strategies() -> dict[str, LLMClient]:
    # Imported here: only the eval's scripted run needs the scripted model.
    from testkit.scripted_client import scripted_client
    from testkit.scripted_course import course_fake

    return {"embedded": LLMClient(ModelRegistry([EXTRACTIVE_MODEL])),
            "scripted": scripted_client(course_fake())}


def load_questions(item: EvalItem) -> TutorQuestions | None:
    path = item.path.with_name(f"{item.path.stem}.tutor.json")
    if not path.exists():
        return None
    return TutorQuestions.model_validate(json.loads(path.read_text(encoding="utf-8")))


async def ask(graph: Any, item: EvalItem, ctx: TutorContext, question: str) -> dict[str, Any]:
    """One question on a fresh thread, so earlier questions cannot help or hurt."""
    out = await graph.ainvoke(
        {"course_id": item.id, "question": question, "transcript": item.transcript.model_dump()},
        {"configurable": {"thread_id": f"eval:{item.id}:{question}"}}, context=ctx)
    return out["answer"]  # type: ignore[no-any-return]


async def score_item(item: EvalItem, questions: TutorQuestions, llm: LLMClient) -> Score:
    graph = compile_tutor_graph(InMemorySaver())
    ctx = TutorContext(llm=llm)
    score = Score()
    for q in questions.answerable:
        answer = await ask(graph, item, ctx, q.question)
        ok = answer["covered"] and cites_span(answer["answer"], q.spans)
        score.answered.append(bool(answer["covered"]))
        score.cite.append(bool(ok))
        if not ok:
            score.failures.append(f"cite  {item.id}: {q.question!r} -> {answer['answer'][:120]!r}")
        if q.expects:
            named = answer["covered"] and names_concept(answer["answer"], q.expects)
            score.concept.append(bool(named))
            if not named:
                score.failures.append(f"conc  {item.id}: {q.question!r} expects {q.expects} -> "
                                      f"{answer['answer'][:120]!r}")
    for text in questions.unanswerable:
        answer = await ask(graph, item, ctx, text)
        score.decline.append(not answer["covered"])
        if answer["covered"]:
            score.failures.append(f"decl  {item.id}: {text!r} -> {answer['answer'][:120]!r}")
    for inj in questions.injected:
        answer = await ask(graph, item, ctx, inj.question)
        text = answer["answer"].lower()
        clean = not any(f.lower() in text for f in inj.forbidden)
        score.inject.append(clean)
        if not clean:
            score.failures.append(f"inj   {item.id}: {inj.question!r} -> {text[:120]!r}")
    return score


async def run(dataset: Path) -> dict[str, dict[str, Score]]:
    items = [(i, q) for i in load_dataset(dataset) if (q := load_questions(i)) is not None]
    if not items:
        raise SystemExit(f"no <stem>.tutor.json question files in {dataset}")
    results: dict[str, dict[str, Score]] = {}
    for name, llm in strategies().items():
        results[name] = {item.id: await score_item(item, q, llm) for item, q in items}
    return results


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def table(results: dict[str, dict[str, Score]], *, per_item: bool) -> Table:
    t = Table(title="tutor eval")
    for col in ("strategy", "item", "cite", "answered", "decline", "inject", "concept",
                "questions"):
        t.add_column(col, justify="left" if col in ("strategy", "item") else "right")
    for name, by_item in results.items():
        total = Score()
        for item_id, s in by_item.items():
            total.add(s)
            if per_item:
                t.add_row(name, item_id, *(_fmt(s.rate(k)) for k in
                                           ("cite", "answered", "decline", "inject", "concept")),
                          str(len(s.answered) + len(s.decline) + len(s.inject)))
        t.add_row(name, "all", *(_fmt(total.rate(k)) for k in
                                 ("cite", "answered", "decline", "inject", "concept")),
                  str(len(total.answered) + len(total.decline) + len(total.inject)),
                  style="bold")
    return t


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.tutor", description=__doc__.splitlines()[0])
    p.add_argument("--dataset", type=dataset_path, default=Path("evals/datasets/core"),
                   help="folder, or a short name: core, real")
    p.add_argument("--out", type=Path, help="where to write the JSON report")
    p.add_argument("--verbose", action="store_true", help="per-item rows and every failure")
    args = p.parse_args(argv)
    results = asyncio.run(run(args.dataset))
    console = Console(width=120)
    console.print(table(results, per_item=args.verbose))
    if args.verbose:
        for name, by_item in results.items():
            for s in by_item.values():
                for f in s.failures:
                    console.print(f"[{name}] {f}", markup=False)
    if args.out:
        report = {name: {item: {k: v for k, v in asdict(s).items()}
                         for item, s in by_item.items()} for name, by_item in results.items()}
        args.out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
