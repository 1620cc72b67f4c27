"""Reader-suite report: shares pooled over the set, failures count as worst, the bar decides
"learner-ready", and a lower-is-better figure that falls is shown as better."""

from __future__ import annotations

from rich.console import Console

from evals.report import ItemReport, Report, learner_ready, render_diff, render_table


def _item(iid: str, flawed: tuple[int, int], titles: tuple[int, int]) -> ItemReport:
    return ItemReport(id=iid, scores={"items_flawed": flawed[0] / flawed[1],
                                      "titles": titles[0] / titles[1]},
                      counts={"items_flawed": flawed, "titles": titles},
                      findings={"items_flawed": [{"where": "s1 q1", "reason": "negative stem",
                                                  "text": "Which is NOT a list?"}]})


def test_totals_are_pooled_and_a_failure_counts_as_worst():
    report = Report(model="m", suite="reader",
                    items=[_item("a", (1, 10), (9, 10)), _item("b", (1, 2), (2, 2))])
    report.compute_totals()
    assert report.totals["items_flawed"] == round(2 / 12, 4)  # not the mean of 0.1 and 0.5
    assert report.totals["titles"] == round(11 / 12, 4)
    report.items.append(ItemReport(id="c", error="boom"))
    report.compute_totals()
    assert report.totals["items_flawed"] == round(3 / 13, 4)
    assert report.totals["titles"] == round(11 / 13, 4)


def test_learner_ready_needs_every_bar():
    assert learner_ready(_item("a", (1, 10), (9, 10)))  # flawed 0.10 <= 0.15, titles 0.9
    assert not learner_ready(_item("b", (1, 2), (2, 2)))  # half the items flawed
    assert not learner_ready(ItemReport(id="c", error="boom"))


def test_table_and_diff_read_the_right_way():
    console = Console(record=True, width=200)
    before = Report(model="m", suite="reader", items=[_item("b", (1, 2), (2, 2))])
    now = Report(model="m", suite="reader", items=[_item("b", (1, 10), (9, 10))])
    before.compute_totals()
    now.compute_totals()
    render_table(now, console)
    render_diff(now, before, console)
    segments = [(seg.text, str(seg.style)) for seg in console._record_buffer]
    text = console.export_text()
    assert "learner-ready 1/1" in text and "worst items" in text and "negative stem" in text
    # fewer flawed items is better: shown in green although the figure went down; fewer good
    # titles is worse: red
    assert "▼ -0.400" in text and "▼ -0.100" in text
    style_of = {t.strip().lstrip("▼ "): st for t, st in segments
                if t.strip().lstrip("▼ ") in ("-0.400", "-0.100")}
    assert "green" in style_of["-0.400"] and "red" in style_of["-0.100"]
