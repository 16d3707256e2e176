"""On PostgreSQL a results page's statements (its index windows and its postings' load) are prepared on the
server once per connection (`hongniang.core.prepared`): the page answers the same on every request — past the
five runs after which PostgreSQL may keep one plan, after a rolled-back write (which drops every prepared
statement), with ids of any size — and its statements are still logged and counted like every other."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from hongniang.jobs.models import JobPosting
from hongniang.testing.factories import JobPostingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def postings(regions, occupations):
    base = (JobPosting.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 40_000
    # ids on both sides of 32,767 and 2**31: psycopg would send them as int2, int4 and int8
    ids = [base + 7 * i for i in range(20)] + [2**31 + 5 + i for i in range(5)]
    return [JobPostingFactory(id=pk, title=["普工", "缝纫工"][i % 2], shift=["day", "two_shift"][i % 2])
            for i, pk in enumerate(ids)]


def _page(client, **params):
    r = client.get("/api/v1/jobs", {"q": "工", **params})
    assert r.status_code == 200
    return r.json()


def test_a_results_page_answers_the_same_on_every_request_and_after_a_rollback(client, postings):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    first = _page(client)
    filtered = _page(client, shift="two_shift")
    assert first["count"] == 25 and [x["id"] for x in first["items"]][:5] == sorted(
        (p.pk for p in postings), reverse=True)[:5]
    assert filtered["count"] == 12
    with CaptureQueriesContext(connection) as cap:
        for _ in range(8):
            assert _page(client) == first
            assert _page(client, shift="two_shift") == filtered
    logged = [q["sql"] for q in cap.captured_queries]
    assert any("search_postingsearchentry" in sql for sql in logged)  # still logged (and counted)
    with connection.cursor() as cur:
        cur.execute("SELECT statement FROM pg_prepared_statements")
        kept = [row[0] for row in cur.fetchall()]
    assert any("search_postingsearchentry" in s for s in kept) and any("jobs_jobposting" in s for s in kept)

    with pytest.raises(IntegrityError), transaction.atomic():  # a failed write: ROLLBACK drops them all
        JobPostingFactory(id=postings[0].pk)
    assert _page(client) == first
    assert _page(client, shift="two_shift") == filtered
