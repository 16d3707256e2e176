"""The bureau's pay record in pages of 30 (most pay below the promise first), and its API still whole."""

import re

import pytest
from django.utils import timezone

from hongniang.applications.models import Application
from hongniang.applications.views import PAY_RECORD_PER_PAGE
from hongniang.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(regions, occupations, point_a):
    """PAY_RECORD_PER_PAGE + 7 enterprises with one hire each; every fifth reported pay below the promise."""
    names = []
    for i in range(PAY_RECORD_PER_PAGE + 7):
        job = f.JobPostingFactory(enterprise=f.EnterpriseFactory(name=f"用工企业{i:02d}"), monthly_min=4500,
                                  monthly_max=6000)
        low = i % 5 == 0
        Application.objects.create(seeker=f.SeekerFactory(service_point=point_a), posting=job, status="hired",
                                   start_date=timezone.localdate(), actual_start_date=timezone.localdate(),
                                   pay_amount=3000 if low else 5000)
        names.append((not low, job.enterprise.name))
    return [name for _low, name in sorted(names)]


def _listed(client, query=""):
    return re.findall(r"用工企业\d\d", client.get(f"/applications/pay-record/{query}").content.decode())


def test_pay_record_is_paged_below_promise_first(client, bureau, many):
    client.force_login(bureau)
    one = _listed(client)
    assert one == many[:PAY_RECORD_PER_PAGE] and one[0] == "用工企业00"
    assert _listed(client, "?page=2") == many[PAY_RECORD_PER_PAGE:]
    assert _listed(client, "?page=zz") == one
    assert _listed(client, "?page=1000") == many[PAY_RECORD_PER_PAGE:]
    body = client.get("/applications/pay-record/").content.decode()
    assert "第 1 / 2 页" in body and "下一页" in body and "?page=2" in body
    assert len(client.get("/api/v1/bureau/pay-record").json()) == len(many)  # the API is not paged


@pytest.mark.parametrize("who", ["hr", "staff_a", "seeker_user", "outsider"])
def test_later_pages_are_bureau_only_too(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/applications/pay-record/?page=2").status_code == 403
