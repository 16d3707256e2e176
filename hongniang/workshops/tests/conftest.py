"""Workshop fixtures: a workshop in 象湖镇 (registered by staff_a) and one in 九堡镇 (staff_b), each with an owner
and workers; an order of the enterprise offered to both; helpers to move a share along."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hongniang.testing import factories as f
from hongniang.workshops import services
from hongniang.workshops.models import HandoverKind

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200


def photo(name="reject.jpg", data=JPEG):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def workshop(staff_a, regions, occupations):
    return services.workshop_register(
        actor=staff_a, name="沙洲坝帮扶车间", region=regions["v_xianghu"], owner_name="钟春兰",
        owner_phone="13600000001", stations=20, usual_hours="8:00–11:30，14:00–17:30", hours_per_day="7",
        skills=["6-05-01-03"], skills_text="缝纫、锁边", equipment="平缝机 18 台")


@pytest.fixture
def owner(workshop):
    return workshop.owner_user


@pytest.fixture
def other_workshop(staff_b, regions, occupations):
    return services.workshop_register(
        actor=staff_b, name="九堡村社区工厂", region=regions["v_jiubao"], owner_name="刘金生",
        owner_phone="13600000002", stations=10, hours_per_day="6", skills=["6-25-04-01"], skills_text="电子组装")


@pytest.fixture
def other_owner(other_workshop):
    return other_workshop.owner_user


@pytest.fixture
def workers(workshop, owner, regions):
    return [services.worker_add(actor=owner, workshop=workshop, name=n, phone=p, home_region=regions["v_xianghu"])
            for n, p in (("钟小芳", "13500000001"), ("钟小梅", "13500000002"), ("杨秀英", "13500000003"))]


@pytest.fixture
def other_workers(other_workshop, other_owner, regions):
    return [services.worker_add(actor=other_owner, workshop=other_workshop, name="刘小兰", phone="13500000011",
                                home_region=regions["v_jiubao"])]


def make_order(actor, enterprise, **kw):
    args = dict(product="儿童背包", process="车缝肩带", quantity=1000, piece_rate="0.80",
                deadline=timezone.localdate() + dt.timedelta(days=20), trial_workers=5, trial_pieces_per_hour="30",
                occupation="6-05-01-03", quality_standard="针距 3 mm，对照样品", materials="布片、肩带、线由企业提供")
    args.update(kw)
    return services.order_create(actor=actor, enterprise=enterprise, **args)


@pytest.fixture
def order(hr, enterprise, occupations):
    return make_order(hr, enterprise)


@pytest.fixture
def share(order, hr, workshop, owner):
    [s] = services.order_offer(actor=hr, order=order, offers=[(workshop, 600)])
    return services.share_accept(actor=owner, share=s, quantity=600)


@pytest.fixture
def producing(share, hr, owner, workers, today):
    """600 accepted, 600 material out; worker 0 made 120 pieces yesterday in 5 h (19.2 元/h)."""
    services.handover_record(actor=hr, share=share, kind=HandoverKind.OUT, quantity=600, handed_by="仓管 李")
    services.pieces_record(actor=owner, share=share, day=today - dt.timedelta(days=1),
                           entries=[{"worker": workers[0], "pieces": 120, "hours": "5"}])
    share.refresh_from_db()
    return share


__all__ = ["f", "make_order", "photo"]
