"""/api/v1/occupations."""

from __future__ import annotations


def codes(client, query):
    return [o["code"] for o in client.get(f"/api/v1/occupations?{query}").json()["items"]]


def test_common_occupations_only(client, occupations):
    assert codes(client, "common=true") == ["4-09-08-01", "6-05-01-02", "6-05-01-03", "6-25-04-01"]


def test_children_of_a_group(client, occupations):
    assert codes(client, "parent=6-05-01") == ["6-05-01-02", "6-05-01-03"]


def test_search_by_everyday_name(client, occupations):
    body = client.get("/api/v1/occupations?q=普工").json()
    assert body["count"] == 1 and body["items"][0]["label"] == "普工（电子产品制版工）"


def test_common_false_and_level(client, occupations):
    assert codes(client, "level=1") == ["4", "6"]
