"""`coursegen serve`: run the API with uvicorn on the configured database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.errors import in_range
from core.config import get_settings


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(callback=in_range(1, 65535, "(TCP port)"),
                                      help="TCP port")] = 8000,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development)")] = False,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes")] = 1,
) -> None:
    """Start the HTTP API; the database is created/migrated on start unless disabled."""
    import uvicorn

    settings = get_settings()
    typer.echo(f"coursegen API on http://{host}:{port} (docs at /docs)")
    typer.echo(f"database: {_redact(settings.resolved_database_url)}")
    from api.web import DIST

    typer.echo(web_app_note(DIST, f"http://{host}:{port}/"))
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        workers=None if reload else workers,
        log_level=settings.log_level.lower(),
        # uvicorn trusts X-Forwarded-For from 127.0.0.1 by default: any local process could
        # then pick the client address the sign-in throttle counts by (#29)
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=settings.trusted_proxies or None,
    )


def web_app_note(dist: Path, url: str) -> str:
    """Where the web app is, or how to build it: api/webapp ships built in the package; a
    checkout that removed it can rebuild it, and the API runs without it."""
    if (dist / "index.html").is_file():
        return f"web app: {url}"
    return (f"web app: not built ({dist} is missing); the API works without it. Build it once "
            "with Node 20: cd web && npm ci && npm run build")


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
