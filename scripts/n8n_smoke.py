"""Real-n8n smoke test: run via scripts/n8n_smoke.sh (it installs n8n first if needed).

Pieces, all local: an aiosmtpd sink, a minimal API (the subscription webhook router on SQLite,
served by uvicorn), and n8n 1.123.81 with the shipped workflows. Events go through the real
OutboxDispatcher; the Stripe event goes Stripe-signed into n8n, which calls the API back.
Exit status 0 when every check passes; timings are printed at the end.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import AsyncIterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import httpx
import uvicorn
from aiosmtpd.controller import Controller
from fastapi import FastAPI
from sqlalchemy import select, update

from api.errors import install_error_handlers
from api.routes import webhooks
from core.config import Settings
from core.signing import sign
from db.models import Base, OutboxEvent, User
from db.outbox import enqueue_event
from db.session import make_engine, make_sessionmaker
from infra.outbox_dispatcher import OutboxDispatcher

ROOT = Path(__file__).resolve().parents[1]
N8N = ROOT / "n8n" / "node_modules" / ".bin" / "n8n"
EVENTS_SECRET = "smoke-events-secret-0123456789"
SUBSCRIPTION_SECRET = "smoke-subscription-secret-0123456789"
STRIPE_SECRET = "whsec_smoke_0123456789abcdef"
timings: dict[str, float] = {}
failures: list[str] = []


def check(ok: bool, what: str) -> None:
    print(("  ok   " if ok else "  FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Sink:
    """aiosmtpd handler keeping every message."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd API
        self.messages.append(
            message_from_bytes(envelope.content, policy=policy.default)  # type: ignore[arg-type]
        )
        return "250 OK"


def start_api(db_url: str, port: int) -> uvicorn.Server:
    settings = Settings(SUBSCRIPTION_WEBHOOK_SECRET=SUBSCRIPTION_SECRET)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(db_url)  # its own engine: this runs on uvicorn's thread/loop
        app.state.settings = settings
        app.state.sessionmaker = make_sessionmaker(engine)
        yield
        await engine.dispose()

    app = FastAPI(lifespan=lifespan)
    install_error_handlers(app)
    app.include_router(webhooks.router)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    return server


def n8n_env(folder: Path, port: int, api_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("N8N_")}
    env.update(
        N8N_USER_FOLDER=str(folder),
        N8N_PORT=str(port),
        N8N_LISTEN_ADDRESS="127.0.0.1",
        N8N_HOST="127.0.0.1",
        N8N_PROTOCOL="http",
        WEBHOOK_URL=f"http://127.0.0.1:{port}/",
        N8N_ENCRYPTION_KEY="smoke-test-encryption-key-0123456789",
        N8N_DIAGNOSTICS_ENABLED="false",
        N8N_VERSION_NOTIFICATIONS_ENABLED="false",
        N8N_TEMPLATES_ENABLED="false",
        N8N_PERSONALIZATION_ENABLED="false",
        N8N_HIRING_BANNER_ENABLED="false",
        N8N_SECURE_COOKIE="false",
        N8N_RUNNERS_ENABLED="false",
        N8N_BLOCK_ENV_ACCESS_IN_NODE="false",
        N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS="false",
        NODE_FUNCTION_ALLOW_BUILTIN="crypto",
        COURSEGEN_WEBHOOK_SECRET=EVENTS_SECRET,
        COURSEGEN_SUBSCRIPTION_SECRET=SUBSCRIPTION_SECRET,
        STRIPE_WEBHOOK_SECRET=STRIPE_SECRET,
        COURSEGEN_API_URL=f"http://127.0.0.1:{api_port}",
        COURSEGEN_APP_URL="http://localhost:3000",
        NO_COLOR="1",
    )
    return env


def n8n_cli(env: dict[str, str], *args: str) -> None:
    started = time.monotonic()
    proc = subprocess.run([str(N8N), *args], env=env, capture_output=True, text=True, timeout=300)
    print(f"  n8n {' '.join(args)}  ({time.monotonic() - started:.1f}s)", flush=True)
    if proc.returncode != 0:
        print(proc.stdout[-3000:], proc.stderr[-3000:], sep="\n")
        raise SystemExit(f"n8n {args[0]} failed")


def stripe_header(payload: bytes, ts: int | None = None) -> str:
    ts = int(time.time()) if ts is None else ts
    mac = hmac.new(STRIPE_SECRET.encode(), f"{ts}.".encode() + payload, hashlib.sha256)
    return f"t={ts},v1={mac.hexdigest()}"


