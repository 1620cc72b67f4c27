"""Upload an eval run to LangSmith as a dataset + experiment (only with LANGSMITH_API_KEY).

The courses are already generated and scored locally; the experiment's target just returns the
stored scores, so LangSmith shows the same numbers as the local report, per item and metric.
"""

from __future__ import annotations

from rich.console import Console

from evals.dataset import EvalItem
from evals.report import Report


def upload(report: Report, items: list[EvalItem], *, console: Console) -> None:
    from langsmith import Client, evaluate

    client = Client()
    name = f"coursegen-evals-{report.dataset.rstrip('/').rsplit('/', 1)[-1]}"
    if client.has_dataset(dataset_name=name):
        dataset = client.read_dataset(dataset_name=name)
        known = {(ex.inputs or {}).get("id") for ex in client.list_examples(dataset_id=dataset.id)}
    else:
        dataset = client.create_dataset(name, description="coursegen eval transcripts")
        known = set()
    new = [it for it in items if it.id not in known]
    if new:
        client.create_examples(
            dataset_id=dataset.id,
            inputs=[{"id": it.id, "content_hash": it.content_hash,
                     "transcript": it.transcript.text[:20000],
                     "preferences": it.preferences.model_dump(exclude_none=True)} for it in new],
            outputs=[it.reference.model_dump() if it.reference else {} for it in new],
        )
    by_id = {it.id: it for it in report.items}

    def target(inputs: dict) -> dict:
        it = by_id.get(inputs["id"])
        return {"scores": it.scores if it else {}, "comments": it.comments if it else {}}

    def scores(outputs: dict) -> dict:
        # several scores from one evaluator: LangSmith's {"results": [...]} form
        return {"results": [{"key": k, "score": v, "comment": outputs["comments"].get(k, "")}
                            for k, v in outputs["scores"].items() if v is not None]}

    # This run's examples only: the dataset keeps every item ever uploaded under its name, and an
    # example this run did not score would show up in the experiment with no scores.
    examples = [ex for ex in client.list_examples(dataset_id=dataset.id)
                if (ex.inputs or {}).get("id") in by_id]
    evaluate(target, data=examples, evaluators=[scores], client=client,
             experiment_prefix=f"{report.model}",
             metadata={"model": report.model, "prompt_versions": report.prompt_versions,
                       "embedding_backend": report.embedding_backend})
    # Runs (and, with multipart ingestion, feedback) leave through the client's background queue;
    # send them before saying they are uploaded, not at interpreter exit.
    client.flush()
    console.print(f"uploaded to LangSmith dataset {name!r}")
