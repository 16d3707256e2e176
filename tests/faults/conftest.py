"""Fault tests run the project in real processes (gunicorn, the task worker) against the test database, and do
real damage to them (kill -9, a PostgreSQL restart). Data is written by the test with the ORM and committed
(transactional_db); on SQLite the in-memory test database is copied to a file the processes open. Each test is
bounded (a minute at most) and every process it starts is ended by its pid."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, what: str, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class OutsideDb:
    """The test database as another process sees it: `url` for the processes, `count(sql)` read from outside
    the test's own connection (committed rows only)."""

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        self.vendor = connection.vendor
        s = settings.DATABASES["default"]
        if self.vendor == "postgresql":
            user = s.get("USER") or "postgres"
            password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
            self.url = f"postgres://{user}{password}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"
            self.file = None
        else:
            self.file = tmp_path / "db.sqlite3"
            self.url = f"sqlite:///{self.file}"

    def publish(self) -> None:
        """Make what the test wrote visible to the processes (SQLite: copy the in-memory database to the file)."""
        if self.file is not None:
            connection.ensure_connection()
            target = sqlite3.connect(self.file)
            connection.connection.backup(target)
            target.close()

    def count(self, sql: str, *params) -> int:
        if self.file is not None:
            con = sqlite3.connect(self.file, timeout=10)
            try:
                return con.execute(sql.replace("%s", "?"), params).fetchone()[0]
            finally:
                con.close()
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://"), autocommit=True) as con:
            return con.execute(sql, params).fetchone()[0]


@pytest.fixture
def outside_db(transactional_db, tmp_path):
    return OutsideDb(tmp_path)


def process_env(db_url: str, tmp_path: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "PYTEST", "DJANGO_"))}
    env.update({
        "HONGNIANG_ENV": "local", "DATABASE_URL": db_url, "SECRET_KEY": settings.SECRET_KEY,
        "FIELD_KEY": settings.FIELD_KEY, "HONGNIANG_VAR_DIR": str(tmp_path / "var"), "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONPATH": str(ROOT), "FAULT_PAUSE": str(tmp_path / "pause"), "FAULT_MARK": str(tmp_path / "mark"),
        "FAULT_GATEWAY": str(tmp_path / "gateway.jsonl"), "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prom"),
        "DJANGO_SETTINGS_MODULE": "hongniang.settings",
    })
    env.update(extra)
    Path(env["PROMETHEUS_MULTIPROC_DIR"]).mkdir(exist_ok=True)
    return env


class Processes:
    """Processes a test starts; each is ended by its pid (and its process group) at the end."""

    def __init__(self):
        self.started: list[subprocess.Popen] = []

    def start(self, args, env, cwd, log: Path) -> subprocess.Popen:
        fh = open(log, "ab")  # noqa: SIM115 - closed with the process
        p = subprocess.Popen(args, env=env, cwd=cwd, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
        p._log = fh  # type: ignore[attr-defined]
        self.started.append(p)
        return p

    def stop_all(self):
        for p in self.started:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            p.wait(timeout=10)
            p._log.close()  # type: ignore[attr-defined]


@pytest.fixture
def processes():
    procs = Processes()
    yield procs
    procs.stop_all()


class Server:
    def __init__(self, port: int, proc, log: Path):
        self.base = f"http://127.0.0.1:{port}"
        self.proc = proc
        self.log = log

    def request(self, method: str, path: str, body=None, headers=None, timeout: float = 30):
        """(status, parsed JSON or text); a dropped connection is (0, the error)."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers={
            "Content-Type": "application/json", "Accept-Language": "zh-hans", **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, _decode(r.read(), r.headers)
        except urllib.error.HTTPError as e:
            return e.code, _decode(e.read(), e.headers)
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as e:
            return 0, str(e)


def _decode(raw: bytes, headers):
    if "json" in (headers.get("Content-Type") or ""):
        return json.loads(raw)
    return raw.decode("utf-8", "replace")


def start_gunicorn(processes: Processes, db_url: str, tmp_path: Path, *, workers: int = 1, **env) -> Server:
    port = free_port()
    log = tmp_path / "gunicorn.log"
    # no config file (cwd is the temp dir): sync workers, no warm-up, so a worker is killed where we choose
    proc = processes.start([str(BIN / "gunicorn"), "tests.faults.wsgi:application", "-b", f"127.0.0.1:{port}",
                            "-w", str(workers), "--timeout", "120", "--graceful-timeout", "2"],
                           process_env(db_url, tmp_path, **env), tmp_path, log)
    server = Server(port, proc, log)

    def up():
        if proc.poll() is not None:
            raise AssertionError("gunicorn exited:\n" + log.read_text()[-2000:])
        return server.request("GET", "/api/v1/regions?page_size=1", timeout=5)[0] == 200
    wait_for(up, 40, "gunicorn to answer", every=0.2)
    return server


def bearer(user) -> dict:
    from hongniang.core.models import ApiToken

    return {"Authorization": f"Bearer {ApiToken.objects.create(user=user).key}"}