async def wait_for(predicate, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await predicate():
            return True
        await asyncio.sleep(interval)
    return False


async def main() -> int:
    if not N8N.exists():
        raise SystemExit("n8n is not installed; run scripts/n8n_smoke.sh")
    t0 = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="n8n-smoke-"))
    db_url = f"sqlite+aiosqlite:///{tmp / 'api.db'}"
    engine = make_engine(db_url)
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    sm = make_sessionmaker(engine)
    user_id = uuid.uuid4()
    async with sm() as s, s.begin():
        s.add(User(id=user_id, email="ada@example.com", name="Ada"))

    sink = Sink()
    smtp_port, api_port, n8n_port = free_port(), free_port(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    api = start_api(db_url, api_port)
    n8n_proc: subprocess.Popen[bytes] | None = None
    try:
        env = n8n_env(tmp / "n8n", n8n_port, api_port)
        creds = tmp / "credentials.json"
        creds.write_text(json.dumps([{
            "id": "coursegenSmtp001", "name": "coursegen-smtp", "type": "smtp",
            "data": {"user": "", "password": "", "host": "127.0.0.1", "port": smtp_port,
                     "secure": False, "disableStartTls": True},
        }]))
        print("importing into", tmp / "n8n")
        t = time.monotonic()
        n8n_cli(env, "import:credentials", f"--input={creds}")
        for wf in sorted((ROOT / "n8n" / "workflows").glob("*.json")):
            n8n_cli(env, "import:workflow", f"--input={wf}")
        # Import deactivates; activation must happen before `n8n start`.
        for wid in ("coursegenEvents1", "coursegenStripe1"):
            n8n_cli(env, "update:workflow", f"--id={wid}", "--active=true")
        timings["import+activate"] = time.monotonic() - t

        log = open(tmp / "n8n.log", "wb")  # noqa: SIM115 - closed with the process
        t = time.monotonic()
        n8n_proc = subprocess.Popen([str(N8N), "start"], env=env, stdout=log, stderr=log)
        base = f"http://127.0.0.1:{n8n_port}"
        events_url = f"{base}/webhook/coursegen-events"
        async with httpx.AsyncClient(timeout=10) as http:

            async def healthy() -> bool:
                with contextlib.suppress(httpx.HTTPError):
                    return (await http.get(f"{base}/healthz")).status_code == 200
                return False

            ok = await wait_for(healthy, 180, 0.25)
            timings["start->healthz"] = time.monotonic() - t
            check(ok, "n8n /healthz answers")
            if not ok:
                raise SystemExit("n8n did not start; see " + str(tmp / "n8n.log"))

            async def webhook_ready() -> bool:
                with contextlib.suppress(httpx.HTTPError):
                    r = await http.post(events_url, content=b"{}", headers={
                        "Content-Type": "application/json"})
                    return r.status_code != 404
                return False

            ok = await wait_for(webhook_ready, 60, 0.25)
            timings["start->webhook ready"] = time.monotonic() - t
            check(ok, "events webhook registered")

            # 1. Events through the real outbox dispatcher -> e-mails at the sink.
            async with sm() as s, s.begin():
                welcome = await enqueue_event(s, event_type="user.signed_up", payload={
                    "userId": user_id, "email": "ada@example.com", "name": "Ada"})
                await enqueue_event(s, event_type="course.completed", payload={
                    "userId": user_id, "email": "ada@example.com", "name": "Ada",
                    "courseId": "c0ffee00-0000-4000-8000-000000000001",
                    "title": "Rust in 20 minutes"})
            dispatcher = OutboxDispatcher(
                sm, Settings(N8N_WEBHOOK_URL=events_url, N8N_WEBHOOK_SECRET=EVENTS_SECRET))
            t = time.monotonic()
            delivered = await dispatcher.run_once()
            check(delivered == 2, f"dispatcher delivered 2 events (got {delivered})")

            async def two_mails() -> bool:
                return len(sink.messages) >= 2

            check(await wait_for(two_mails, 30), "2 e-mails reached the SMTP sink")
            timings["dispatch->2 e-mails"] = time.monotonic() - t
            subjects = sorted(str(m["Subject"]) for m in sink.messages)
            print("  subjects:", subjects)
            check(any("Welcome to Coursegen, Ada" in s for s in subjects), "welcome e-mail")
            check(any('"Rust in 20 minutes" is ready' in s for s in subjects),
                  "course-ready e-mail")
            check(all(m["To"] == "ada@example.com" for m in sink.messages), "sent to the user")
            ready = next(m for m in sink.messages if "ready" in str(m["Subject"]))
            check("/courses/c0ffee00-0000-4000-8000-000000000001" in ready.get_content(),
                  "course link in the body")

            # 2. A resend after a lost commit (same event id): acknowledged, no second e-mail.
            async with sm() as s, s.begin():
                await s.execute(update(OutboxEvent).where(OutboxEvent.id == welcome.id)
                                .values(delivered_at=None, next_attempt_at=welcome.created_at))
            check(await dispatcher.run_once() == 1, "resend acknowledged")
            probe = await http.post(events_url, content=b"{}", headers={
                "Content-Type": "application/json"})
            check(probe.status_code == 401, f"unsigned event rejected (got {probe.status_code})")
            await asyncio.sleep(2)
            check(len(sink.messages) == 2, "duplicate event id sent no e-mail")

            # 3. Tampered body -> 401 from the workflow, no e-mail.
            body = json.dumps({"id": str(uuid.uuid4()), "type": "user.signed_up",
                               "createdAt": "2026-11-25T00:00:00Z",
                               "payload": {"email": "eve@example.com"}}).encode()
            r = await http.post(events_url, content=body.replace(b"eve", b"bob"), headers={
                "Content-Type": "application/json",
                "X-Coursegen-Signature": sign(body, EVENTS_SECRET)})
            check(r.status_code == 401 and r.json()["error"]["code"] == "invalid_signature",
                  f"tampered event rejected with 401 (got {r.status_code} {r.text[:200]})")
            r = await http.post(events_url, content=body, headers={
                "Content-Type": "application/json",
                "X-Coursegen-Signature": sign(body, EVENTS_SECRET, ts=int(time.time()) - 3600)})
            check(r.status_code == 409, f"stale event rejected with 409 (got {r.status_code})")
            await dispatcher.aclose()

            # 4. Stripe checkout -> n8n verifies -> signed callback -> user is pro.
            stripe_url = f"{base}/webhook/stripe"
            checkout = json.dumps({
                "id": "evt_smoke_1", "object": "event", "type": "checkout.session.completed",
                "data": {"object": {"id": "cs_1", "object": "checkout.session",
                                    "client_reference_id": str(user_id), "customer": "cus_1",
                                    "subscription": "sub_1", "payment_status": "paid",
                                    "customer_details": {"email": "ada@example.com"}}},
            }).encode()
            r = await http.post(stripe_url, content=checkout, headers={
                "Content-Type": "application/json", "Stripe-Signature": "t=1,v1=deadbeef"})
            check(r.status_code == 400, f"bad Stripe signature -> 400 (got {r.status_code})")
            t = time.monotonic()
            r = await http.post(stripe_url, content=checkout, headers={
                "Content-Type": "application/json", "Stripe-Signature": stripe_header(checkout)})
            timings["stripe event round trip"] = time.monotonic() - t
            check(r.status_code == 200, f"signed Stripe event accepted (got {r.status_code})")
            print(f"  stripe response body: {r.text[:200]!r}")
            async with sm() as s:
                user = await s.get(User, user_id)
                events = (await s.scalars(select(OutboxEvent).where(
                    OutboxEvent.event_type == "subscription.changed"))).all()
            check(user is not None and user.subscription_tier == "pro"
                  and user.subscription_status == "active", "user upgraded to pro via n8n")
            check(len(events) == 1, "subscription.changed enqueued")
            deleted = json.dumps({
                "id": "evt_smoke_2", "object": "event", "type": "customer.subscription.deleted",
                "data": {"object": {"id": "sub_1", "object": "subscription", "status": "canceled",
                                    "metadata": {"userId": str(user_id)},
                                    "ended_at": 1_800_000_000}},
            }).encode()
            r = await http.post(stripe_url, content=deleted, headers={
                "Content-Type": "application/json", "Stripe-Signature": stripe_header(deleted)})
            async with sm() as s:
                user = await s.get(User, user_id)
            check(r.status_code == 200 and user is not None and user.subscription_tier == "free"
                  and user.subscription_status == "canceled", "subscription deleted -> free")
    finally:
        if n8n_proc is not None:
            n8n_proc.terminate()
            try:
                n8n_proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                n8n_proc.kill()
        api.should_exit = True
        controller.stop()
        await engine.dispose()
    timings["total"] = time.monotonic() - t0
    print("\ntimings (s):", json.dumps({k: round(v, 1) for k, v in timings.items()}))
    if failures:
        print(f"{len(failures)} check(s) failed; n8n log: {tmp / 'n8n.log'}")
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    print("n8n smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
