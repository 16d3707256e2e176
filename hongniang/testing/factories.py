"""factory_boy factories for the foundation models. Small, real-looking reference data
(one county, two townships, villages, a few occupations) so tests don't need the full load."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from stdnum.cn import ric, uscc

from hongniang.catalog.models import Industry, Occupation
from hongniang.core.crypto import encrypt, lookup_hash
from hongniang.core.models import User
from hongniang.employers.models import Enterprise, EnterpriseMembership, VerificationStatus
from hongniang.geo.models import Region, RegionKind, ServicePoint, ServicePointKind, StaffMembership
from hongniang.jobs.models import JobPosting, PostingStatus
from hongniang.search.engine import index_posting
from hongniang.seekers.models import Seeker


def valid_id_number(seq: int, birth: dt.date = dt.date(1985, 3, 7), area: str = "360781", female: bool = False) -> str:
    """A GB 11643-valid ID number, unique per seq."""
    order = (seq * 2 + (0 if female else 1)) % 1000
    body = f"{area}{birth:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


def valid_credit_code(seq: int) -> str:
    """A GB 32100-valid unified social credit code, unique per seq."""
    body = f"91360781MA{seq:07d}"[:17]
    body = body.replace("I", "1").replace("O", "0")
    return body + uscc.calc_check_digit(body)


def reference_regions() -> dict[str, Region]:
    """Ruijin (county), 象湖镇 and 九堡镇, three villages. Idempotent."""
    county, _ = Region.objects.get_or_create(code="360781000000", defaults=dict(
        name="瑞金市", kind=RegionKind.COUNTY, lat=25.8858, lon=116.0222))
    xianghu, _ = Region.objects.get_or_create(code="360781100000", defaults=dict(
        name="象湖镇", kind=RegionKind.TOWNSHIP, subkind="镇", parent=county, lat=25.894257, lon=116.018804))
    jiubao, _ = Region.objects.get_or_create(code="360781103000", defaults=dict(
        name="九堡镇", kind=RegionKind.TOWNSHIP, subkind="镇", parent=county, lat=25.937343, lon=115.905703))
    v1, _ = Region.objects.get_or_create(code="360781100201", defaults=dict(
        name="沙洲坝村委会", short_name="沙洲坝", kind=RegionKind.VILLAGE, parent=xianghu, lat=25.90, lon=116.00))
    v2, _ = Region.objects.get_or_create(code="360781103201", defaults=dict(
        name="九堡村委会", short_name="九堡", kind=RegionKind.VILLAGE, parent=jiubao, lat=25.94, lon=115.91))
    v3, _ = Region.objects.get_or_create(code="360781103202", defaults=dict(
        name="坝溪村委会", short_name="坝溪", kind=RegionKind.VILLAGE, parent=jiubao, lat=25.95, lon=115.92,
        approximate=True))
    return {"county": county, "xianghu": xianghu, "jiubao": jiubao, "v_xianghu": v1, "v_jiubao": v2, "v_baxi": v3}


def reference_occupations() -> dict[str, Occupation]:
    rows = [
        ("6", "生产制造及有关人员", 1, None, False, ""),
        ("6-05", "纺织品、服装和皮革、毛皮制品加工制作人员", 2, "6", False, ""),
        ("6-05-01", "纺织品和服装剪裁缝纫人员", 3, "6-05", False, ""),
        ("6-05-01-03", "缝纫工", 4, "6-05-01", True, "缝纫工"),
        ("6-05-01-02", "裁剪工", 4, "6-05-01", True, "裁剪工"),
        ("6-25", "电子元器件、电子设备制造、装配、调试及维修人员", 2, "6", False, ""),
        ("6-25-04", "电子设备装配调试人员", 3, "6-25", False, ""),
        ("6-25-04-01", "电子产品制版工", 4, "6-25-04", True, "普工"),
        ("4", "社会生产服务和生活服务人员", 1, None, False, ""),
        ("4-09", "水利、环境和公共设施管理服务人员", 2, "4", False, ""),
        ("4-09-08", "环境卫生服务人员", 3, "4-09", False, ""),
        ("4-09-08-01", "保洁员", 4, "4-09-08", True, "保洁"),
    ]
    out = {}
    for code, name, level, parent, common, label in rows:
        out[code], _ = Occupation.objects.get_or_create(code=code, defaults=dict(
            name=name, level=level, parent_id=parent, common=common, common_label=label))
    return out


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "secret-pass-1")
        if create:
            obj.save(update_fields=["password"])


class ServicePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePoint

    name = factory.Sequence(lambda n: f"测试就业之家{n}")
    kind = ServicePointKind.TOWNSHIP
    region = factory.LazyFunction(lambda: reference_regions()["xianghu"])
    lat = 25.894257
    lon = 116.018804
    opening_hours = "周一至周五 8:30–17:30"
    phone = "0797-2512345"


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"瑞金测试电子有限公司{n}")
    credit_code = factory.Sequence(valid_credit_code)
    region = factory.LazyFunction(lambda: reference_regions()["xianghu"])
    lat = 25.90
    lon = 116.01
    contact_name = "李经理"
    contact_phone = "13907970000"
    verification_status = VerificationStatus.VERIFIED


class JobPostingFactory(factory.django.DjangoModelFactory):
    enterprise = factory.SubFactory(EnterpriseFactory)
    title = "缝纫工"
    occupation = factory.LazyFunction(lambda: reference_occupations()["6-05-01-03"])
    headcount = 5
    pay_type = "monthly"
    pay_min = Decimal("4500")
    pay_max = Decimal("6000")
    monthly_min = 4500
    monthly_max = 6000
    shift = "day"
    board = True
    lodging = True
    region = factory.LazyFunction(lambda: reference_regions()["xianghu"])
    township = factory.LazyAttribute(lambda o: o.region.township)
    lat = 25.90
    lon = 116.01
    age_min = 18
    age_max = 50
    description = "服装厂缝纫工，计件加底薪。"
    status = PostingStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    valid_from = factory.LazyFunction(lambda: timezone.localdate())
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))

    class Meta:
        model = JobPosting
        skip_postgeneration_save = True

    @factory.post_generation
    def search_index(obj, create, extracted, **kwargs):
        """Postings made by factories are searchable, as those made by the services are."""
        if create:
            index_posting(obj)


class SeekerFactory(factory.django.DjangoModelFactory):
    """A seeker with an encrypted ID number; use `id_number=` to choose it."""

    class Meta:
        model = Seeker

    class Params:
        id_number = factory.Sequence(lambda n: valid_id_number(n))

    name = factory.Sequence(lambda n: f"刘测试{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    gender = "M"
    birth_year = 1985
    home_region = factory.LazyFunction(lambda: reference_regions()["v_xianghu"])
    lat = 25.90
    lon = 116.00
    desired_occupations = factory.LazyFunction(lambda: ["6-05-01-03"])
    expected_pay = 4000
    acceptable_shifts = factory.LazyFunction(lambda: ["day", "two_shift"])
    max_commute_km = 20
    consent_channel = "online"
    consent_at = factory.LazyFunction(timezone.now)

    @factory.lazy_attribute
    def id_number_encrypted(self):
        return encrypt(self.id_number)

    @factory.lazy_attribute
    def id_number_hash(self):
        return lookup_hash(self.id_number)

    @factory.lazy_attribute
    def id_number_masked(self):
        return Seeker.mask(self.id_number)


def make_staff(point: ServicePoint, username: str) -> User:
    user = UserFactory(username=username, display_name=f"{point.name}工作人员")
    StaffMembership.objects.create(user=user, service_point=point)
    return user


def make_hr(enterprise: Enterprise, username: str) -> User:
    user = UserFactory(username=username, display_name=f"{enterprise.name}HR")
    EnterpriseMembership.objects.create(user=user, enterprise=enterprise)
    return user


_ = Industry  # re-exported for tests that need an industry row
