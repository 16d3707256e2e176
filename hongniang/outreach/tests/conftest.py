import io

import openpyxl
import pytest

from hongniang.recommend import state
from hongniang.testing import factories as f


@pytest.fixture(autouse=True)
def fresh_indexes():
    state.reset()
    yield
    state.reset()


def xlsx(rows, merge=None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    for ref in merge or ():
        ws.merge_cells(ref)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


HEADERS = ["姓名", "身份证号", "手机号", "乡镇", "村（社区）", "意向工种", "可接受班次", "农忙月份"]


def person(seq, name="张三", phone=None, township="象湖镇", village="沙洲坝", occ="缝纫工", female=False):
    return [f"{name}{seq}", f.valid_id_number(seq, female=female), phone or f"1390797{seq:04d}", township, village,
            occ, "长白班", "5、6"]


@pytest.fixture
def roster(regions, occupations):
    def make(rows, headers=HEADERS, merge=None):
        return xlsx([headers, *rows], merge=merge)
    return make


@pytest.fixture
def near_job(enterprise, regions, occupations):
    return f.JobPostingFactory(enterprise=enterprise, title="缝纫工（近）", lat=25.901, lon=116.001)


@pytest.fixture
def seeker_a2(point_a, regions, occupations):
    return f.SeekerFactory(name="陈沙洲", service_point=point_a, phone="13700000003")


@pytest.fixture
def seeker_b(point_b, regions, occupations):
    return f.SeekerFactory(name="王九堡", service_point=point_b, home_region=regions["v_jiubao"], phone="13700000002")
