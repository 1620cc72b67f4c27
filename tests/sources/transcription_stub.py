"""A local OpenAI-compatible transcription server: POST /v1/audio/transcriptions (multipart),
answering verbose_json with segment timestamps, as OpenAI and faster-whisper servers do.

Real HTTP on 127.0.0.1 (the openai SDK runs unchanged); records every request's form fields,
file bytes and Authorization header.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def speech(lines: list[tuple[float, float, str]], language: str = "english") -> dict[str, Any]:
    return {"task": "transcribe", "language": language, "duration": lines[-1][1],
            "text": " ".join(t for *_, t in lines),
            "segments": [{"id": i, "seek": 0, "start": a, "end": b, "text": f" {t}",
                          "tokens": [], "temperature": 0.0, "avg_logprob": -0.2,
                          "compression_ratio": 1.2, "no_speech_prob": 0.01}
                         for i, (a, b, t) in enumerate(lines)]}


@dataclass
class Stub:
    url: str = ""
    answer: dict[str, Any] = field(default_factory=dict)
    status: int = 200
    requests: list[dict[str, Any]] = field(default_factory=list)


@contextmanager
def transcription_server(answer: dict[str, Any], status: int = 200) -> Iterator[Stub]:
    stub = Stub(answer=answer, status=status)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            head = f"Content-Type: {self.headers['content-type']}\r\n\r\n".encode()
            message = BytesParser(policy=HTTP).parsebytes(head + body)
            fields: dict[str, list[str]] = {}
            files: dict[str, tuple[str | None, bytes]] = {}
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True) or b""
                if part.get_filename():
                    files[str(name)] = (part.get_filename(), payload)
                else:
                    fields.setdefault(str(name), []).append(payload.decode())
            stub.requests.append({"path": self.path, "fields": fields, "files": files,
                                  "authorization": self.headers.get("authorization")})
            out = (json.dumps(stub.answer) if stub.status == 200 else
                   json.dumps({"error": {"message": "unsupported audio", "type": "invalid"}}))
            self.send_response(stub.status)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(out.encode())

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stub.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
