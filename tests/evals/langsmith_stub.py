"""A LangSmith API stand-in on 127.0.0.1: the few endpoints the real `langsmith` client calls for
evals/langsmith_upload.py (found by logging every request), with the records kept in memory.

It answers /info with a batch-ingest config that turns the client's multipart ingestion off, so
runs arrive as plain JSON on /runs/batch (a setting real servers advertise too). Anything else
gets a 404 and stays in `unknown`, so a test sees a call the stub does not know.
"""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from testkit.http import send_json

TENANT = "00000000-0000-4000-8000-000000000001"


def _now() -> str:
    return datetime.now(UTC).isoformat()


class LangSmithStub:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        self.unknown: list[tuple[str, str]] = []
        self.datasets: dict[str, dict[str, Any]] = {}
        self.examples: dict[str, dict[str, Any]] = {}
        self.sessions: dict[str, dict[str, Any]] = {}
        self.runs: dict[str, dict[str, Any]] = {}
        self.feedback: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> LangSmithStub:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- the API -------------------------------------------------------------------------------

    def handle(self, method: str, path: str, query: dict[str, list[str]], body: Any
               ) -> tuple[int, Any]:
        parts = path.strip("/").split("/")
        one = {k: v[0] for k, v in query.items()}
        match method, parts:
            case "GET", ["info"]:
                return 200, {"version": "0.10.0", "instance_flags": {},
                             "batch_ingest_config": {
                                 "use_multipart_endpoint": False, "size_limit": 100,
                                 "size_limit_bytes": None, "scale_up_nthreads_limit": 16,
                                 "scale_up_qsize_trigger": 1000, "scale_down_nempty_trigger": 4}}
            case "GET", ["datasets"]:
                found = [d for d in self.datasets.values()
                         if "name" not in one or d["name"] == one["name"]]
                return 200, found
            case "GET", ["datasets", ds_id] if ds_id in self.datasets:
                return 200, self.datasets[ds_id]
            case "POST", ["datasets"]:
                ds = {"id": str(uuid.uuid4()), "created_at": _now(), "modified_at": _now(),
                      "example_count": 0, "session_count": 0, **body}
                self.datasets[ds["id"]] = ds
                return 200, ds
            case "POST", ["examples", "bulk"]:
                made = []
                for ex in body:
                    ex = {"id": str(uuid.uuid4()), "created_at": _now(), "modified_at": _now(),
                          **ex}
                    ex["id"] = str(ex["id"])
                    self.examples[ex["id"]] = ex
                    made.append(ex)
                return 200, made
            case "GET", ["examples"]:
                ds_id = one.get("dataset")
                found = [e for e in self.examples.values() if e["dataset_id"] == ds_id]
                offset, limit = int(one.get("offset", 0)), int(one.get("limit", 100))
                return 200, found[offset : offset + limit]
            case "GET", ["sessions"]:  # the client probes the projects; the stub lists none
                return 200, []
            case "POST", ["sessions"]:
                sess = {"id": str(body.get("id") or uuid.uuid4()), "tenant_id": TENANT,
                        "start_time": _now(), "reference_dataset_id": None, **body}
                self.sessions[sess["id"]] = sess
                return 200, sess
            case "PATCH", ["sessions", sess_id] if sess_id in self.sessions:
                self.sessions[sess_id].update({k: v for k, v in body.items() if v is not None})
                return 200, self.sessions[sess_id]
            case "POST", ["runs", "batch"]:
                for run in body.get("post", []):
                    self.runs[str(run["id"])] = run
                for run in body.get("patch", []):
                    self.runs.setdefault(str(run["id"]), {}).update(run)
                return 200, {}
            case "POST", ["feedback"]:
                self.feedback.append(body)
                return 200, body
        self.unknown.append((method, path))
        return 404, {"detail": f"stub: no {method} {path}"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                url = urlsplit(self.path)
                with stub._lock:
                    stub.requests.append((self.command, url.path))
                    status, payload = stub.handle(self.command, url.path, parse_qs(url.query),
                                                  json.loads(raw) if raw else {})
                send_json(self, status, payload)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

            def log_message(self, *args: object) -> None:  # keep pytest output clean
                pass

        return Handler
