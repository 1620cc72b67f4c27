"""/docs (Swagger UI) and /redoc on assets shipped in the package, so they work offline.

The web app's build (web/vite.config.ts) copies the npm packages' bundles to
api/webapp/assets/vendor/, served with the app under /assets. A checkout without the build
falls back to FastAPI's CDN copies.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse

from api.web import DIST

SWAGGER_ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-favicon.png")
REDOC_ASSETS = ("redoc.standalone.js",)
VENDOR_URL = "/assets/vendor"  # where mount_web serves api/webapp/assets/vendor


def mount_docs(app: FastAPI, dist: Path = DIST) -> bool:
    """Add /docs and /redoc; True when they use the packaged assets."""
    vendor = dist / "assets" / "vendor"
    local = (dist / "index.html").is_file() and all(
        (vendor / name).is_file() for name in SWAGGER_ASSETS + REDOC_ASSETS)
    openapi_url = app.openapi_url or "/openapi.json"
    redirect = "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        title = f"{app.title} - Swagger UI"
        if not local:
            return get_swagger_ui_html(openapi_url=openapi_url, title=title,
                                       oauth2_redirect_url=redirect)
        return get_swagger_ui_html(openapi_url=openapi_url, title=title,
                                   oauth2_redirect_url=redirect,
                                   swagger_js_url=f"{VENDOR_URL}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{VENDOR_URL}/swagger-ui.css",
                                   swagger_favicon_url=f"{VENDOR_URL}/swagger-ui-favicon.png")

    @app.get(redirect, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    async def redoc_ui() -> HTMLResponse:
        title = f"{app.title} - ReDoc"
        if not local:
            return get_redoc_html(openapi_url=openapi_url, title=title)
        return get_redoc_html(openapi_url=openapi_url, title=title,
                              redoc_js_url=f"{VENDOR_URL}/redoc.standalone.js",
                              redoc_favicon_url=f"{VENDOR_URL}/swagger-ui-favicon.png",
                              with_google_fonts=False)

    return local
