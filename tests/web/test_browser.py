"""The web app in Debian's Chromium (playwright-core, web/tests/e2e/run.mjs) against
`coursegen serve` serving the freshly built web/dist, with the scripted fake LLM."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.courses.test_playlist_modules import PLAYLIST
from tests.web.conftest import ROOT, ApiProcess, node_missing_reason, npm, serve

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
SAMPLE = ROOT / "samples" / "sample_lecture.srt"
SCREENSHOTS = ROOT / "docs" / "screenshots"
SCREENS = ("sign-in", "new-course", "progress", "course", "outline-editor")


@pytest.fixture(scope="module")
def web_api(request: pytest.FixtureRequest) -> ApiProcess:
    reason = node_missing_reason() or (None if CHROMIUM.exists() else
                                       f"{CHROMIUM} missing: apt-get install -y chromium")
    if reason:
        pytest.skip(reason)
    built = npm("run", "build")  # before the API starts: it serves api/webapp
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    # the package ships the built app: a rebuild from the committed source must match it
    drift = subprocess.run(["git", "status", "--porcelain", "--", "api/webapp"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout
    assert drift == "", f"api/webapp differs from a rebuild; commit the rebuilt app:\n{drift}"
    api: ApiProcess = request.getfixturevalue("api_process")
    return api


def test_the_page_is_served_with_a_strict_csp(web_api: ApiProcess) -> None:
    page = httpx.get(f"{web_api.base_url}/")
    assert page.status_code == 200 and '<main id="app"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    # the page does not shadow the API: unknown API paths stay JSON 404s, wrong methods 405s
    assert httpx.get(f"{web_api.base_url}/api/nope").json()["error"]["code"] == "not_found"
    assert httpx.get(f"{web_api.base_url}/api/courses/generate").status_code == 405


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "mobile"])
def test_the_whole_flow_in_chromium(web_api: ApiProcess, width: int, tmp_path: Path) -> None:
    """sign up → generate → watch progress → read → quiz (score still shown after a reload)
    → rename a section → only that section regenerates → export (Markdown and JSON)
    → the mind map drawn as an SVG. Each main screen passes axe-core with no serious or
    critical violation; the desktop run
    saves their screenshots (to docs/screenshots, committed and shown in the README, only with
    UPDATE_SCREENSHOTS=1: a test run leaves the working tree clean)."""
    env = {"API_URL": web_api.base_url, "TRANSCRIPT_FILE": str(SAMPLE), "CHROMIUM": str(CHROMIUM),
           "VIEWPORT_WIDTH": str(width)}
    shots = SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path
    if width >= 1024:
        env["SCREENSHOT_DIR"] = str(shots)
    done = npm("run", "test:e2e", env=env, timeout=240)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    for step in ("per-section events", "the saved quiz score is shown after a reload",
                 "only the renamed section regenerated (1 of",
                 "the new title is shown without its markup",
                 "md export downloaded", "json export downloaded", "mind map SVG shows all",
                 "planted script never ran"):
        assert f"ok - {step}" in done.stdout, done.stdout[-4000:]
    for name in SCREENS:
        assert f"ok - axe: no serious violation on {name}" in done.stdout, done.stdout[-4000:]
        if "SCREENSHOT_DIR" in env:
            assert (shots / f"{name}.png").stat().st_size > 0


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "mobile"])
def test_failures_spanish_and_review_in_chromium(web_api: ApiProcess, width: int) -> None:
    """What a learner meets when things go wrong, and in Spanish: the landing page (what the app
    does, Enter for a new user hints to create an account, favicon, skip link); the progress
    view follows a dropped stream again to the end; a 5xx on the
    course list and a network failure on the course (page.route) read as human messages with a
    retry that works; a quiz score the server could not take is kept in localStorage and saved
    once it answers; a short answer with a trailing period is right and a worse retake keeps the
    better saved score; the review screen rates a due card and shows its next date; a Spanish
    course has lang="es" and no English interface word; axe finds no violation of any impact
    on the landing, home, course, review and Spanish course screens, at both widths."""
    env = {"API_URL": web_api.base_url, "TRANSCRIPT_FILE": str(SAMPLE), "CHROMIUM": str(CHROMIUM),
           "VIEWPORT_WIDTH": str(width)}
    done = npm("run", "test:e2e:resilience", env=env, timeout=240)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    for step in ("Enter for a new user hints to create an account", "a failed list does not blank",
                 "the progress view reconnects after a dropped stream",
                 "a network failure reads", "an unsaved score is kept on the device",
                 "the kept score reached the server once it answered",
                 "every right answer marked correct, the short one with a trailing period",
                 "a worse retake keeps the better saved score", "a card rated",
                 'lang="es" on a Spanish course', "no English interface word in the Spanish course",
                 "the review screen is in Spanish", "no 404 for the page's own files",
                 *(f"axe: no violation on {screen}"
                   for screen in ("landing", "home", "course", "review", "Spanish course"))):
        assert f"ok - {step}" in done.stdout, done.stdout[-4000:]


@pytest.fixture(scope="module")
def playlist_api(web_api: ApiProcess, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[ApiProcess]:
    """A second API whose YouTube is the offline fake playlist (two videos), extractive."""
    yield from serve(tmp_path_factory, ["tests.web.playlist_server"], {})


def test_a_playlist_course_in_chromium(playlist_api: ApiProcess) -> None:
    """A playlist course: its sections under a heading per video, and every time played in
    its own video at (time − the video's offset on the playlist's timeline)."""
    env = {"API_URL": playlist_api.base_url, "PLAYLIST_URL": PLAYLIST, "CHROMIUM": str(CHROMIUM),
           "QUESTION": "What are sharding partition keys?"}
    done = npm("run", "test:e2e:playlist", env=env, timeout=240)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "ok - module headings: Module 1: Queues without tears | " \
        "Module 2: Databases at scale" in done.stdout, done.stdout[-4000:]
    for step in ("module 2's section lists under its heading", "the module 2 section embeds",
                 "its time seeks module 2's video at", "a tutor source in module 2 loads",
                 "no dialogs or page errors"):
        assert f"ok - {step}" in done.stdout, done.stdout[-4000:]
