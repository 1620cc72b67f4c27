"""`python -m evals.run --dataset DIR`: generate a course per transcript, score it, compare.

Courses are cached per (item content hash, prompt versions, model) under the data dir, so rerunning
after an evaluator change costs no LLM calls; editing a prompt (and bumping its version line)
invalidates exactly the courses that prompt affects — all of them, since every prompt is used.
`--fake` swaps the LLM for the scripted fake (testkit/scripted.py) (a dry run of the pipeline, not a
quality measurement: its lessons copy the transcript).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import logging
import os
import sys
import time
from pathlib import Path

from rich.console import Console

from core.config import Settings, get_settings
from core.domain import GeneratedCourse
from evals.dataset import EvalItem, dataset_path, load_dataset
from evals.embeddings import Embedder, get_embedder
from evals.evaluators import SUITES, evaluate_course, suite_for
from evals.evaluators.judge import JUDGE_VERSION, llm_judge
from evals.report import ItemReport, Report, mismatches, render_diff, render_table
from llm.client import LLMClient, build_llm_client
from llm.registry import ModelRegistry, ModelSpec
from prompts import prompt_versions

log = logging.getLogger("evals")
FAKE_MODEL = "fake-scripted"
def build_client(settings: Settings, *, model: str | None, fake: bool) -> tuple[LLMClient, str]:
    """The LLM client for generation and its model label for the report and cache key."""
    if fake:
        # Imported lazily: tests/ is not shipped, and only a dry run needs it.
        from testkit.scripted_course import course_fake

        spec = ModelSpec(name=FAKE_MODEL, context_window=8192, max_output=1024,
                         structured_method="function_calling")
        chat = course_fake()
        return LLMClient(ModelRegistry([spec]), chat_factory=lambda _s: chat,
                         max_concurrency=8, backoff_base=0.001), FAKE_MODEL
    client = build_llm_client(settings)
    if model:
        client.registry = ModelRegistry([client.registry.get(model)])
    return client, ",".join(m.name for m in client.registry.models)


def cache_path(settings: Settings, item: EvalItem, versions: dict[str, str], model: str) -> Path:
    key = json.dumps([item.content_hash, versions, model], sort_keys=True)
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    return settings.data_dir / "evals" / "courses" / f"{item.id}.{digest}.json"


async def run_item(item: EvalItem, *, llm: LLMClient, settings: Settings, model: str,
                   versions: dict[str, str], use_cache: bool, sem: asyncio.Semaphore,
                   embedder: Embedder | None, console: Console,
                   suite: str = "core") -> ItemReport:
    from graph.runner import run_course_graph

    report = ItemReport(id=item.id)
    path = cache_path(settings, item, versions, model)
    started = time.perf_counter()
    async with sem:
        try:
            if use_cache and path.exists():
                course = GeneratedCourse.model_validate_json(path.read_text(encoding="utf-8"))
                report.cached = True
            else:
                course = await run_course_graph(item.transcript, item.preferences, llm=llm,
                                               course_id=f"eval-{item.id}-{item.content_hash}")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(course.model_dump_json(by_alias=True), encoding="utf-8")
        except Exception as exc:  # noqa: BLE001 — one failed item must not end the run
            report.error = f"{type(exc).__name__}: {exc}"[:500]
            report.seconds = round(time.perf_counter() - started, 1)
            console.print(f"[red]✗ {item.id}[/] {report.error}")
            return report
    report.seconds = round(time.perf_counter() - started, 1)
    # Scoring is CPU-bound (embeddings); a thread keeps other items' LLM calls moving.
    results = await asyncio.to_thread(evaluate_course, course, item, embedder=embedder,
                                      suite=suite)
    if model != FAKE_MODEL:  # the fake cannot judge; llm_judge skips itself without a key
        results.append(await llm_judge(course, item, llm=llm, settings=settings))
    report.scores = {r["key"]: r["score"] for r in results}
    report.comments = {r["key"]: r["comment"] for r in results}
    report.findings = {r["key"]: [{"where": f["where"], "reason": f["reason"],
                                         "text": f["text"]} for f in r["findings"]]
                       for r in results if r.get("findings")}
    report.counts = {r["key"]: r["counts"] for r in results if "counts" in r}
    console.print(f"[green]✓ {item.id}[/] {report.seconds:.0f}s" + (" (cached)" * report.cached))
    return report


async def run(args: argparse.Namespace, console: Console) -> Report:
    settings = get_settings()
    items = load_dataset(args.dataset)
    suite = args.suite if args.suite != "auto" else suite_for(items)
    llm, model = build_client(settings, model=args.model, fake=args.fake)
    if any(m.local for m in llm.registry.models):
        # The embedded model is served by llama.cpp; start it (or reuse a running one) first.
        from llm.local_model import ensure_local_model_server

        await asyncio.to_thread(ensure_local_model_server, settings)
    versions = prompt_versions()
    # Only the core suite's groundedness embeds; the reader suite does not load the model.
    embedder = get_embedder(args.embeddings) if suite == "core" else None
    sem = asyncio.Semaphore(max(1, args.concurrency))
    reports = await asyncio.gather(*(
        run_item(item, llm=llm, settings=settings, model=model, versions=versions,
                 use_cache=not args.no_cache, sem=sem, embedder=embedder, console=console,
                 suite=suite)
        for item in items
    ))
    # the judge's prompt is versioned apart from the generator's (not in the course cache key)
    report = Report(dataset=str(args.dataset), model=model,
                    prompt_versions={**versions, "eval_judge": JUDGE_VERSION},
                    embedding_backend=embedder.name if embedder else "none", fake_llm=args.fake,
                    suite=suite, items=list(reports))
    report.compute_totals()
    if os.environ.get("LANGSMITH_API_KEY") and not args.no_upload:
        from evals.langsmith_upload import upload

        upload(report, items, console=console)
    return report


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m evals.run", description=__doc__.splitlines()[0])
    p.add_argument("--dataset", type=dataset_path, required=True,
                   help="folder of .srt/.vtt/.txt, or a short name: real, core")
    p.add_argument("--suite", choices=["auto", *SUITES], default="auto",
                   help="evaluators: reader (real lectures with reference sections), core "
                        "(plumbing); auto picks reader when every reference has sections")
    p.add_argument("--model", help="generate with this registered model only")
    p.add_argument("--baseline", type=Path, help="a previous report to compare against")
    p.add_argument("--allow-mismatch", action="store_true",
                   help="diff against a baseline of another model, backend or fake/real kind")
    p.add_argument("--out", type=Path, help="where to write the JSON report")
    p.add_argument("--concurrency", type=int, default=2, help="items generated at once")
    p.add_argument("--fake", action="store_true",
                   help="scripted fake LLM (pipeline dry run, not a quality score)")
    p.add_argument("--no-cache", action="store_true", help="regenerate even if cached")
    p.add_argument("--no-upload", action="store_true", help="skip LangSmith even with a key")
    p.add_argument("--embeddings", choices=["auto", "minilm", "lexical"], default="auto",
                   help="groundedness backend (auto: MiniLM if the evals extra is installed)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    console = Console(width=max(Console().width, 200))  # a metric column per evaluator
    report = asyncio.run(run(args, console))
    render_table(report, console)
    refused = False
    if args.baseline:
        if args.baseline.exists():
            baseline = Report.load(args.baseline)
            problems = mismatches(report, baseline)
            if problems and not args.allow_mismatch:
                refused = True
                console.print(f"[bold red]no diff against {args.baseline}: "
                              + "; ".join(problems)
                              + " (--allow-mismatch shows it anyway, flagged)[/]")
            else:
                render_diff(report, baseline, console)
        else:
            console.print(f"[yellow]baseline {args.baseline} not found; no diff[/]")
    if args.out:
        report.save(args.out)
        console.print(f"report written to {args.out}")
    if refused:
        return 2
    return 1 if report.totals.get("failed_items") else 0


if __name__ == "__main__":
    sys.exit(main())
