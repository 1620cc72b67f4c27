"""The Anki deck of a Spanish course reads in Spanish: its true/false cards say Verdadero/Falso."""

from __future__ import annotations

import html
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from testkit.client import auth_headers, signup, wait_done
from tests.courses.test_study_api import open_apkg

SPANISH = Path(__file__).resolve().parents[2] / "evals" / "datasets" / "core" / "inflacion-es.srt"


@pytest.mark.parametrize("app_settings", ["sqlite"], indirect=True)
async def test_true_false_cards_of_a_spanish_course_are_in_spanish(app_settings, tmp_path):
    app = create_app(app_settings)  # the embedded extractive strategy, no model
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            token, _ = await signup(client)
            r = await client.post("/api/courses/generate", headers=auth_headers(token),
                                  json={"transcript": SPANISH.read_text(), "title": "Inflación"})
            assert r.status_code == 202, r.text
            course_id = r.json()["courseId"]
            done = await wait_done(client, token, course_id, timeout=120)
            assert done["final"]["status"] == "completed", done["final"]
            course = (await client.get(f"/api/courses/{course_id}",
                                       headers=auth_headers(token))).json()
            apkg = await client.get(f"/api/courses/{course_id}/export?format=apkg",
                                    headers=auth_headers(token))
    assert course["outline"]["language"] == "es"
    prompts = [q["prompt"] for s in course["sections"]
               for q in s["supplement"]["quiz"]["questions"] if q["type"] == "true_false"]
    assert prompts, "the course has no true/false question to check"
    notes = [row[0].split("\x1f") for row in
             open_apkg(apkg.content, tmp_path).execute("select flds from notes")]
    true_false = [(front, back) for front, back, *_ in notes
                  if any(front.startswith(html.escape(p)) for p in prompts)]
    assert len(true_false) == len(prompts)
    for front, back in true_false:
        assert front.endswith("\n- Verdadero\n- Falso"), front
        assert back.split("\n")[0] in ("Verdadero", "Falso"), back
        assert "True" not in front and not back.startswith(("True", "False"))
