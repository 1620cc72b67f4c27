"""`coursegen worker`: run a Celery worker for JOB_BACKEND=celery (start as many as you like)."""

from __future__ import annotations

from typing import Annotated

import typer

from core.config import get_settings


def worker(
    concurrency: Annotated[int, typer.Option(min=1, help="Jobs run at once (processes)")] = 2,
    loglevel: Annotated[str, typer.Option(help="Celery log level")] = "info",
    hostname: Annotated[str | None, typer.Option(help="Worker name (default: celery@host)")]
    = None,
) -> None:
    """Start a worker that runs course jobs queued by the API (needs REDIS_URL and a shared
    checkpointer, CHECKPOINTER=redis)."""
    from jobs.celery_app import QUEUE, DistributedConfigError
    from jobs.worker import make_worker_app

    settings = get_settings()
    try:
        app = make_worker_app(settings)
    except DistributedConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    argv = ["worker", f"--concurrency={concurrency}", f"--loglevel={loglevel}", "-Q", QUEUE,
            "--without-gossip", "--without-mingle"]
    if hostname:
        argv.append(f"--hostname={hostname}")
    app.worker_main(argv)
