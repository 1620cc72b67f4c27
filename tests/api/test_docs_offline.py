"""/docs and /redoc load every script, style and icon from the API itself (offline-ready)."""

from __future__ import annotations

from html.parser import HTMLParser

import httpx
import pytest
from fastapi import FastAPI

from api.docs import mount_docs


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        url = found.get("src") if tag == "script" else found.get("href") if tag == "link" else None
        if url:
            self.urls.append(url)


@pytest.mark.parametrize("app_settings", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("page", "expected"), [
    ("/docs", {"swagger-ui-bundle.js": "javascript", "swagger-ui.css": "text/css",
               "swagger-ui-favicon.png": "image/png"}),
    ("/redoc", {"redoc.standalone.js": "javascript", "swagger-ui-favicon.png": "image/png"}),
])
async def test_every_asset_of_the_page_is_served_locally(client: httpx.AsyncClient, page,
                                                         expected):
    html = await client.get(page)
    assert html.status_code == 200
    parser = _Assets()
    parser.feed(html.text)
    assert {url.rsplit("/", 1)[-1] for url in parser.urls} == set(expected)
    for url in parser.urls:
        assert url.startswith("/assets/vendor/"), url  # not a CDN
        asset = await client.get(url)
        assert asset.status_code == 200, url
        assert expected[url.rsplit("/", 1)[-1]] in asset.headers["content-type"]
        assert len(asset.content) > 500
    assert "fonts.googleapis.com" not in html.text


async def test_without_the_built_assets_the_pages_fall_back_to_the_cdn(tmp_path):
    app = FastAPI(docs_url=None, redoc_url=None)
    assert mount_docs(app, tmp_path) is False
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert "cdn.jsdelivr.net" in (await client.get("/docs")).text
        assert "cdn.jsdelivr.net" in (await client.get("/redoc")).text
