"""`selectors.load_page` compiles its statement once per filter set and page length and runs it again with other
ids: what it returns must be what `in_bulk` of the filtered queryset returns, for every filter value."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hongniang.jobs import selectors
from hongniang.jobs.models import JobPosting
from hongniang.testing.factories import JobPostingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def postings(regions, occupations):
    made = []
    for i in range(12):
        made.append(JobPostingFactory(
            title=f"普工{i}", region=regions["v_jiubao"] if i % 2 else regions["v_xianghu"],
            occupation=occupations["6-05-01-03"] if i % 3 else None, shift=["day", "two_shift"][i % 2],
            monthly_min=3000 + 100 * i, monthly_max=4000 + 200 * i, board=i % 4 == 0))
    return made


def _fields(posting):
    return ({k: v for k, v in posting.__dict__.items() if k != "_state"},
            {k: v for k, v in posting.enterprise.__dict__.items() if k != "_state"},
            posting.township, posting.region, posting.occupation)


FILTERS = [{}, {"township": "360781103000"}, {"township": "360781100000"}, {"shift": "day", "pay_min": "4800"},
           {"occupation": "6-05"}, {"benefits": "board"}, {"township": "360781100000", "pay_max": "3500"},
           {"sort": "pay"}]


def test_a_page_loads_what_in_bulk_of_its_queryset_loads_for_every_filter(postings):
    ids = sorted(p.pk for p in postings)
    for _ in range(2):  # compiled, then run again
        for params in FILTERS:
            qs = selectors.filter_postings(params)
            for page in (ids, ids[:5], ids[3:9][::-1]):
                got = selectors.load_page(qs, page)
                expected = selectors.page_queryset(qs.order_by()).in_bulk(page)
                selectors.with_references(expected.values())
                assert sorted(got) == sorted(expected) == sorted(set(qs.values_list("pk", flat=True)) & set(page))
                assert {k: _fields(p) for k, p in got.items()} == {k: _fields(p) for k, p in expected.items()}


def test_a_page_loaded_again_is_one_statement_and_sees_changed_rows(postings):
    qs = selectors.filter_postings({"township": "360781103000"})
    ids = [p.pk for p in postings]
    first = selectors.load_page(qs, ids)
    closed, renamed = sorted(first)[:2]
    JobPosting.objects.filter(pk=closed).update(status="closed")
    JobPosting.objects.filter(pk=renamed).update(title="新标题")
    with CaptureQueriesContext(connection) as cap:
        again = selectors.load_page(selectors.filter_postings({"township": "360781103000"}), ids)
    assert len(cap.captured_queries) == 1
    assert sorted(again) == sorted(first)[1:]
    assert again[renamed].title == "新标题"


def test_a_distance_sorted_queryset_still_loads(postings):
    qs = selectors.filter_postings({"sort": "distance", "lat": "25.9", "lon": "116.0"})
    ids = [p.pk for p in postings]
    assert sorted(selectors.load_page(qs, ids)) == sorted(ids)
