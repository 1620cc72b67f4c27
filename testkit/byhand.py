"""A model endpoint answered by hand: an OpenAI-compatible server that writes each chat request
to a folder and waits for someone (a person, or a model in another window) to write the answer.

    python -m testkit.byhand --dir DIR [--port 8765] [--wait 3600]

Each request arrives as `DIR/pending/NNN-<Schema>-<key>.md` (the messages and the JSON schema
of the answer, readable) next to `.request.json` (the raw body). Write the answer, the JSON the
schema asks for, to `DIR/answers/NNN-<Schema>-<key>.json`; the server replies with it and
records the pair in the cassette `DIR/cassette/` (testkit/cassette.py), so a second run with
the same prompts is answered from the recording at once and tests can replay the whole course.
See docs/BYHAND.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from testkit.cassette import Cassette, _schema_of, completion, normalized, request_key
from testkit.http import send_json

POLL_SECONDS = 0.2


def readable(body: dict[str, Any]) -> str:
    """The request as a person reads it: each message, then the schema of the answer."""
    norm = normalized(body)
    parts = [f"# {norm['schema_name']} request\n"]
    parts += [f"## {m['role']}\n\n{m['content']}\n" for m in norm["messages"]]
    parts.append("## answer schema (write the JSON object it describes)\n\n```json\n"
                 + json.dumps(norm["schema"], indent=1) + "\n```\n")
    return "\n".join(parts)


class ByHandServer:
    """Serve /v1/chat/completions on 127.0.0.1:`port` from a background thread."""

    def __init__(self, folder: Path, *, port: int = 0, wait_seconds: float = 3600) -> None:
        self.folder = folder
        self.pending = folder / "pending"
        self.answers = folder / "answers"
        for d in (self.pending, self.answers):
            d.mkdir(parents=True, exist_ok=True)
        self.cassette = Cassette.load(folder / "cassette")
        self.wait_seconds = wait_seconds
        self._numbers = itertools.count(len(self.cassette.recordings) + 1)
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self.send_error(404)
                    return
                answer = owner.answer_for(body)
                if answer is None:
                    send_json(self, 504, {"error": {"message": "no answer written in time",
                                                    "type": "timeout", "code": None}})
                    return
                send_json(self, 200, completion(body, answer))

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def answer_for(self, body: dict[str, Any]) -> Any | None:
        key = request_key(body)
        with self._lock:
            known = self.cassette.recordings.get(key)
            if known is not None:
                self.cassette.used.add(key)
                return known["answer"]
            stem = f"{next(self._numbers):03d}-{_schema_of(body)[0]}-{key}"
        (self.pending / f"{stem}.request.json").write_text(
            json.dumps(body, indent=1, ensure_ascii=False), encoding="utf-8")
        (self.pending / f"{stem}.md").write_text(readable(body), encoding="utf-8")
        path = self.answers / f"{stem}.json"
        deadline = time.monotonic() + self.wait_seconds
        while time.monotonic() < deadline:
            if path.exists():
                try:
                    answer = json.loads(path.read_text(encoding="utf-8"))
                except json.JSONDecodeError:  # still being written
                    time.sleep(POLL_SECONDS)
                    continue
                with self._lock:
                    self.cassette.save(body, answer, stem)
                    self.cassette.used.add(key)
                for done in self.pending.glob(f"{stem}.*"):
                    done.unlink()
                return answer
            time.sleep(POLL_SECONDS)
        return None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> ByHandServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--wait", type=float, default=3600, help="seconds to wait per answer")
    args = parser.parse_args()
    with ByHandServer(args.dir, port=args.port, wait_seconds=args.wait) as server:
        print(f"answering {server.base_url} by hand: requests in {server.pending}, "
              f"answers to {server.answers}", flush=True)
        try:
            server.thread.join()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
