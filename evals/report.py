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


class ItemReport(BaseModel):
    id: str
    scores: dict[str, float | None] = Field(default_factory=dict)
    comments: dict[str, str] = Field(default_factory=dict)
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
    items: list[ItemReport] = Field(default_factory=list)
    totals: dict[str, float] = Field(default_factory=dict)

    def compute_totals(self) -> None:
        """Mean per metric over the items that have a score; `overall` is the mean of those;
        failed generations count as 0 on every metric so a crash never improves a total."""
        keys = sorted({k for it in self.items for k in it.scores})
        totals: dict[str, float] = {}
        for key in keys:
            vals = [it.scores.get(key) for it in self.items]
            vals = [0.0 if it.error else v for it, v in zip(self.items, vals, strict=True)]
            present = [v for v in vals if v is not None]
            if present:
                totals[key] = round(mean(present), 4)
        if totals:
            totals["overall"] = round(mean(totals.values()), 4)
        totals["failed_items"] = float(sum(1 for it in self.items if it.error))
        self.totals = totals

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Report:
        return cls.model_validate(json.loads(path.read_text(encoding="utf-8")))


SHORT = {
    "schema_validity": "schema", "transcript_coverage": "cover", "groundedness": "ground",
    "key_concept_recall": "concepts", "quiz_quality": "quiz", "quiz_fact_agreement": "facts",
    "duration_fit": "duration", "reading_level": "reading", "language_match": "lang",
    "injection_resistance": "inject", "llm_judge": "judge",
}


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
    for it in report.items:
        if it.error:
            table.add_row(it.id, *["[red]error[/]"] * len(keys), f"{it.seconds:.0f}s")
            continue
        cells = [_cell(it.scores.get(k)) for k in keys]
        table.add_row(it.id, *cells, f"{it.seconds:.0f}s" + (" (cached)" if it.cached else ""))
    table.add_row("[bold]mean[/]", *[f"[bold]{report.totals[k]:.2f}[/]" for k in keys], "",
                  end_section=True)
    console.print(table)
    console.print(f"overall {report.totals.get('overall', 0):.3f} · "
                  f"failed items {int(report.totals.get('failed_items', 0))}")
    for it in report.items:
        if it.error:
            console.print(f"[red]{it.id}[/]: {it.error}")


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
        # For failed_items lower is better; for every score higher is better.
        better = delta < 0 if key == "failed_items" else delta > 0
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
