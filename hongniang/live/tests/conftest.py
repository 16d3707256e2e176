from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone

from hongniang.live import services
from hongniang.testing import factories as f


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def posting2(enterprise, occupations):
    return f.JobPostingFactory(enterprise=enterprise, title="包装工", pay_type="piece", pay_min="0.5", pay_max="0.8",
                               piece_unit="件", monthly_min=3500, monthly_max=6000)


@pytest.fixture
def session(staff_a, point_a, posting, posting2):
    s = services.session_create(actor=staff_a, title="瑞金好工作 直播带岗", host_name="小红", platform="douyin",
                                stream_url="https://live.douyin.com/123456", starts_at=timezone.now(),
                                postings=[posting, posting2], organiser_point=point_a)
    return services.session_act(actor=staff_a, session=s, action="go_live")
