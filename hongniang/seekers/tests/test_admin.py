"""Django admin never shows the decrypted ID number."""


def test_admin_seeker_list_shows_masked_id_only(client, bureau, seeker):
    client.force_login(bureau)
    body = client.get("/admin/seekers/seeker/").content.decode()
    assert seeker.id_number_masked in body and seeker.reveal_id_number() not in body
    assert "139****0001" in body


def test_admin_seeker_search_by_phone(client, bureau, seeker, seeker_a2):
    client.force_login(bureau)
    body = client.get("/admin/seekers/seeker/", {"q": "13900000001"}).content.decode()
    assert seeker.id_number_masked in body and seeker_a2.id_number_masked not in body


def test_admin_seeker_change_page_hides_encrypted_id(client, bureau, seeker):
    client.force_login(bureau)
    body = client.get(f"/admin/seekers/seeker/{seeker.pk}/change/").content.decode()
    assert seeker.reveal_id_number() not in body and seeker.id_number_encrypted not in body


def test_admin_application_pages_load(client, bureau, seeker, posting):
    from hongniang.applications.services import application_apply

    a = application_apply(seeker=seeker, posting=posting, actor=seeker.user)
    client.force_login(bureau)
    assert client.get("/admin/applications/application/").status_code == 200
    assert client.get(f"/admin/applications/application/{a.pk}/change/").status_code == 200
    assert client.get("/admin/applications/applicationevent/").status_code == 200
