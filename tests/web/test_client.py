"""The typed TypeScript client: generated from the live /openapi.json, committed, and driven
through the whole flow under `tsc --strict` against a real API process."""

from __future__ import annotations

import json

import httpx
import pytest

from scripts.export_openapi import openapi_document
from tests.web.conftest import ROOT, WEB, ApiProcess, node_missing_reason, npm

SAMPLE = ROOT / "samples" / "sample_lecture.srt"


@pytest.fixture(autouse=True)
def _needs_node() -> None:
    reason = node_missing_reason()
    if reason:
        pytest.skip(reason)


def test_committed_client_matches_the_live_schema(api_process: ApiProcess, tmp_path) -> None:
    """The served /openapi.json, the committed web/openapi.json and the committed generated
    types agree; run `npm run gen:client` in web/ after changing the API."""
    live = httpx.get(f"{api_process.base_url}/openapi.json").json()
    assert live == openapi_document(), "export_openapi.py differs from the served document"
    committed = json.loads((WEB / "openapi.json").read_text())
    assert committed == live, "web/openapi.json is stale: run `npm run gen:client` in web/"
    (tmp_path / "openapi.json").write_text(json.dumps(live))
    out = tmp_path / "schema.d.ts"
    done = npm("exec", "--", "openapi-typescript", str(tmp_path / "openapi.json"), "-o", str(out))
    assert done.returncode == 0, done.stderr[-2000:]
    assert out.read_text() == (WEB / "src" / "api" / "schema.d.ts").read_text(), (
        "web/src/api/schema.d.ts is stale: run `npm run gen:client` in web/")


def test_whole_flow_through_the_typed_client(api_process: ApiProcess) -> None:
    """signup → generate from transcript text → poll → get → edit outline (409 on a stale
    ETag) → regenerate → export md and JSON, in TypeScript compiled with --strict."""
    done = npm("run", "test:contract",
               env={"API_URL": api_process.base_url, "TRANSCRIPT_FILE": str(SAMPLE)})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "contract flow ok" in done.stdout

