"""The OpenAPI document names each schema by its class name: two API schemas with the same name (an events
`EventOut` and an application history `EventOut`) become one component, and one of the two operations then
answers with a body that breaks its own declared schema (found by the fuzzing, issue 20)."""

from __future__ import annotations

from collections import defaultdict


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_api_schema_name_is_used_once():
    from ninja import Schema

    import hongniang.api  # noqa: F401 - registers every router, importing every schema

    by_name = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("hongniang."):
            by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    assert not {n: s for n, s in by_name.items() if len(s) > 1}


def test_the_document_declares_what_the_history_endpoints_send(client):
    doc = client.get("/api/v1/openapi.json").json()
    schemas = doc["components"]["schemas"]
    assert "at" in schemas["ApplicationEventOut"]["properties"]
    assert "starts_at" in schemas["EventOut"]["properties"]
