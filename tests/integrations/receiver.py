"""A tiny recording webhook receiver on 127.0.0.1 (stdlib http.server in a thread).

It behaves like a careful n8n webhook: optionally verifies X-Coursegen-Signature, dedupes on
X-Coursegen-Event-Id, and can be told to fail or be stopped and restarted on the same port.
"""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from core.signing import (
    EVENT_ID_HEADER,
    SIGNATURE_HEADER,
    MemoryReplayGuard,
    SignatureError,
    verify,
)


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class RecordingReceiver:
    verify_secret: str | None = None
    tolerance: int = 300
    fail_next: int = 0  # answer 500 to this many requests first
    requests: list[Received] = field(default_factory=list)
    processed_ids: list[str] = field(default_factory=list)  # after dedup: what a workflow runs
    port: int = 0
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _guard: MemoryReplayGuard = field(default_factory=MemoryReplayGuard)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhook/coursegen-events"

    def start(self) -> RecordingReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server API
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status = receiver._handle(dict(self.headers.items()), body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        if not self.port:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                self.port = s.getsockname()[1]
        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _handle(self, headers: dict[str, str], body: bytes) -> int:
        with self._lock:
            self.requests.append(Received(headers, body))
            if self.fail_next > 0:
                self.fail_next -= 1
                return 500
            if self.verify_secret is not None:
                try:
                    verify(
                        body,
                        headers.get(SIGNATURE_HEADER),
                        self.verify_secret,
                        self.tolerance,
                        replay_guard=self._guard,
                    )
                except SignatureError:
                    return 401
            event_id = headers.get(EVENT_ID_HEADER, "")
            if event_id not in self.processed_ids:
                self.processed_ids.append(event_id)
            return 200
