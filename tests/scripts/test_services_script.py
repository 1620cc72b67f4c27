"""scripts/services.sh brings up a private Postgres and Redis on a machine without Debian's cluster
tools and without the machine's own servers: PATH holds only basic tools (no pg_ctlcluster,
pg_lsclusters, psql wrapper or service manager), the servers it starts listen on fresh ports, and
`stop` leaves nothing running or on disk. As root it also runs as an unprivileged user."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "services.sh"
# What the script may use from PATH; Debian's cluster wrappers (pg_ctlcluster & co.) are not here.
TOOLS = ["bash", "cat", "chown", "chmod", "dirname", "id", "ls", "mkdir", "mktemp", "rm", "rmdir",
         "seq", "sleep", "sort", "test", "setpriv", "runuser", "python3", "redis-server"]


def _run(args: list[str], env: dict[str, str], user: list[str], script: Path = SCRIPT) -> None:
    done = subprocess.run([*user, "bash", str(script), *args], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def _env_file(path: Path) -> dict[str, str]:
    pairs = (line.removeprefix("export ").split("=", 1) for line in path.read_text().splitlines())
    return dict(pairs)


@pytest.fixture
def bare_path(tmp_path: Path) -> Iterator[str]:
    """A PATH directory with symlinks to TOOLS only, readable by an unprivileged user."""
    bin_dir = Path(tempfile.mkdtemp(prefix="coursegen-bin-"))
    bin_dir.chmod(0o755)
    for tool in TOOLS:
        # The system's python3 first: a pyenv or venv interpreter under /root is root's only.
        system = Path("/usr/bin") / tool
        if found := (str(system) if system.exists() else shutil.which(tool)):
            (bin_dir / tool).symlink_to(found)
    assert shutil.which("pg_ctlcluster", path=str(bin_dir)) is None
    yield str(bin_dir)
    shutil.rmtree(bin_dir)


USERS = ["current user"] + (["nobody"] if os.geteuid() == 0 else [])


@pytest.mark.parametrize("who", USERS)
def test_starts_private_servers_without_cluster_tools_and_stops_them(
    bare_path: str, who: str
) -> None:
    user = [] if who == "current user" else [
        "setpriv", f"--reuid={_id('-u')}", f"--regid={_id('-g')}", "--clear-groups", "--"]
    work = Path(tempfile.mkdtemp(prefix="coursegen-svc-test-"))
    work.chmod(0o777)
    data = work / "services"
    env = {"PATH": bare_path, "HOME": str(work), "LANG": "C.UTF-8"}
    script = SCRIPT
    if user:
        # The checkout may be private (a 0700 home directory): nobody runs a copy of the script
        # from the readable work directory, as it would from any other checkout.
        script = work / "scripts" / "services.sh"
        script.parent.mkdir(mode=0o755)
        shutil.copy(SCRIPT, script)
        script.chmod(0o755)
    try:
        _run(["start", str(data)], env, user, script)
        urls = _env_file(data / "env")
        pg_url = urls["TEST_POSTGRES_URL"].replace("+psycopg", "")
        redis_url = urls["TEST_REDIS_URL"]
        assert ":5432/" not in pg_url and ":6379/" not in redis_url
        with psycopg.connect(pg_url, connect_timeout=5) as conn:
            # A cluster of its own: initdb's databases plus `test`, nothing of the machine's.
            names = {r[0] for r in conn.execute("select datname from pg_database")}
            assert names == {"postgres", "template0", "template1", "test"}
            port = conn.execute("show port").fetchone()
            assert port is not None and f":{port[0]}/" in pg_url
        with redis.Redis.from_url(redis_url) as r:
            assert r.ping() and r.dbsize() == 0
            assert f":{r.config_get('port')['port']}/" in redis_url
    finally:
        _run(["stop", str(data)], env, user, script)
    assert not data.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(pg_url, connect_timeout=2).close()
    with pytest.raises(redis.ConnectionError), redis.Redis.from_url(redis_url) as r:
        r.ping()
    shutil.rmtree(work)


def _id(flag: str) -> str:
    return subprocess.run(["id", flag, "nobody"], capture_output=True, text=True,
                          check=True).stdout.strip()
