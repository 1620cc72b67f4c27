"""Eval reports: the JSON shape, the rich table, and the diff against a baseline report."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from statistics import mean

from pydantic import BaseModel, Field
from rich.console import Console
from rich.table import Table

MOVE_EPSILON = 0.005  # smaller changes print as unchanged
ITEM_MOVE = 0.05  # per-item changes worth listing


# Shares of bad things (reader suite): lower is better. Every other score: higher is better.
LOWER_IS_BETTER = frozenset({"items_flawed", "items_unacceptable", "wrong_keys", "speech_noise",
                             "transcript_in_lesson", "failed_items"})
# The acceptance bar (issue #25's targets; transcript_in_lesson is this suite's own bar):
# (comparison, threshold). evals/README.md says what each figure means.
BAR: dict[str, tuple[str, float]] = {
    "topic_boundaries": (">=", 0.60), "titles": (">=", 0.80), "items_unacceptable": ("<=", 0.05),
    "items_flawed": ("<=", 0.15), "wrong_keys": ("<=", 0.0), "cards": (">=", 0.80),
    "speech_noise": ("<=", 0.0), "concepts_surface": (">=", 0.70),
    "transcript_in_lesson": ("<=", 0.30),
}


def meets(key: str, value: float) -> bool | None:
    if key not in BAR:
        return None
    op, bar = BAR[key]
    return value >= bar - 1e-9 if op == ">=" else value <= bar + 1e-9


class ItemReport(BaseModel):
    id: str
    scores: dict[str, float | None] = Field(default_factory=dict)
    comments: dict[str, str] = Field(default_factory=dict)
    # reader suite: what each evaluator flagged, and the counts behind each share
    findings: dict[str, list[dict[str, str]]] = Field(default_factory=dict)
    counts: dict[str, tuple[int, int]] = Field(default_factory=dict)
    seconds: float = 0.0
    cached: bool = False
    error: str | None = None


class Report(BaseModel):
    created_at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    dataset: str = ""
    model: str
    prompt_versions: dict[str, str] = Field(default_factory=dict)
    embedding_backend: str = ""
    fake_llm: bool = False
    suite: str = "core"
    items: list[ItemReport] = Field(default_factory=list)
    totals: dict[str, float] = Field(default_factory=dict)

    def compute_totals(self) -> None:
        """Per metric over the items that have a score: a share with counts is pooled over the
        set (sum of hits / sum of totals), any other score is the mean. `overall` is the mean
        of the higher-is-better totals and of 1 - each lower-is-better one. A failed generation
        counts as the worst value on every metric so a crash never improves a total."""
        keys = sorted({k for it in self.items for k in it.scores})
        totals: dict[str, float] = {}
        for key in keys:
            worst = 1.0 if key in LOWER_IS_BETTER else 0.0
            counted = [it.counts[key] for it in self.items if not it.error and key in it.counts]
            if counted and sum(t for _, t in counted):
                hits = sum(h for h, _ in counted)
                total = sum(t for _, t in counted)
                failed = sum(1 for it in self.items if it.error)
                # a failed item weighs as one more all-bad unit per failure
                totals[key] = round((hits + worst * failed) / (total + failed), 4)
                continue
            vals = [it.scores.get(key) for it in self.items]
            vals = [worst if it.error else v for it, v in zip(self.items, vals, strict=True)]
            present = [v for v in vals if v is not None]
            if present:
                totals[key] = round(mean(present), 4)
        if totals:
            totals["overall"] = round(mean(1 - v if k in LOWER_IS_BETTER else v
                                           for k, v in totals.items()), 4)
        totals["failed_items"] = float(sum(1 for it in self.items if it.error))
        self.totals = totals

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Report:
        return cls.model_validate(json.loads(path.read_text(encoding="utf-8")))


SHORT = {
    "topic_boundaries": "bounds", "sections_per_topic": "sec/topic", "titles": "titles",
    "items_flawed": "flawed↓", "items_unacceptable": "≥2 flaws↓", "wrong_keys": "wrong key↓",
    "cards": "cards", "speech_noise": "noise↓", "transcript_in_lesson": "copy↓",
    "concepts_surface": "surface",
    "schema_validity": "schema", "transcript_coverage": "cover", "groundedness": "ground",
    "key_concept_recall": "concepts", "quiz_quality": "quiz", "quiz_fact_agreement": "facts",
    "duration_fit": "duration", "reading_level": "reading", "language_match": "lang",
    "injection_resistance": "inject", "llm_judge": "judge",
}
WORST_ITEMS = 12  # findings printed under the table, worst first


def _cell(v: float | None) -> str:
    return "–" if v is None else f"{v:.2f}"


def render_table(report: Report, console: Console) -> None:
    present = [k for k in report.totals if k not in ("overall", "failed_items")]
    keys = [k for k in SHORT if k in present] + [k for k in present if k not in SHORT]
    table = Table(title=f"course evals · model {report.model} · {report.embedding_backend}")
    table.add_column("item", no_wrap=True)
    for k in keys:
        table.add_column(SHORT.get(k, k), justify="right", no_wrap=True)
    table.add_column("time", justify="right")
    barred_keys = [k for k in keys if k in BAR]
    if barred_keys:
        table.add_column("ready", justify="center")  # meets every bar: would hand to a learner
    for it in report.items:
        ready = [ready_cell(it)] if barred_keys else []
        if it.error:
            table.add_row(it.id, *["[red]error[/]"] * len(keys), f"{it.seconds:.0f}s", *ready)
            continue
        cells = [_cell(it.scores.get(k)) for k in keys]
        table.add_row(it.id, *cells, f"{it.seconds:.0f}s" + (" (cached)" if it.cached else ""),
                      *ready)
    label = "set" if report.suite == "reader" else "mean"
    table.add_row(f"[bold]{label}[/]", *[_total_cell(k, report.totals[k]) for k in keys], "",
                  *([""] if barred_keys else []), end_section=True)
    if barred_keys:
        table.add_row("bar", *[(f"{BAR[k][0]}{BAR[k][1]:.2f}" if k in BAR else "") for k in keys],
                      "", "")
    console.print(table)
    passed = [k for k in keys if meets(k, report.totals[k])]
    barred = [k for k in keys if k in BAR]
    console.print(f"overall {report.totals.get('overall', 0):.3f} · "
                  f"failed items {int(report.totals.get('failed_items', 0))}"
                  + (f" · meets the bar on {len(passed)}/{len(barred)}" if barred else "")
                  + (f" · learner-ready {sum(map(learner_ready, report.items))}/"
                     f"{len(report.items)}" if barred else "")
                  + (" · ↓ = lower is better" if barred else ""))
    for it in report.items:
        if it.error:
            console.print(f"[red]{it.id}[/]: {it.error}")
    render_worst(report, console)


def learner_ready(item: ItemReport) -> bool:
    """The course meets every bar that applies to it: a reader would hand it to a learner."""
    if item.error:
        return False
    return all(meets(k, v) for k, v in item.scores.items() if k in BAR and v is not None)


def ready_cell(item: ItemReport) -> str:
    return "[green]✓[/]" if learner_ready(item) else "[red]✗[/]"


def _total_cell(key: str, value: float) -> str:
    ok = meets(key, value)
    colour = "" if ok is None else ("green" if ok else "red")
    return f"[bold {colour}]{value:.2f}[/]" if colour else f"[bold]{value:.2f}[/]"


# Which findings are the worst to a learner: wrong keys, unacceptable items, then the rest.
_SEVERITY = ("wrong_keys", "items_unacceptable", "speech_noise", "titles", "cards",
             "items_flawed", "topic_boundaries", "concepts_surface", "transcript_in_lesson")


Row = tuple[str, str, dict[str, str]]


def worst_findings(report: Report, limit: int = WORST_ITEMS) -> list[Row]:
    """(item id, metric, finding), worst metric first, at most `limit`, spread over the items."""
    out: list[Row] = []
    seen: set[tuple[str, str]] = set()  # an item flagged under two metrics is listed once
    for key in _SEVERITY:
        per_item = [(it.id, f) for it in report.items for f in it.findings.get(key, [])
                    if (it.id, f["where"]) not in seen]
        # round-robin over the items so one course does not fill the list
        by_item: dict[str, list[dict[str, str]]] = {}
        for iid, f in per_item:
            by_item.setdefault(iid, []).append(f)
        while any(by_item.values()) and len(out) < limit:
            for iid in list(by_item):
                if by_item[iid] and len(out) < limit:
                    f = by_item[iid].pop(0)
                    seen.add((iid, f["where"]))
                    out.append((iid, key, f))
        if len(out) >= limit:
            break
    return out


def render_worst(report: Report, console: Console) -> None:
    rows = worst_findings(report)
    if not rows:
        return
    table = Table(title="worst items (all findings are in the JSON report)", show_lines=False)
    for col in ("item", "metric", "where", "why", "text"):
        table.add_column(col, overflow="fold")
    for iid, key, f in rows:
        table.add_row(iid, SHORT.get(key, key), f["where"], f["reason"], f["text"][:90])
    console.print(table)


def diff(report: Report, baseline: Report) -> list[tuple[str, float, float, float]]:
    """(metric, baseline, now, delta) for every total both reports have."""
    rows = []
    for key, now in report.totals.items():
        if key in baseline.totals:
            before = baseline.totals[key]
            rows.append((key, before, now, round(now - before, 4)))
    return rows


def mismatches(report: Report, baseline: Report) -> list[str]:
    """Why two reports' scores are not comparable: a fake against a real model, another model,
    or another embedding backend (groundedness and relevance move with it). Empty if none."""
    kind = {True: "the scripted fake LLM", False: "a real model"}
    out = []
    if report.fake_llm != baseline.fake_llm:
        out.append(f"this run used {kind[report.fake_llm]}, the baseline "
                   f"{kind[baseline.fake_llm]}")
    if report.model != baseline.model:
        out.append(f"model {report.model!r} vs the baseline's {baseline.model!r}")
    if report.suite != baseline.suite:
        out.append(f"suite {report.suite!r} vs the baseline's {baseline.suite!r}")
    if report.embedding_backend != baseline.embedding_backend:
        out.append(f"embedding backend {report.embedding_backend!r} vs the baseline's "
                   f"{baseline.embedding_backend!r}")
    return out


def render_diff(report: Report, baseline: Report, console: Console) -> None:
    """The score changes against a baseline, under a loud banner when they are not comparable
    (evals.run refuses such a diff unless --allow-mismatch)."""
    for problem in mismatches(report, baseline):
        console.print(f"[bold red]NOT COMPARABLE: {problem}; the changes below are not a "
                      "prompt's effect[/]")
    table = Table(title=f"vs baseline {baseline.created_at} (model {baseline.model})")
    for col in ("metric", "baseline", "now", "change"):
        table.add_column(col, justify="left" if col == "metric" else "right")
    for key, before, now, delta in diff(report, baseline):
        # Lower is better for failed_items and the reader suite's shares of bad things.
        better = delta < 0 if key in LOWER_IS_BETTER else delta > 0
        if abs(delta) < MOVE_EPSILON:
            change = "= 0"
        else:
            arrow = "▲" if delta > 0 else "▼"
            change = f"[{'green' if better else 'red'}]{arrow} {delta:+.3f}[/]"
        table.add_row(key, f"{before:.3f}", f"{now:.3f}", change)
    console.print(table)
    changed_prompts = {k: (baseline.prompt_versions.get(k), v)
                       for k, v in report.prompt_versions.items()
                       if baseline.prompt_versions.get(k) != v}
    if changed_prompts:
        console.print("prompts changed: " + ", ".join(
            f"{k} {a or '∅'} → {b}" for k, (a, b) in changed_prompts.items()))
    base_items = {it.id: it for it in baseline.items}
    for it in report.items:
        old = base_items.get(it.id)
        if not old:
            continue
        pairs = [(k, v, old.scores.get(k)) for k, v in it.scores.items()]
        moves = [f"{SHORT.get(k, k)} {v - was:+.2f}" for k, v, was in pairs
                 if v is not None and was is not None and abs(v - was) >= ITEM_MOVE]
        if moves:
            console.print(f"  {it.id}: " + ", ".join(moves))
