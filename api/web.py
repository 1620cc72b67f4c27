"""The web app (source in web/, built into api/webapp/ and shipped in the package) served by
the API at `/`.

Only `/` and `/assets/*` are routes: a catch-all mount would answer every unknown path with
the page and hide 404/405 of the API. The page is a hash-routed single page, so `/` is enough.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from starlette.staticfiles import StaticFiles

DIST = Path(__file__).resolve().parent / "webapp"

# Defence in depth for untrusted lesson text: even if markup slipped through the renderer, no
# inline script runs and nothing loads from elsewhere (the YouTube embed aside).
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "frame-src https://www.youtube-nocookie.com; connect-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def mount_web(app: FastAPI, dist: Path = DIST) -> bool:
    index = dist / "index.html"
    if not index.is_file():
        return False

    @app.get("/", include_in_schema=False)
    async def web_index() -> FileResponse:
        return FileResponse(index, headers={"Content-Security-Policy": CSP,
                                            "Cache-Control": "no-cache"})

    app.mount("/assets", StaticFiles(directory=dist / "assets"), name="web-assets")
    return True
