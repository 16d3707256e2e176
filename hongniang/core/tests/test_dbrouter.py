"""The read replica (DATABASE_REPLICA_URL): anonymous public pages read from it, everything else from the
primary. Here the replica is a second connection to the suite's own database, as a streaming replica is a
second server with the same rows."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hongniang.core.dbrouter import REPLICA
from hongniang.jobs.models import JobPosting


@pytest.fixture
def replica(transactional_db, settings):
    """DATABASE_REPLICA_URL pointing at the suite's own database: the settings name a replica, and its connection
    is a second connection to the same database."""
    from django.db.utils import load_backend

    conf = connections.configure_settings({"default": dict(connections["default"].settings_dict)})["default"]
    settings.DATABASES = {**settings.DATABASES, REPLICA: conf}
    connections[REPLICA] = load_backend(conf["ENGINE"]).DatabaseWrapper(conf, REPLICA)
    try:
        yield connections[REPLICA]
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]


def _queries(client_call):
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections[REPLICA]) as rep:
        response = client_call()
    return response, [q["sql"] for q in primary.captured_queries], [q["sql"] for q in rep.captured_queries]


@pytest.mark.django_db(transaction=True)
def test_anonymous_public_pages_read_from_the_replica(replica, posting):
    client = Client()
    for url in ("/", "/jobs/", f"/jobs/{posting.pk}/", "/points/", "/gigs/", "/events/"):
        r, primary, rep = _queries(lambda u=url: client.get(u))
        assert r.status_code == 200, url
        assert rep, f"{url}: nothing read from the replica"
        assert not [q for q in primary if q.lstrip().upper().startswith("SELECT")], f"{url} read the primary"
    r, primary, rep = _queries(lambda: client.get(f"/jobs/{posting.pk}/"))
    assert posting.title in r.content.decode()


@pytest.mark.django_db(transaction=True)
def test_logged_in_pages_and_writes_use_the_primary(replica, posting, seeker):
    client = Client()
    client.force_login(seeker.user)
    r, primary, rep = _queries(lambda: client.get("/jobs/"))
    assert r.status_code == 200 and primary and not rep
    # a write path and a personal page of an anonymous visitor are not public reads either
    anon = Client()
    r, primary, rep = _queries(lambda: anon.get("/me/"))
    assert not rep
    r, primary, rep = _queries(lambda: anon.post(f"/applications/apply/{posting.pk}/", {}))
    assert not rep


@pytest.mark.django_db(transaction=True)
def test_an_object_read_from_the_replica_is_saved_to_the_primary(replica, posting):
    from hongniang.core.dbrouter import _public_read

    token = _public_read.set(True)
    try:
        obj = JobPosting.objects.get(pk=posting.pk)
        assert obj._state.db == REPLICA
        obj.title = "新标题"
        with CaptureQueriesContext(connections[REPLICA]) as rep:
            obj.save(update_fields=["title"])
        assert not rep.captured_queries
    finally:
        _public_read.reset(token)
    assert JobPosting.objects.using("default").get(pk=posting.pk).title == "新标题"
