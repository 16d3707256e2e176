"""Workshop photos (optional): the owner, its township's staff or the bureau add up to six; nobody else sees or
changes them; a file that is not an image gets a Chinese error and nothing is written."""

from __future__ import annotations

import pytest
from django.test import Client

from hongniang.core.audit import AuditEvent
from hongniang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from hongniang.workshops import services
from hongniang.workshops.models import WorkshopPhoto

from .conftest import JPEG, photo

pytestmark = pytest.mark.django_db


def client_for(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_the_owner_uploads_a_photo_and_sees_it_on_the_workshop_page(workshop, owner):
    c = client_for(owner)
    r = c.post(f"/workshops/{workshop.pk}/photos/", {"photo": photo("floor.jpg"), "caption": "18 台平缝机"})
    assert r.status_code == 302 and r["Location"] == f"/workshops/{workshop.pk}/"
    p = WorkshopPhoto.objects.get()
    assert p.caption == "18 台平缝机" and p.uploaded_by == owner
    body = c.get(f"/workshops/{workshop.pk}/").content.decode()
    assert f'src="/workshops/{workshop.pk}/photos/{p.pk}/"' in body and "18 台平缝机" in body
    img = c.get(f"/workshops/{workshop.pk}/photos/{p.pk}/")
    assert img.status_code == 200 and b"".join(img.streaming_content) == JPEG
    assert AuditEvent.objects.filter(action="workshops.photo_add", target_id=str(workshop.pk)).exists()


def test_a_file_that_is_not_an_image_gets_a_chinese_error_and_nothing_is_written(workshop, owner):
    r = client_for(owner).post(f"/workshops/{workshop.pk}/photos/",
                               {"photo": photo("x.jpg", b"MZ\x90\x00 not an image")},
                               HTTP_REFERER=f"http://testserver/workshops/{workshop.pk}/", follow=True)
    assert "照片只能是 JPG、PNG 或 WEBP 图片" in r.content.decode()
    assert not WorkshopPhoto.objects.exists()


def test_fee_words_in_the_caption_are_refused(workshop, owner):
    with pytest.raises(InvalidInput) as exc:
        services.workshop_photo_add(actor=owner, workshop=workshop, photo=photo(), caption="加盟费 980 元")
    assert "加盟费" in exc.value.errors["caption"][0]
    assert not WorkshopPhoto.objects.exists()


def test_at_most_six_photos(workshop, owner):
    for _i in range(6):
        services.workshop_photo_add(actor=owner, workshop=workshop, photo=photo())
    with pytest.raises(Conflict) as exc:
        services.workshop_photo_add(actor=owner, workshop=workshop, photo=photo())
    assert "最多 6 张" in exc.value.message and WorkshopPhoto.objects.count() == 6
    assert "/photos/\" enctype" not in client_for(owner).get(f"/workshops/{workshop.pk}/").content.decode()


def test_area_staff_and_the_bureau_may_add_others_may_not(workshop, staff_a, bureau, staff_b, other_owner, hr):
    services.workshop_photo_add(actor=staff_a, workshop=workshop, photo=photo())
    services.workshop_photo_add(actor=bureau, workshop=workshop, photo=photo())
    for user in (staff_b, other_owner, hr):
        with pytest.raises(PermissionDeniedError):
            services.workshop_photo_add(actor=user, workshop=workshop, photo=photo())
        assert client_for(user).post(f"/workshops/{workshop.pk}/photos/", {"photo": photo()}).status_code == 404
    assert WorkshopPhoto.objects.count() == 2


def test_only_those_who_see_the_workshop_see_or_delete_its_photos(workshop, owner, staff_a, bureau, staff_b,
                                                                  other_owner, hr):
    p = services.workshop_photo_add(actor=owner, workshop=workshop, photo=photo())
    url = f"/workshops/{workshop.pk}/photos/{p.pk}/"
    for user in (owner, staff_a, bureau):
        assert client_for(user).get(url).status_code == 200
    for user in (staff_b, other_owner, hr):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).post(url + "delete/").status_code == 404
    assert Client().get(url).status_code == 302
    assert "/photos/" not in Client().get("/workshops/").content.decode()  # never on the public list
    assert WorkshopPhoto.objects.count() == 1
    r = client_for(owner).post(url + "delete/")
    assert r.status_code == 302 and not WorkshopPhoto.objects.exists()
