"""Issue 20, Faults: PostgreSQL restarted under load. A private cluster (initdb / pg_ctl in a temp directory, on a
free port: the shared server is never touched) gets a copy of the test database; two gunicorn workers serve the
API and the job list page to four clients while the cluster is stopped for a few seconds and started again.
Every answer is a 200 or a clean 503 (JSON with a Chinese message on the API, a page otherwise) — never a 500
or a dropped connection — and the server recovers by itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from .conftest import start_gunicorn, wait_for

PG_BIN = next((p for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None) \
    if Path("/usr/lib/postgresql").exists() else None


def _tool(name: str) -> str | None:
    if PG_BIN is not None and (PG_BIN / name).exists():
        return str(PG_BIN / name)
    return shutil.which(name)


class Cluster:
    """A throw-away PostgreSQL cluster. As root, the server runs as the `postgres` user (runuser)."""

    def __init__(self, root: Path, port: int):
        self.dir = root / "pgdata"
        self.port = port
        self.log = root / "postgres.log"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        root.chmod(0o777)

    def run(self, *args, check=True, timeout=60):
        return subprocess.run([*self.as_user, *args], check=check, timeout=timeout, capture_output=True, text=True)

    def init(self):
        self.run(_tool("initdb"), "-D", str(self.dir), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                 "--no-sync")

    def start(self):
        self.run(_tool("pg_ctl"), "-D", str(self.dir), "-l", str(self.log), "-w", "-t", "30", "-o",
                 f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self):
        self.run(_tool("pg_ctl"), "-D", str(self.dir), "-m", "fast", "-w", "-t", "30", "stop", check=False)

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/hn_fault"


@pytest.fixture
def cluster():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL fault: runs in the PostgreSQL pass (make test with TEST_DATABASE_URL)")
    missing = [t for t in ("initdb", "pg_ctl", "pg_dump", "psql") if not _tool(t)]
    if missing or (os.geteuid() == 0 and not shutil.which("runuser")):
        reason = f"PostgreSQL server tools missing: {missing or ['runuser']}"
        if os.environ.get("CI") or os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail(reason)
        pytest.skip(reason)
    import tempfile

    from .conftest import free_port

    root = Path(tempfile.mkdtemp(prefix="hn-pg-"))  # not under pytest's 0700 base: the server runs as postgres
    c = Cluster(root, free_port())
    try:
        c.init()
        c.start()
        yield c
    finally:
        c.stop()
        shutil.rmtree(root, ignore_errors=True)


def test_a_postgres_restart_under_load_gives_clean_503s_and_recovers(outside_db, processes, tmp_path, cluster,
                                                                     posting, capsys):
    # the test database (migrated, with the posting) copied into the private cluster
    c = cluster
    subprocess.run([_tool("psql"), "-h", "127.0.0.1", "-p", str(c.port), "-U", "postgres", "-c",
                    "CREATE DATABASE hn_fault"], check=True, capture_output=True, timeout=30)
    dump = subprocess.run([_tool("pg_dump"), "--no-owner", "--no-privileges", outside_db.url.replace(
        "postgres://", "postgresql://")], check=True, capture_output=True, timeout=60).stdout
    subprocess.run([_tool("psql"), "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(c.port), "-U",
                    "postgres", "hn_fault"], input=dump, check=True, capture_output=True, timeout=60)

    server = start_gunicorn(processes, c.url, tmp_path, workers=2, CONN_MAX_AGE="60")
    urls = ["/api/v1/jobs", f"/api/v1/jobs/{posting.pk}", "/jobs/", f"/jobs/{posting.pk}/"]
    seen: list[tuple[float, str, int, object]] = []
    stop = threading.Event()

    def client(i):
        while not stop.is_set():
            url = urls[i % len(urls)]
            status, body = server.request("GET", url, timeout=20)
            seen.append((time.monotonic(), url, status, body))
            time.sleep(0.02)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    try:
        time.sleep(2)
        down_at = time.monotonic()
        c.stop()
        time.sleep(3)
        c.start()
        up_at = time.monotonic()
        recovered = wait_for(lambda: [s for s in seen if s[0] > up_at and s[2] == 200], 20,
                             "answers after the restart")
        time.sleep(2)
    finally:
        stop.set()
        for t in threads:
            t.join(30)

    first_ok = min(s[0] for s in recovered)
    with capsys.disabled():
        print(f"\npostgres restart: {len(seen)} requests, {sum(s[2] == 200 for s in seen)} × 200, "
              f"{sum(s[2] == 503 for s in seen)} × 503, other {sum(s[2] not in (200, 503) for s in seen)}; "
              f"down {up_at - down_at:.1f} s, first 200 {first_ok - up_at:.1f} s after the start returned")
    statuses = {s[2] for s in seen}
    assert statuses <= {200, 503}, [(u, st, str(b)[:200]) for _t, u, st, b in seen if st not in (200, 503)][:5]
    during = [s for s in seen if down_at + 0.5 < s[0] < up_at - 0.5]
    assert any(s[2] == 503 for s in during), "no request failed while PostgreSQL was down"
    for _t, url, status, body in seen:
        if status == 503 and url.startswith("/api/"):
            assert body["code"] == "database_unavailable" and "稍后" in body["message"], body
        elif status == 503:
            assert "稍后" in body, body[:300]
    last = [s for s in seen if s[0] > recovered[0][0] + 1]
    assert last and all(s[2] == 200 for s in last), [(u, st) for _t, u, st, _b in last if st != 200][:5]
