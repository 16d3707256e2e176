"""Search behaviour people notice: what they type finds the jobs they mean, on SQLite and PostgreSQL."""

import pytest

from hongniang.jobs.models import JobPosting
from hongniang.search.engine import RankedResults, filter_matching, index_posting, parse_query
from hongniang.search.facets import facet_counts
from hongniang.search.suggest import autocompleter, suggest
from hongniang.testing.factories import JobPostingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs(enterprise, regions, occupations):
    made = {
        "sew": JobPostingFactory(enterprise=enterprise, title="缝纫工", description="服装厂，计件，包吃住"),
        "line": JobPostingFactory(enterprise=enterprise, title="操作工", description="电子厂流水线，两班倒",
                                  shift="two_shift", board=False, lodging=False, occupation=occupations["6-25-04-01"]),
        "clean": JobPostingFactory(enterprise=enterprise, title="保洁员", description="写字楼日常清洁",
                                   occupation=occupations["4-09-08-01"], region=regions["jiubao"]),
        "asm": JobPostingFactory(enterprise=enterprise, title="装配工", description="长白班，五险一金",
                                 social_insurance=True, occupation=occupations["6-25-04-01"]),
    }
    for p in made.values():
        index_posting(p)
    return made


def found(q):
    qs = JobPosting.objects.all()
    return set(filter_matching(qs, parse_query(q)).values_list("title", flat=True))


def test_a_two_character_word_finds_jobs_containing_it(jobs):
    assert found("清洁") == {"保洁员"}


def test_a_single_character_finds_every_job_containing_it(jobs):
    assert found("工") == {"缝纫工", "操作工", "装配工"}


def test_synonym_puji_finds_caozuogong(jobs):
    assert "操作工" in found("普工")


def test_synonym_qingjiegong_finds_baojie(jobs):
    assert "保洁员" in found("清洁工")


def test_multi_word_query_needs_every_word(jobs):
    assert found("装配 五险一金") == {"装配工"}
    assert found("装配 两班倒") == set()


def test_query_syntax_characters_are_harmless(jobs):
    assert found('"缝纫 OR * NEAR(') <= {"缝纫工"}


def test_ranked_results_put_the_title_match_first_and_paginate(jobs, enterprise, occupations):
    extra = JobPostingFactory(enterprise=enterprise, title="仓管", description="偶尔需要缝纫",
                              occupation=occupations["4-09-08-01"])
    index_posting(extra)
    results = RankedResults(JobPosting.objects.select_related("enterprise"), parse_query("缝纫"))
    assert results.count() == 2
    page = results[0:1]
    assert [p.title for p in page] == ["缝纫工"]
    assert [p.title for p in results[1:2]] == ["仓管"]


def test_editing_a_posting_moves_it_in_the_index(jobs):
    p = jobs["clean"]
    p.title = "叉车司机"
    p.description = "仓库叉车"
    p.save()
    index_posting(p)
    assert "叉车司机" in found("驾驶员") or "叉车司机" in found("叉车")
    assert found("清洁") == set()


def test_facets_count_by_township_shift_and_benefit(jobs):
    facets = facet_counts(JobPosting.objects.all())
    by_town = {row["name"]: row["count"] for row in facets["township"]}
    assert by_town == {"象湖镇": 3, "九堡镇": 1}
    shifts = {row["code"]: row["count"] for row in facets["shift"]}
    assert shifts["two_shift"] == 1 and shifts["day"] == 3
    benefits = {row["code"]: row["count"] for row in facets["benefits"]}
    assert benefits["social_insurance"] == 1


def test_autocomplete_by_initials_and_prefix(jobs):
    autocompleter(force=True)
    assert "装配工" in suggest("zpg")
    assert "缝纫工" in suggest("缝")


def test_suggest_endpoint(client, jobs):
    autocompleter(force=True)
    r = client.get("/api/v1/search/suggest", {"q": "zpg"})
    assert r.status_code == 200
    assert "装配工" in r.json()["suggestions"]


def test_a_refresh_with_the_same_jobs_keeps_the_autocompleter_and_the_query_reader(jobs, monkeypatch):
    """Rebuilding the query reader costs seconds of CPU at a big county's size, so a minute's refresh that finds
    the same open jobs keeps both; a new job's title is suggested after the next refresh."""
    from django.db import connections

    from hongniang.search import query
    from hongniang.search import suggest as suggest_mod

    # the refresh closes its own thread's connection when done; here it runs in the test's thread and transaction
    monkeypatch.setattr(connections["default"], "close", lambda: None)

    ac = autocompleter(force=True)
    reader = query.reader()
    suggest_mod._state["building"] = True  # as autocompleter() sets it before starting the refresh thread
    suggest_mod._rebuild()
    assert suggest_mod.current() is ac
    assert query.reader() is reader and not query._reader["building"]
    JobPostingFactory(enterprise=jobs["sew"].enterprise, title="焊接工")
    suggest_mod._state["building"] = True
    suggest_mod._rebuild()
    assert suggest_mod.current() is not ac
    assert "焊接工" in suggest("焊")
