"""The webhook replay guard is shared through Redis: a signature one API process accepted is
refused by another (two apps on one REDIS_URL), and an unreachable Redis refuses with a 503
instead of letting the payload through unchecked."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from api.errors import install_error_handlers
from api.routes.webhooks import router
from core.config import Settings
from core.signing import SIGNATURE_HEADER, MemoryReplayGuard, sign
from db.models import Base
from db.session import make_engine, make_sessionmaker
from infra.replay_guard import RedisReplayGuard, make_replay_guard
from testkit.services import need_redis

SECRET = "sub-webhook-secret-0123456789"


def _app(redis_url: str | None, data_dir: Path, sm: object = None) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(router)
    app.state.sessionmaker = sm
    app.state.settings = Settings(_env_file=None, COURSEGEN_DATA_DIR=data_dir,  # type: ignore[call-arg]
                                  SUBSCRIPTION_WEBHOOK_SECRET=SECRET, REDIS_URL=redis_url,
                                  WEBHOOK_TOLERANCE_SECONDS=300)
    return app


async def _post(app: FastAPI, body: bytes, header: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        return await c.post("/api/webhooks/subscription", content=body,
                            headers={SIGNATURE_HEADER: header})


@pytest.fixture
async def sm(tmp_path: Path) -> AsyncIterator[object]:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'app.db'}")
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    yield make_sessionmaker(engine)
    await engine.dispose()


def test_the_guard_follows_redis_url(tmp_path: Path) -> None:
    assert isinstance(make_replay_guard(Settings(_env_file=None, REDIS_URL=None,  # type: ignore[call-arg]
                                                 COURSEGEN_DATA_DIR=tmp_path)), MemoryReplayGuard)
    guard = make_replay_guard(Settings(_env_file=None, REDIS_URL="redis://127.0.0.1:1/0",  # type: ignore[call-arg]
                                       COURSEGEN_DATA_DIR=tmp_path))
    assert isinstance(guard, RedisReplayGuard)


@pytest.mark.redis
async def test_a_signature_accepted_by_one_process_is_refused_by_another(tmp_path: Path,
                                                                          sm: object) -> None:
    url = need_redis()
    one, two = _app(url, tmp_path / "a", sm), _app(url, tmp_path / "b", sm)
    # an unknown user: the signature check runs (and remembers) before the lookup answers 404
    body = json.dumps({"tier": "pro", "status": "active", "userId": str(uuid.uuid4()),
                       "eventId": f"evt_{uuid.uuid4().hex}"}).encode()
    header = sign(body, SECRET)
    first = await _post(one, body, header)
    assert first.json()["error"]["code"] != "replayed", first.text
    again = await _post(two, body, header)
    assert again.status_code == 409 and again.json()["error"]["code"] == "replayed", again.text


async def test_unreachable_redis_refuses_with_503(tmp_path: Path, sm: object) -> None:
    app = _app("redis://127.0.0.1:1/0", tmp_path, sm)  # nothing listens on port 1
    body = json.dumps({"tier": "pro", "status": "active", "userId": str(uuid.uuid4())}).encode()
    r = await _post(app, body, sign(body, SECRET))
    assert r.status_code == 503 and r.json()["error"]["code"] == "replay_check_unavailable"
