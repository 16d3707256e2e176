"""The demo's placement history (hongniang.demo.placements): the dashboard has figures, they come from the rows,
the same seed gives the same history, and deleting the demo leaves no impression behind."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from hongniang.applications.models import Application
from hongniang.core.models import User
from hongniang.demo import placements
from hongniang.demo.loader import delete_demo
from hongniang.recommend.config import engine_label
from hongniang.recommend.dashboard import placement_funnel
from hongniang.recommend.models import Impression


def _load(*args):
    call_command("load_demo", "--scale", "0.02", "--wet-run", *args, stdout=io.StringIO())


@pytest.fixture
def demo(db):
    _load()


def _history():
    return sorted((*row, viewed is None) for *row, viewed in Impression.objects.values_list(
        "seeker__phone", "posting__enterprise__credit_code", "posting__title", "posting__occupation_id", "rank",
        "score", "engine", "times_shown", "viewed_at"))


def test_the_dashboard_has_views_applications_and_hires(demo):
    admin = User.objects.get(username="admin")
    for days in (90, 365):
        t = placement_funnel(admin, days=days).total
        assert t.shown > 0 and 0 < t.viewed <= t.shown
        assert 0 < t.hired <= t.applied <= t.shown
    # the counted applications are the demo's own, made after the posting was first shown (mostly opened from the
    # list in between)
    imps = {(i.seeker_id, i.posting_id): i for i in Impression.objects.all()}
    counted = opened = 0
    for a in Application.objects.filter(seeker__is_demo=True):
        i = imps.get((a.seeker_id, a.posting_id))
        if i is not None and a.created_at >= i.first_shown_at:
            counted += 1
            opened += i.viewed_at is not None and i.first_shown_at <= i.viewed_at <= a.created_at
    assert counted == placement_funnel(admin, days=365).total.applied > 0
    assert opened >= 0.8 * counted


def test_the_rows_look_like_what_the_live_code_writes(demo):
    assert set(Impression.objects.values_list("engine", flat=True)) == {engine_label(False), engine_label(True)}
    for i in Impression.objects.select_related("posting"):
        assert 1 <= i.rank <= placements.SHOWN and 0 <= i.score <= 100
        assert i.first_shown_at <= i.last_shown_at and i.times_shown >= 1
        assert i.posting.published_at <= i.first_shown_at
        assert i.viewed_at is None or i.viewed_at >= i.first_shown_at
    # the older half plain, the newer capacity-aware
    plain = Impression.objects.filter(engine=engine_label(False)).order_by("-first_shown_at").first()
    capacity = Impression.objects.filter(engine=engine_label(True)).order_by("first_shown_at").first()
    assert plain.first_shown_at < capacity.first_shown_at


def test_the_same_seed_gives_the_same_history_and_deleting_the_demo_leaves_none(demo):
    before = _history()
    assert before
    _load("--reset")  # deletes the demo (its impressions first), then generates it again
    assert _history() == before
    delete_demo()
    assert not Impression.objects.exists()


def test_the_extension_deletes_its_rows(demo):
    assert placements.exists()
    placements.delete()
    assert not Impression.objects.exists() and not placements.exists()
