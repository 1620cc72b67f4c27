from pathlib import Path

import pytest

from evals.dataset import load_dataset
from tests.evals.conftest import CORE

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "transcripts"


def test_core_dataset_is_varied(core_items):
    assert len(core_items) >= 6
    durations = [i.transcript.duration / 60 for i in core_items.values()]
    assert min(durations) >= 5 and max(durations) >= 110  # 5 minutes to ~2 hours
    languages = {i.expected_language for i in core_items.values()}
    assert {"en", "es"} <= languages
    assert any(i.reference.structure == "none" for i in core_items.values())
    assert any(i.reference.forbidden for i in core_items.values())  # the injection item
    for item in core_items.values():
        assert item.reference is not None, item.id
        assert item.reference.key_concepts and item.reference.facts


def test_references_agree_with_their_transcripts(core_items):
    # Every fact's answer (or an accepted phrasing) is actually said in the transcript.
    from evals.text import normalise

    for item in core_items.values():
        text = normalise(item.transcript.text)
        for fact in item.reference.facts:
            said = [normalise(t) for t in [fact.answer, *fact.accept]]
            if item.id == "compound-interest" and fact.answer == "false":
                continue  # the injection claims it; the lesson must not
            assert any(s in text for s in said), (item.id, fact.answer)


def test_content_hash_changes_with_content(tmp_path):
    src = CORE / "photosynthesis.srt"
    (tmp_path / "a.srt").write_text(src.read_text())
    first = load_dataset(tmp_path)[0].content_hash
    (tmp_path / "a.srt").write_text(src.read_text().replace("chlorophyll", "chlorophyl"))
    assert load_dataset(tmp_path)[0].content_hash != first


def test_folder_without_references(tmp_path):
    (tmp_path / "talk.vtt").write_text("WEBVTT\n\n00:00:00.000 --> 00:00:04.000\nHello there.\n")
    (tmp_path / "notes.md").write_text("not a transcript")
    items = load_dataset(tmp_path)
    assert [i.id for i in items] == ["talk"] and items[0].reference is None


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared/data/transcripts not present")
def test_shared_transcripts_load():
    items = load_dataset(SHARED)
    assert items and all(i.transcript.segments for i in items)


def test_empty_folder_is_an_error(tmp_path):
    with pytest.raises(ValueError):
        load_dataset(tmp_path)


def test_real_reference_fields_reach_the_item(tmp_path):
    """concepts give key_concepts when those are empty; video_chapters become the transcript's
    chapters, which the generator uses as sections."""
    import json

    from evals.dataset import load_item

    (tmp_path / "x.srt").write_text("1\n00:00:00,000 --> 00:00:05,000\nLists are mutable.\n\n"
                                    "2\n00:01:00,000 --> 00:01:05,000\nTuples are not.\n",
                                    encoding="utf-8")
    (tmp_path / "x.ref.json").write_text(json.dumps({
        "source": {"title": "X", "licence": "CC BY 4.0", "speaker": "A. Speaker"},
        "video_chapters": [{"start": 0, "title": "Lists"}, {"start": 60, "title": "Tuples"}],
        "sections": [{"title": "Lists", "start": 0, "end": 60},
                     {"title": "Tuples", "start": 60, "end": 65}],
        "concepts": [{"term": "list", "aliases": ["lists"], "first_seconds": 0},
                     {"term": "tuple"}],
    }), encoding="utf-8")
    item = load_item(tmp_path / "x.srt")
    assert item.reference is not None
    assert item.reference.key_concepts == [["list", "lists"], ["tuple"]]
    assert item.transcript.chapters == [(0.0, "Lists"), (60.0, "Tuples")]
