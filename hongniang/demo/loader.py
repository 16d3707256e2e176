"""The Ruijin demo: reference data plus generated, reproducible demo rows (all marked is_demo=True).

`load_demo(seed=2026, scale=1.0, wet_run=True)` loads regions and classifications (upsert), then generates
60 service points (58 就业之家 + the railway-station and culture-square desks), 652 enterprises, ~3,000 published
postings and ~20,000 seekers (the last three multiplied by `scale`), and four demo log-ins (one per role).

Re-running is safe: reference data is upserted; when demo rows already exist (any is_demo service point,
enterprise, posting or seeker) generation is skipped and only the demo log-ins are refreshed. `reset=True`
deletes every is_demo row first and generates again. The same seed always gives the same data (times are
relative to the moment of loading)."""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from stdnum.cn import ric, uscc

from hongniang.applications.models import Application, ApplicationEvent
from hongniang.applications.services import TAKES_PLACE
from hongniang.catalog.loading import load_industries, load_occupations, read_common
from hongniang.catalog.models import Industry, Occupation
from hongniang.core.models import User
from hongniang.employers.models import Enterprise, EnterpriseMembership
from hongniang.employers.models import VerificationStatus as V
from hongniang.employers.services import verification_end
from hongniang.geo.loading import load_regions, rows_for
from hongniang.geo.models import Region, ServicePoint, StaffMembership
from hongniang.geo.models import ServicePointKind as K
from hongniang.gigs.machines import ORDER
from hongniang.gigs.models import GigEmployer, GigOrder, OrderEvent, scheduled_hours
from hongniang.gigs.services import order_total
from hongniang.jobs.models import JobPosting, Shift
from hongniang.jobs.services import monthly_estimate, validity_end
from hongniang.outreach.models import FollowUp, FollowUpEvent
from hongniang.outreach.services import followups_of_hire, recorded_event, scheduled_event
from hongniang.search.engine import reindex_all
from hongniang.seekers.models import Seeker

DEFAULT_SEED = 2026
DEMO_PASSWORD = "demo1234"
COUNTY = "360781"
COUNTY_CODE = "360781000000"
XIANGHU = "360781100000"
DEV_ZONE = "360781400000"
N_ENTERPRISES = 652
N_POSTINGS = 3000
N_SEEKERS = 20000
N_APPLICATIONS = 4000
N_GIG_ORDERS = 80
DEMO_SEEKER_PHONE = "13800000001"

# --- names -------------------------------------------------------------------------------------------------

SURNAMES = ("刘 杨 钟 谢 朱 黄 陈 曾 赖 温 邱 罗 李 王 张 吴 肖 林 周 胡 邓 曹 廖 郭 许 宋 欧阳 袁 熊 蓝 "
            "杜 丁 梁 彭 范 华 严 江 叶 邹").split()
SURNAME_WEIGHTS = [9, 9, 7, 7, 6, 6, 6, 5, 5, 4, 4, 4, 6, 5, 5, 4, 4, 3, 3, 3, 3, 2, 3, 3, 2, 2, 2, 2, 2, 2,
                   1, 1, 2, 2, 1, 1, 1, 1, 2, 1]
MALE_CHARS = "伟 强 军 明 华 建 国 平 志 勇 斌 俊 杰 涛 鹏 辉 峰 林 文 海 波 东 金 生 福 荣 根 发 龙 春 晨 宇 浩 磊 亮 清 远 新 兵 成".split()
FEMALE_CHARS = "芳 秀 英 丽 娟 敏 静 燕 霞 红 梅 兰 玲 萍 琴 慧 莉 婷 雪 娇 凤 春 花 群 珍 艳 丹 倩 颖 欣 月 桂 菊 玉 金 香 琳 怡 洁 瑶".split()
BRAND_CHARS = "瑞 丰 华 鑫 源 恒 昌 盛 通 兴 隆 金 宏 达 嘉 禾 佳 美 明 辉 联 创 众 诚 泰 和 祥 福 宝 腾 远 博 睿 新 宇 天 成 德 永 益 康 顺 安 利 旺 鸿 运 聚 汇 绵 红 赣 苏 岭 云 峰 星 卓 展".split()
ROADS = ("红都大道 金都大道 象湖路 八一路 中山路 解放路 绵江路 瑞明路 工业大道 创业大道 龙珠路 迎宾大道 "
         "环城路 建设路 胜利路 沿江路 瑞兴路 金龙大道").split()

# --- sectors: industries, the occupations they hire, the words in their names ------------------------------


@dataclass(frozen=True)
class Sector:
    key: str
    weight: int
    industries: tuple
    words: tuple
    jobs: tuple  # (common label, weight)
    kind: str  # factory | construction | service | farm


SECTORS = (
    Sector("garment", 16, ("1819", "1811", "1829"), ("服饰有限公司", "制衣有限公司", "服装有限公司", "针织有限公司"),
           (("缝纫工", 10), ("普工", 5), ("裁剪工", 3), ("整烫工", 3), ("质检员", 2), ("包装工", 0), ("仓管", 1),
            ("水洗工", 1), ("针织工", 1)), "factory"),
    Sector("shoes", 5, ("1951", "1952", "1953"), ("鞋业有限公司", "鞋业制品有限公司"),
           (("制鞋工", 8), ("普工", 5), ("缝纫工", 3), ("质检员", 2), ("仓管", 1)), "factory"),
    Sector("electronics", 16, ("3982", "3989", "3974"), ("电子有限公司", "电子科技有限公司", "光电科技有限公司",
                                                         "精密电子有限公司"),
           (("电子装配工", 10), ("普工", 8), ("线路板工", 3), ("电子调试工", 2), ("质检员", 3), ("接插件工", 2),
            ("液晶模组工", 2), ("智能硬件装配工", 2), ("注塑工", 1), ("仓管", 1), ("叉车司机", 1), ("电工", 1)),
           "factory"),
    Sector("electrical", 6, ("3841", "3825", "3831", "3872"), ("新能源科技有限公司", "电气有限公司", "照明科技有限公司",
                                                               "线缆有限公司"),
           (("电池工", 4), ("光伏组件工", 3), ("电线电缆工", 3), ("灯具装配工", 3), ("普工", 6), ("小家电装配工", 2),
            ("质检员", 2), ("电工", 1), ("叉车司机", 1), ("机修工", 1)), "factory"),
    Sector("metal", 6, ("2929", "3484", "3389"), ("塑胶制品有限公司", "精密机械有限公司", "五金制品有限公司"),
           (("注塑工", 5), ("普工", 6), ("焊工", 3), ("车工", 2), ("数控操作工", 3), ("喷漆工", 2), ("模具工", 2),
            ("装配钳工", 2), ("机修工", 1), ("质检员", 1), ("叉车司机", 1), ("安全员", 1)), "factory"),
    Sector("food", 6, ("1373", "1530", "1432", "1419"), ("食品有限公司", "果业有限公司", "茶业有限公司"),
           (("普工", 6), ("果蔬加工工", 4), ("包装工", 0), ("制茶工", 2), ("速冻食品工", 2), ("面包烘焙师", 1),
            ("仓管", 1), ("叉车司机", 1), ("货车司机", 1), ("质检员", 1)), "factory"),
    Sector("farm", 6, ("0153", "0164", "0313"), ("农业发展有限公司", "脐橙种植专业合作社", "生态农业有限公司"),
           (("脐橙种植", 5), ("采摘工/农业工人", 6), ("果品分拣工", 4), ("养殖工", 2), ("农机手", 1), ("食用菌工", 1)),
           "farm"),
    Sector("construction", 8, ("4710", "4790", "5011"), ("建筑工程有限公司", "建设工程有限公司", "装饰工程有限公司"),
           (("泥瓦工", 5), ("钢筋工", 4), ("木工", 4), ("架子工", 2), ("混凝土工", 2), ("装修工", 3), ("水电工", 3),
            ("防水工", 1), ("电工", 2), ("挖机司机", 1), ("安全员", 1), ("乡村建设工匠", 1), ("搬运工", 1)),
           "construction"),
    Sector("furniture", 4, ("2110", "2041"), ("家具有限公司", "竹木制品有限公司"),
           (("木工", 4), ("家具工", 5), ("喷漆工", 2), ("普工", 4), ("包装工", 0)), "factory"),
    Sector("logistics", 7, ("5431", "6020", "5920"), ("物流有限公司", "供应链管理有限公司", "快递有限公司"),
           (("快递员", 5), ("分拣员", 4), ("搬运工", 4), ("仓管", 3), ("理货员", 2), ("货车司机", 3), ("叉车司机", 2),
            ("外卖骑手", 2), ("客服", 1)), "service"),
    Sector("catering", 7, ("6210", "6220"), ("餐饮管理有限公司", "酒楼有限公司", "餐饮有限公司"),
           (("厨师", 5), ("服务员", 6), ("面点师", 2), ("收银员", 2), ("保洁", 1)), "service"),
    Sector("hotel", 5, ("6110", "7291"), ("酒店管理有限公司", "红色旅游发展有限公司", "旅行社有限公司"),
           (("客房服务员", 4), ("前台", 2), ("服务员", 3), ("保洁", 2), ("讲解员", 3), ("景区服务员", 2), ("保安", 1),
            ("厨师", 1)), "service"),
    Sector("retail", 6, ("5211", "5212", "5292"), ("商贸有限公司", "超市有限公司", "电子商务有限公司"),
           (("营业员", 5), ("收银员", 4), ("理货员", 3), ("销售", 3), ("直播带货", 2), ("仓管", 1), ("搬运工", 1),
            ("客服", 1)), "service"),
    Sector("property", 6, ("7020", "8211"), ("物业服务有限公司", "保安服务有限公司", "环境卫生管理有限公司"),
           (("保安", 6), ("保洁", 6), ("绿化工", 2), ("环卫工", 2), ("电工", 1), ("水电工", 1)), "service"),
    Sector("care", 5, ("8010", "8514"), ("家政服务有限公司", "养老服务有限公司", "母婴护理有限公司"),
           (("家政", 5), ("养老护理员", 4), ("育婴员", 3), ("保育员", 1), ("护工", 2), ("保洁", 1)), "service"),
    Sector("auto", 3, ("8111",), ("汽车服务有限公司", "汽车维修有限公司"),
           (("汽修工", 5), ("销售", 1), ("家电维修", 0), ("客服", 1)), "service"),
)

TITLES = {
    "普工": ["普工", "操作工", "流水线普工", "长白班普工", "包装普工"],
    "缝纫工": ["缝纫工", "车位工", "平车工", "熟练车工"],
    "电子装配工": ["电子装配工", "电子厂普工", "插件工", "组装工"],
    "叉车司机": ["叉车司机", "叉车工"],
    "保洁": ["保洁员", "保洁阿姨", "清洁工"],
    "保安": ["保安", "门卫", "巡逻保安"],
    "厨师": ["厨师", "炒锅师傅", "厨师长", "帮厨"],
    "服务员": ["服务员", "传菜员", "餐厅服务员"],
    "快递员": ["快递员", "快递派送员"],
    "搬运工": ["搬运工", "装卸工"],
    "仓管": ["仓管员", "仓库管理员"],
    "泥瓦工": ["泥瓦工", "瓦工", "砌筑工"],
    "货车司机": ["货车司机", "C1司机", "配送司机"],
    "客车司机": ["客车司机", "班车司机"],
    "家政": ["家政服务员", "钟点工", "住家保姆"],
    "采摘工/农业工人": ["脐橙采摘工", "果园工人", "农业工人"],
    "脐橙种植": ["脐橙果园管理", "果树修剪工", "脐橙种植技术员"],
    "果品分拣工": ["脐橙分拣工", "水果分拣包装工"],
    "养老护理员": ["养老护理员", "护理员"],
    "直播带货": ["带货主播", "电商主播"],
    "水电工": ["水电工", "水电安装工"],
}
PAY = {  # typical monthly range (CNY)
    "焊工": (5000, 8000), "电工": (4500, 7500), "叉车司机": (4500, 6500), "货车司机": (5500, 8000),
    "客车司机": (5000, 7000), "挖机司机": (6000, 8000), "厨师": (4500, 7500), "数控操作工": (4500, 7000),
    "模具工": (5000, 7500), "钢筋工": (5500, 8000), "泥瓦工": (5500, 8000), "木工": (5000, 8000),
    "保安": (2600, 3600), "保洁": (2500, 3200), "环卫工": (2500, 3000), "绿化工": (2600, 3300),
    "服务员": (2800, 4000), "收银员": (2800, 3800), "营业员": (2800, 4200), "前台": (2800, 3800),
    "家政": (3500, 6000), "育婴员": (4500, 7500), "养老护理员": (3500, 5500), "直播带货": (4000, 8000),
    "快递员": (4500, 7500), "外卖骑手": (4500, 7500), "缝纫工": (4000, 7000), "电子装配工": (3800, 5800),
    "普工": (3500, 5500), "讲解员": (3000, 4500),
}
PIECE = {"缝纫工": ("件", 0.8, 3.5), "制鞋工": ("双", 1.5, 4.0), "电子装配工": ("件", 0.05, 0.3),
         "普工": ("件", 0.1, 0.8), "包装工": ("箱", 0.5, 2.0), "整烫工": ("件", 0.3, 1.0), "裁剪工": ("扎", 2.0, 6.0),
         "针织工": ("件", 1.0, 3.0), "果品分拣工": ("箱", 0.5, 1.5), "采摘工/农业工人": ("斤", 0.2, 0.4)}
DAILY_KINDS = {"construction", "farm"}
DAILY_LABELS = {"搬运工", "分拣员", "家政", "装修工", "乡村建设工匠"}
HOURLY_LABELS = {"服务员", "收银员", "保洁", "理货员", "营业员", "分拣员", "前台", "客房服务员", "家政"}
CERTS = {"电工": "电工证", "焊工": "焊工证", "叉车司机": "叉车证", "货车司机": "B2驾驶证", "客车司机": "A1驾驶证",
         "厨师": "健康证", "服务员": "健康证", "面点师": "健康证", "养老护理员": "养老护理员证", "保安": "保安员证",
         "挖机司机": "挖掘机操作证", "育婴员": "育婴员证"}
OTHER_BENEFITS = ["全勤奖", "节日福利", "带薪年假", "年底双薪", "免费体检", "夫妻房", "接受宝妈", "高温补贴", "工龄奖",
                  "空调宿舍", "包工作餐"]
SEEKER_CERTS = ["电工证", "焊工证", "叉车证", "健康证", "C1驾驶证", "B2驾驶证", "养老护理员证", "育婴员证", "保安员证"]
MALE_PREF = {"焊工", "电工", "泥瓦工", "钢筋工", "木工", "架子工", "叉车司机", "货车司机", "客车司机", "挖机司机",
             "保安", "搬运工", "快递员", "外卖骑手", "机修工", "车工", "数控操作工", "汽修工", "水电工", "混凝土工"}
FEMALE_PREF = {"缝纫工", "家政", "保洁", "服务员", "育婴员", "收银员", "营业员", "养老护理员", "保育员", "整烫工",
               "电子装配工", "果品分拣工", "客房服务员", "直播带货", "前台"}
POPULAR = {"普工": 10, "缝纫工": 6, "电子装配工": 6, "保洁": 4, "保安": 4, "服务员": 4, "厨师": 3, "货车司机": 3,
           "搬运工": 3, "采摘工/农业工人": 4, "家政": 3, "快递员": 3, "泥瓦工": 3, "叉车司机": 2, "电工": 2, "焊工": 2,
           "脐橙种植": 3, "养老护理员": 2, "仓管": 2, "收银员": 2, "营业员": 2, "木工": 2}


#: however small the demo, its first enterprises are verified ones of these sectors: the village workshops' outsourcing
#: orders need a garment, a shoe and an electronics maker (demo.invariants.PRODUCT_INDUSTRIES)
ANCHOR_SECTORS = ("garment", "shoes", "electronics")


@dataclass
class DemoReport:
    seconds: float = 0.0
    skipped: bool = False
    counts: dict = field(default_factory=dict)
    logins: list = field(default_factory=list)
    lines: list = field(default_factory=list)


class _Gen:
    """Reproducible generator state: one Random, and sets that keep identifiers unique."""

    def __init__(self, seed: int):
        self.r = random.Random(seed)
        self.phones: set[str] = {DEMO_SEEKER_PHONE}
        self.ids: set[str] = set()
        self.credit_codes: set[str] = set()

    def person_name(self, male: bool) -> str:
        r = self.r
        surname = r.choices(SURNAMES, SURNAME_WEIGHTS)[0]
        chars = MALE_CHARS if male else FEMALE_CHARS
        given = r.choice(chars) + (r.choice(chars) if r.random() < 0.7 else "")
        return surname + given

    def mobile(self) -> str:
        prefixes = ("134 135 136 137 138 139 147 150 151 152 157 158 159 178 182 183 184 187 188 198 "
                    "130 131 132 155 156 166 175 176 185 186 133 153 173 177 180 181 189 199").split()
        while True:
            phone = self.r.choice(prefixes) + f"{self.r.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def landline(self) -> str:
        return f"0797-25{self.r.randrange(10**5):05d}"

    def id_number(self, birth: dt.date, male: bool) -> str:
        y = birth.year
        if y < 1994:
            area = self.r.choices(["360781", "362134"], [65, 35])[0]
        elif y < 1999:
            area = self.r.choices(["360781", "362102"], [55, 45])[0]
        else:
            area = "360781"
        while True:
            seq = self.r.randrange(500) * 2 + (1 if male else 0)
            body = f"{area}{birth:%Y%m%d}{seq:03d}"
            if body not in self.ids:
                self.ids.add(body)
                return body + ric.calc_check_digit(body + "0")

    def credit_code(self, cooperative: bool) -> str:
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        letters = "ABCDEFGHJKLMNPQRTUWXY"
        while True:
            tail = "".join(self.r.choice(alphabet) for _ in range(6)) + self.r.choice(letters)
            body = ("93" if cooperative else "91") + COUNTY + "MA" + tail
            if body not in self.credit_codes:
                self.credit_codes.add(body)
                return body + uscc.calc_check_digit(body)


def _jitter(g: _Gen, lat: float, lon: float, deg: float) -> tuple[float, float]:
    return round(lat + g.r.uniform(-deg, deg), 6), round(lon + g.r.uniform(-deg, deg), 6)


def _label_codes() -> dict[str, str]:
    return {label: code for code, label in read_common().items()}


# --- reference data ----------------------------------------------------------------------------------------


def load_reference(*, wet_run: bool, out) -> None:
    rows, _ = rows_for(county=COUNTY)
    prefix = "" if wet_run else "would load "
    out(f"{prefix}regions: {load_regions(rows, wet_run=wet_run).summary()}")
    out(f"{prefix}occupations: {load_occupations(wet_run=wet_run).summary()}")
    out(f"{prefix}industries: {load_industries(wet_run=wet_run).summary()}")


# --- demo rows ---------------------------------------------------------------------------------------------


#: Demo data of later capabilities, one module each (events, live sessions, workshops, ...). Each module has
#: NAME, exists() -> bool, delete() -> int and generate(*, seed, scale, out) -> dict of counts; it reads the core
#: demo rows (points, enterprises, postings, seekers) from the database, so it also runs on a database where the
#: core demo was loaded before the capability existed. Append new modules here.
EXTENSIONS: tuple[str, ...] = ("hongniang.demo.siting", "hongniang.demo.events", "hongniang.demo.live",
                               "hongniang.demo.workshops", "hongniang.demo.dashboards",  # dashboards: it counts the rest
                               "hongniang.demo.placements")  # after dashboards: it dates the applications


def extensions() -> list:
    import importlib

    return [importlib.import_module(name) for name in EXTENSIONS]


def demo_exists() -> bool:
    return any(m.objects.filter(is_demo=True).exists() for m in (ServicePoint, Enterprise, JobPosting, Seeker))


def delete_demo() -> dict:
    deleted = {}
    for ext in reversed(extensions()):  # later capabilities hang off the core rows: delete them first
        deleted[ext.NAME] = ext.delete()
    deleted["gigorder"] = GigOrder.objects.filter(employer__enterprise__is_demo=True).delete()[0]
    for model in (JobPosting, Seeker, Enterprise, ServicePoint):
        deleted[model._meta.model_name] = model.objects.filter(is_demo=True).delete()[0]
    return deleted


def _regions():
    regions = list(Region.objects.filter(code__startswith=COUNTY).select_related("parent"))
    by_code = {r.code: r for r in regions}
    townships = sorted((r for r in regions if r.kind == "township"), key=lambda r: r.code)
    villages: dict[str, list] = {t.code: [] for t in townships}
    for r in regions:
        if r.kind == "village" and r.parent_id in villages:
            villages[r.parent_id].append(r)
    for vs in villages.values():
        vs.sort(key=lambda r: r.code)
    return by_code, townships, villages


def _village_label(v) -> str:
    short = v.short_name or v.name
    return short + ("社区" if v.subkind == "居委会" else "村")


def make_points(g: _Gen, by_code, townships, villages):
    county = by_code[COUNTY_CODE]
    xianghu = by_code[XIANGHU]
    points = []

    def add(name, kind, region, lat, lon, address, hours):
        points.append(ServicePoint(name=name, kind=kind, region=region, lat=lat, lon=lon, address=address,
                                   opening_hours=hours, phone=g.landline(),
                                   contact_name=g.person_name(g.r.random() < 0.5), is_demo=True))

    office = "周一至周五 8:00–12:00，14:30–17:30"
    add("瑞金市就业服务中心", K.COUNTY_CENTRE, county, *_jitter(g, xianghu.lat, xianghu.lon, 0.004),
        "江西省瑞金市象湖镇红都大道人力资源市场一楼", office + "；周六 9:00–12:00")
    real_townships = [t for t in townships if t.code != DEV_ZONE]
    for t in real_townships:
        add(f"{t.name}就业之家", K.TOWNSHIP, t, t.lat, t.lon, f"江西省瑞金市{t.name}人民政府便民服务中心", office)
    dz = by_code[DEV_ZONE]
    add("瑞金经开区就业之家", K.DEV_ZONE, dz, dz.lat, dz.lon, "江西省瑞金经济技术开发区管委会一楼", office)
    xv = [v for v in villages[XIANGHU]]
    for name, addr in (("瑞金市职业中等专业学校就业之家", "江西省瑞金市象湖镇绵江路职业学校内"),
                       ("瑞金市技工学校就业之家", "江西省瑞金市象湖镇瑞明路技工学校内")):
        v = g.r.choice(xv)
        add(name, K.COLLEGE, v, *_jitter(g, v.lat, v.lon, 0.003), addr, "周一至周五 8:00–17:30（学期内）")
    n_village_points = 58 - len(points)
    pools = {t.code: g.r.sample(villages[t.code], len(villages[t.code])) for t in real_townships}
    order = sorted(real_townships, key=lambda t: (-len(villages[t.code]), t.code))
    chosen = []
    while len(chosen) < n_village_points and any(pools.values()):
        for t in order:
            if pools[t.code] and len(chosen) < n_village_points:
                chosen.append((t, pools[t.code].pop()))
    for t, v in chosen:
        add(f"{t.name}{_village_label(v)}就业之家", K.VILLAGE, v, v.lat, v.lon,
            f"江西省瑞金市{t.name}{_village_label(v)}党群服务中心",
            "周一至周五 8:30–11:30，15:00–17:30（农忙时节上门服务）")
    add("瑞金火车站就业服务台", K.RAILWAY_STATION, xianghu, *_jitter(g, xianghu.lat - 0.012, xianghu.lon - 0.02, 0.002),
        "江西省瑞金市瑞金站出站口旅客服务中心旁", "每日 7:30–20:00（春节前后返乡、返岗高峰加开）")
    add("红都文化广场就业服务台", K.CULTURE_SQUARE, xianghu, *_jitter(g, xianghu.lat - 0.01, xianghu.lon + 0.008, 0.002),
        "江西省瑞金市象湖镇红都文化广场东侧", "每周六、日 9:00–17:00（春风行动期间每日）")
    ServicePoint.objects.bulk_create(points, batch_size=500)
    return points


def make_enterprises(g: _Gen, n: int, by_code, townships, villages, now):
    industries = Industry.objects.in_bulk([c for s in SECTORS for c in s.industries])
    others = [t for t in townships if t.code not in (XIANGHU, DEV_ZONE)]
    other_w = [len(villages[t.code]) for t in others]
    names: set[str] = set()
    rows, sectors = [], []
    anchors = [next(s for s in SECTORS if s.key == key) for key in ANCHOR_SECTORS]
    for i in range(n):
        sector = g.r.choices(SECTORS, [s.weight for s in SECTORS])[0]
        if i < len(anchors):
            sector = anchors[i]
        where = g.r.random()
        if sector.kind == "farm":
            township = g.r.choices(others, other_w)[0]
        elif where < 0.35:
            township = by_code[XIANGHU]
        elif where < 0.65 and sector.kind == "factory" or where < 0.45:
            township = by_code[DEV_ZONE]
        else:
            township = g.r.choices(others, other_w)[0]
        if township.code == DEV_ZONE or g.r.random() < 0.25 or not villages[township.code]:
            region = township
            lat, lon = _jitter(g, township.lat, township.lon, 0.008 if township.code == DEV_ZONE else 0.004)
            place = "瑞金经济技术开发区" if township.code == DEV_ZONE else township.name
        else:
            region = g.r.choice(villages[township.code])
            lat, lon = _jitter(g, region.lat, region.lon, 0.003)
            place = f"{township.name}{_village_label(region)}"
        while True:
            prefix = g.r.choices(["瑞金市", "江西", "赣州", "瑞金"], [45, 25, 10, 20])[0]
            brand = g.r.choice(BRAND_CHARS) + g.r.choice(BRAND_CHARS)
            name = f"{prefix}{brand}{g.r.choice(sector.words)}"
            if brand[0] != brand[1] and name not in names:
                names.add(name)
                break
        industry_code = g.r.choice(sector.industries)
        status = g.r.choices([V.VERIFIED, V.PENDING, V.UNVERIFIED, V.REJECTED], [85, 8, 5, 2])[0]
        if i < len(anchors):
            status = V.VERIFIED
        road = g.r.choice(ROADS)
        contact_male = g.r.random() < 0.5
        # verification lasts six months (employers.services.verification_end): demo enterprises were verified
        # within the last 20–170 days
        verified_at = now - dt.timedelta(days=g.r.randint(20, 170)) if status == V.VERIFIED else None
        rows.append(Enterprise(
            name=name, credit_code=g.credit_code("合作社" in name), industry=industries.get(industry_code),
            region=region, address=f"江西省瑞金市{place}{road}{g.r.randint(1, 388)}号", lat=lat, lon=lon,
            contact_name=g.person_name(contact_male)[0] + g.r.choice(["经理", "主管", "先生" if contact_male else "女士"]),
            contact_phone=g.mobile(),
            description=f"{name}位于{place}，主要从事{industries[industry_code].name if industry_code in industries else '生产经营'}。",
            verification_status=status,
            verified_at=verified_at,
            verified_until=verification_end(timezone.localdate(verified_at)) if verified_at else None,
            is_demo=True))
        sectors.append(sector)
    Enterprise.objects.bulk_create(rows, batch_size=500)
    return rows, sectors


def _pay(g: _Gen, label: str, sector: Sector):
    """(pay_type, pay_min, pay_max, piece_unit, monthly_min, monthly_max, shift_hint). The monthly figures are
    the enterprise's own estimate for piece pay, else the jobs app's (monthly_estimate), as a posting form
    would compute them."""
    r = g.r
    x = r.random()
    if label in PIECE and x < 0.22:
        unit, lo, hi = PIECE[label]
        a = round(r.uniform(lo, (lo + hi) / 2), 2)
        b = round(r.uniform(a, hi), 2)
        m_lo = r.randint(35, 50) * 100
        m_hi = min(8000, m_lo + r.randint(10, 25) * 100)
        return "piece", Decimal(f"{a:.2f}"), Decimal(f"{b:.2f}"), unit, m_lo, m_hi, None
    if (sector.kind in DAILY_KINDS or label in DAILY_LABELS) and x < 0.5:
        a = r.randint(15, 23) * 10
        b = min(260, a + r.choice([0, 10, 20, 30, 50]))
        return ("daily", Decimal(a), Decimal(b), "", monthly_estimate("daily", Decimal(a)),
                monthly_estimate("daily", Decimal(b)), None)
    if label in HOURLY_LABELS and x < 0.3:
        a = r.randint(18, 23)
        b = min(25, a + r.choice([0, 1, 2, 3]))
        part = r.random() < 0.6
        return ("hourly", Decimal(a), Decimal(b), "", monthly_estimate("hourly", Decimal(a)),
                monthly_estimate("hourly", Decimal(b)), "part_time" if part else "flexible")
    lo, hi = PAY.get(label, (3200, 5500))
    a = max(2500, int(r.uniform(lo, (lo + hi) / 2) / 100) * 100)
    b = min(8000, a + r.randint(5, 25) * 100)
    a = min(a, b)
    return ("monthly", Decimal(a), Decimal(b), "", monthly_estimate("monthly", Decimal(a)),
            monthly_estimate("monthly", Decimal(b)), None)


def make_postings(g: _Gen, n: int, enterprises, sectors, by_code, now, label_codes):
    occupations = Occupation.objects.in_bulk(list(label_codes.values()))
    pool = [(e, s) for e, s in zip(enterprises, sectors, strict=True) if e.verification_status == V.VERIFIED] or \
        list(zip(enterprises, sectors, strict=True))
    sizes = [g.r.choice([1, 1, 2, 2, 3, 5, 8]) for _ in pool]
    shift_labels = dict(Shift.choices)
    rows = []
    for _ in range(n):
        e, sector = g.r.choices(pool, sizes)[0]
        labels = [(lab, w) for lab, w in sector.jobs if w > 0 and lab in label_codes]
        label = g.r.choices([lab for lab, _ in labels], [w for _, w in labels])[0]
        title = g.r.choice(TITLES.get(label, [label]))
        pay_type, pmin, pmax, unit, mmin, mmax, shift_hint = _pay(g, label, sector)
        if shift_hint:
            shift = shift_hint
        elif pay_type == "piece" and sector.key == "garment" and g.r.random() < 0.3:
            shift = "home_piecework"
        elif sector.kind == "factory":
            shift = g.r.choices(["day", "two_shift", "three_shift", "flexible"], [50, 35, 10, 5])[0]
        elif sector.kind in ("construction", "farm"):
            shift = g.r.choices(["day", "flexible"], [80, 20])[0]
        else:
            shift = g.r.choices(["day", "two_shift", "flexible"], [50, 20, 30])[0]
        casual = pay_type == "hourly" or shift in ("part_time", "home_piecework")
        p = {"factory": (60, 55, 25, 55), "construction": (50, 30, 5, 15), "farm": (60, 30, 10, 5),
             "service": (60, 25, 5, 40)}[sector.kind]
        board, lodging, shuttle, si = (not casual and g.r.random() * 100 < x for x in p)
        other = "、".join(g.r.sample(OTHER_BENEFITS, g.r.choice([0, 0, 1, 2, 3])))
        if g.r.random() < 0.1:
            age_min = age_max = None
        else:
            age_min = 18
            age_max = g.r.choice([40, 45, 50, 55] if sector.kind == "factory" else [45, 50, 55, 58, 60])
        certs = [CERTS[label]] if label in CERTS and g.r.random() < 0.7 else []
        region = e.region
        township = region.township
        published = now - dt.timedelta(seconds=g.r.uniform(0, 30 * 86400 - 3600))
        valid_from = timezone.localtime(published).date()
        perks = [w for w, on in (("包吃", board), ("包住", lodging), ("班车接送", shuttle), ("五险一金", si)) if on]
        pay_note = {"piece": f"计件工资，多劳多得，熟手月入约 {mmin}–{mmax} 元",
                    "daily": "日结或月结可选", "hourly": "按小时计薪，时间灵活",
                    "monthly": "底薪加绩效，按月足额发放"}[pay_type]
        desc = (f"招聘{title}，{shift_labels[shift]}。{pay_note}。" + (f"福利：{'、'.join(perks)}。" if perks else "")
                + (f"要求：持{certs[0]}。" if certs else "") + ("无经验可培训，" if label in ("普工", "缝纫工", "电子装配工") else "")
                + f"工作地点：{e.address}。")
        rows.append(JobPosting(
            enterprise=e, title=title, occupation=occupations.get(label_codes[label]),
            headcount=g.r.randint(5, 60) if label in ("普工", "缝纫工", "电子装配工", "采摘工/农业工人") else g.r.randint(1, 8),
            pay_type=pay_type, pay_min=pmin, pay_max=pmax, piece_unit=unit, monthly_min=mmin, monthly_max=mmax,
            shift=shift, board=board, lodging=lodging, shuttle=shuttle, social_insurance=si, other_benefits=other,
            region=region, township=township, address=e.address, lat=e.lat, lon=e.lon, age_min=age_min,
            age_max=age_max, certificates=certs, description=desc, status="published", valid_from=valid_from,
            valid_until=validity_end(valid_from), published_at=published, is_demo=True))
    JobPosting.objects.bulk_create(rows, batch_size=500)
    return rows


def _seeker_obj(g: _Gen, *, name, male, birth, id_number, phone, village, point, desired, now):
    r = g.r
    shifts = ["day"]
    for s, p in (("two_shift", 0.5), ("three_shift", 0.15), ("flexible", 0.3), ("part_time", 0.2),
                 ("home_piecework", 0.0 if male else 0.2)):
        if r.random() < p:
            shifts.append(s)
    rural = village.parent_id != XIANGHU
    months = [4, 5, 9, 10] if rural and r.random() < 0.3 else ([10, 11] if rural and r.random() < 0.05 else [])
    age = now.year - birth.year
    base = 3000 + r.randint(0, 30) * 100 + (500 if male and age < 45 else 0)
    seeker = Seeker(
        name=name, phone=phone, gender="M" if male else "F", birth_year=birth.year,
        home_region=village, lat=village.lat, lon=village.lon, desired_occupations=desired,
        certificates=[r.choice(SEEKER_CERTS)] if r.random() < 0.1 else [],
        expected_pay=min(base, 8000), acceptable_shifts=shifts,
        max_commute_km=r.choices([3, 5, 10, 15, 20, 30, 50], [5, 15, 25, 20, 15, 10, 10])[0],
        relocate=r.random() < 0.12, unavailable_months=months, service_point=point,
        consent_at=now - dt.timedelta(days=r.uniform(1, 400)),
        consent_channel=r.choices(["paper", "screen", "verbal", "online"], [40, 25, 15, 20])[0],
        is_active=r.random() < 0.92, is_demo=True)
    seeker.set_id_number(id_number)  # registered: staff saw the ID card
    return seeker


def make_seekers(g: _Gen, n: int, townships, villages, points_by_region, now, label_codes):
    homes = [t for t in townships if t.code != DEV_ZONE and villages[t.code]]
    home_w = [len(villages[t.code]) * (2 if t.code == XIANGHU else 1) for t in homes]
    labels = [lab for lab in label_codes]
    w_m = [POPULAR.get(lab, 1) * (3 if lab in MALE_PREF else (0.3 if lab in FEMALE_PREF else 1)) for lab in labels]
    w_f = [POPULAR.get(lab, 1) * (3 if lab in FEMALE_PREF else (0.2 if lab in MALE_PREF else 1)) for lab in labels]
    years = list(range(1965, 2007))
    year_w = [1 + min(y - 1965, 2006 - y) for y in years]
    rows = []
    for _ in range(n):
        male = g.r.random() < 0.52
        birth = dt.date(g.r.choices(years, year_w)[0], 1, 1) + dt.timedelta(days=g.r.randrange(365))
        township = g.r.choices(homes, home_w)[0]
        village = g.r.choice(villages[township.code])
        k = g.r.choices([1, 2, 3], [40, 35, 25])[0]
        desired = []
        while len(desired) < k:
            lab = g.r.choices(labels, w_m if male else w_f)[0]
            if label_codes[lab] not in desired:
                desired.append(label_codes[lab])
        rows.append(_seeker_obj(g, name=g.person_name(male), male=male, birth=birth,
                                id_number=g.id_number(birth, male), phone=g.mobile(), village=village,
                                point=points_by_region.get(township.code), desired=desired, now=now))
    Seeker.objects.bulk_create(rows, batch_size=1000)
    return rows


GIG_KINDS = [  # (work type, title, pay type, rate range, hours)
    ("moving", "仓库搬运", "hour", (20, 28), ("08:00", "12:00")),
    ("loading", "货车装卸", "day", (180, 240), ("07:30", "17:30")),
    ("cleaning", "厂房保洁", "hour", (18, 22), ("13:30", "17:30")),
    ("picking", "脐橙采摘", "day", (150, 200), ("07:00", "16:00")),
    ("housekeeping", "家政钟点工", "hour", (25, 35), ("09:00", "11:00")),
    ("helper", "工地小工", "day", (170, 220), ("07:00", "17:00")),
    ("general", "临时普工（电子厂）", "hour", (18, 21), ("08:00", "20:00")),
]


def make_gig_orders(g: _Gen, n: int, enterprises, villages_all, points_by_region, now):
    """Open gig orders for today and the next six days, posted by some demo enterprises (零工超市)."""
    today = timezone.localdate()
    verified = [e for e in enterprises if e.verification_status == "verified"][:40]
    employers = GigEmployer.objects.bulk_create(
        [GigEmployer(enterprise=e, name=e.name, phone=e.contact_phone, region=e.region) for e in verified])
    orders = []
    for _ in range(n):
        kind, title, pay_type, (lo, hi), (start, end) = g.r.choice(GIG_KINDS)
        village = g.r.choice(villages_all)
        rate = Decimal(g.r.randint(lo, hi))
        sh, sm = map(int, start.split(":"))
        eh, em = map(int, end.split(":"))
        total = order_total(pay_type, rate, scheduled_hours(dt.time(sh, sm), dt.time(eh, em)))
        emp = g.r.choice(employers)
        orders.append(GigOrder(
            employer=emp, work_type=kind, title=title, date=today + dt.timedelta(days=g.r.randint(0, 6)),
            start_time=dt.time(sh, sm), end_time=dt.time(eh, em), region=village, township_id=village.parent_id,
            address=f"{village.name}{g.r.choice(['村委会旁', '仓库', '果园', '厂区东门'])}", lat=village.lat, lon=village.lon,
            pay_type=pay_type, pay_rate=rate, total_per_worker=total,
            headcount=g.r.randint(1, 8), requirements=g.r.choice(["", "能吃苦", "身体健康", "有力气"]),
            meals_provided=g.r.random() < 0.5, transport_provided=g.r.random() < 0.3,
            contact_name=emp.enterprise.contact_name, contact_phone=emp.phone,
            service_point=points_by_region.get(village.parent_id)))
    GigOrder.objects.bulk_create(orders, batch_size=500)
    OrderEvent.objects.bulk_create([ORDER.event(o, "create") for o in orders])
    return orders


#: why HR turns down an applicant once every place of the posting is taken
FULL_REASON = "岗位已招满"


class Places:
    """The places taken of the demo postings while generating (offers and hires, as the matching and HR's posting
    page count them), so that no generator offers a place beyond a posting's headcount. Starts from what is in the
    database (the extensions run after the core pipeline)."""

    def __init__(self):
        from django.db.models import Count

        self.taken: dict[int, int] = dict(
            Application.objects.filter(posting__is_demo=True, status__in=TAKES_PLACE).values_list("posting_id")
            .annotate(n=Count("id")).values_list("posting_id", "n"))

    def free(self, posting) -> bool:
        return self.taken.get(posting.pk, 0) < posting.headcount

    def take(self, posting) -> None:
        self.taken[posting.pk] = self.taken.get(posting.pk, 0) + 1


#: the pipeline action that leads to each status of the mix (its event row names it)
PIPELINE_ACTION = {"viewed": "view", "contacted": "contact", "interview": "interview", "offered": "offer",
                   "hired": "hire", "rejected": "reject", "withdrawn": "withdraw"}
PIPELINE_MIX = [("applied", 40), ("viewed", 14), ("contacted", 10), ("interview", 5), ("offered", 3), ("hired", 20),
                ("rejected", 6), ("withdrawn", 2)]


def make_pipeline(g: _Gen, n: int, seekers, postings, now):
    """Applications across the hiring pipeline (mostly to postings in the seeker's township), with their events;
    hires get start dates, some confirmed starts and first-month pay reports, and their 7/30/90-day follow-ups
    (older ones already done by staff) — so the staff workspace and the bureau's records have something to show."""
    today = timezone.localdate()
    by_township: dict[str, list] = {}
    for p in postings:
        by_township.setdefault(p.township_id, []).append(p)
    active = [s for s in seekers if s.is_active and s.service_point_id]
    statuses, weights = zip(*PIPELINE_MIX, strict=True)
    apps, seen = [], set()
    places = Places()
    while len(apps) < n and active:
        s = g.r.choice(active)
        town = s.home_region.parent_id if s.home_region and s.home_region.parent_id else None
        pool = by_township.get(town) or postings
        p = g.r.choice(pool)
        if (s.pk, p.pk) in seen:
            continue
        status, full = g.r.choices(statuses, weights)[0], False
        if status in TAKES_PLACE and not places.free(p):
            # the posting is full: the offer goes to another posting of the township with a place left, or HR
            # turns the person down (no posting ever has more offers and hires than its headcount)
            room = [q for q in pool if places.free(q) and (s.pk, q.pk) not in seen]
            if room:
                p = g.r.choice(room)
            else:
                status, full = "rejected", True
        seen.add((s.pk, p.pk))
        if status in TAKES_PLACE:
            places.take(p)
        a = Application(seeker=s, posting=p, status=status, channel=g.r.choice(["self", "self", "staff"]),
                        consent_at=now, consent_channel="online")
        if a.channel == "staff":
            a.consent_channel = g.r.choice(["paper", "verbal"])
        if status == "interview":
            a.interview_at = now + dt.timedelta(days=g.r.randint(1, 7), hours=g.r.randint(0, 8))
            a.interview_place = p.address or p.enterprise.address
        if status == "hired":
            a.start_date = today - dt.timedelta(days=g.r.randint(0, 120))
            if g.r.random() < 0.6:
                a.actual_start_date = a.start_date
                a.start_confirmed_at = now
                if (today - a.start_date).days >= 28 and g.r.random() < 0.7:
                    low = p.monthly_min if g.r.random() < 0.8 else int(p.monthly_min * 0.85)
                    a.pay_amount = g.r.randint(low, max(low, p.monthly_max))
                    a.pay_reported_at = now
        if status in ("rejected", "withdrawn"):
            a.close_reason = "年龄或班次不合适" if status == "rejected" else "已在别处上班"
            if full:
                a.close_reason = FULL_REASON
        apps.append(a)
    Application.objects.bulk_create(apps, batch_size=1000)
    events = []
    for a in apps:
        events.append(ApplicationEvent(application=a, action="apply", from_status="", to_status="applied"))
        if a.status != "applied":
            events.append(ApplicationEvent(application=a, action=PIPELINE_ACTION[a.status], from_status="applied",
                                           to_status=a.status, reason=a.close_reason))
    ApplicationEvent.objects.bulk_create(events, batch_size=2000)
    followups = []
    for a in apps:
        if a.status != "hired":
            continue
        for f in followups_of_hire(a, a.start_date):
            if f.due_on < today - dt.timedelta(days=3) and g.r.random() < 0.85:
                f.status = "done"
                f.still_working = g.r.random() < 0.85
                f.paid_as_promised = g.r.random() < 0.9
                f.done_at = now
            followups.append(f)
    save_followups(followups)
    return apps


def save_followups(followups: list) -> None:
    """Write unsaved follow-ups (outreach.services.followups_of_hire) in bulk with the events the outreach
    services write: scheduled, and recorded for the done ones."""
    FollowUp.objects.bulk_create(followups, batch_size=2000)
    events = [scheduled_event(f) for f in followups]
    events += [recorded_event(f) for f in followups if f.status == "done"]
    FollowUpEvent.objects.bulk_create(events, batch_size=2000)


def ensure_logins(g: _Gen | None = None) -> list[tuple[str, str, str]]:
    """Create or refresh the four demo log-ins (one per role). Returns (role, login, password)."""
    def user(username, **fields):
        u, _ = User.objects.get_or_create(username=username)
        for k, v in fields.items():
            setattr(u, k, v)
        u.set_password(DEMO_PASSWORD)
        u.save()
        return u

    out = []
    seeker_user = user(DEMO_SEEKER_PHONE, phone=DEMO_SEEKER_PHONE, display_name="谢春花")
    seeker = Seeker.objects.filter(phone=DEMO_SEEKER_PHONE, is_demo=True).first()
    if seeker is None:
        g = g or _Gen(DEFAULT_SEED)
        village = Region.objects.filter(parent_id=XIANGHU, kind="village").order_by("code").first()
        birth = dt.date(1988, 6, 12)
        codes = _label_codes()
        seeker = _seeker_obj(g, name="谢春花", male=False, birth=birth, id_number=g.id_number(birth, False),
                             phone=DEMO_SEEKER_PHONE, village=village,
                             point=ServicePoint.objects.filter(region_id=XIANGHU, kind="township", is_demo=True).first(),
                             desired=[codes["缝纫工"], codes["普工"]], now=timezone.now())
        seeker.is_active = True
        seeker.consent_channel = "online"
        seeker.save()
    if seeker.user_id != seeker_user.pk:
        seeker.user = seeker_user
        seeker.save(update_fields=["user"])
    out.append(("求职者", DEMO_SEEKER_PHONE, DEMO_PASSWORD))

    ent = (Enterprise.objects.filter(is_demo=True, verification_status="verified", region_id=DEV_ZONE,
                                     name__contains="服饰").order_by("id").first()
           or Enterprise.objects.filter(is_demo=True, verification_status="verified").order_by("id").first())
    hr = user("hr_demo", display_name=f"{ent.name}招聘专员" if ent else "企业招聘专员")
    if ent and not EnterpriseMembership.objects.filter(user=hr).exists():
        EnterpriseMembership.objects.create(user=hr, enterprise=ent)
    out.append(("企业招聘专员" + (f"（{ent.name}）" if ent else ""), "hr_demo", DEMO_PASSWORD))

    point = ServicePoint.objects.filter(name="象湖镇就业之家").first()
    staff = user("staff_demo", display_name="象湖镇就业之家工作人员")
    if point:
        StaffMembership.objects.get_or_create(user=staff, service_point=point, defaults={"title": "专职工作人员"})
    out.append(("就业之家工作人员（象湖镇就业之家）", "staff_demo", DEMO_PASSWORD))

    user("admin", display_name="瑞金市人社局管理员", is_bureau=True, is_staff=True, is_superuser=True)
    out.append(("人社局管理员", "admin", DEMO_PASSWORD))
    return out


def _refresh_statistics() -> None:
    """Planner statistics for every table, after the load's transaction, and on PostgreSQL the dead row versions the
    load's own updates left cleared (VACUUM also sets the visibility map that index-only scans need). The statistics
    migrate left describe empty tables: until autovacuum caught up, PostgreSQL read a page's 20 postings through the
    township index, 5 ms instead of 0.1 ms; and at 10x the load left 220,000 dead seeker rows (every seeker is
    written twice) that cost the logged-in pages a quarter of their rate until autovacuum reached them (the 10x
    crowd bench). Neither command can run inside a transaction: within one (the tests) only ANALYZE runs."""
    command = ("VACUUM (ANALYZE)" if connection.vendor == "postgresql" and not connection.in_atomic_block
               else "ANALYZE")
    with connection.cursor() as cur:
        cur.execute(command)


def load_demo(*, seed: int = DEFAULT_SEED, scale: float = 1.0, wet_run: bool = False, reset: bool = False,
              out=print) -> DemoReport:
    t0 = time.perf_counter()
    report = DemoReport()
    n_ent = max(5, round(N_ENTERPRISES * scale))
    n_post = max(10, round(N_POSTINGS * scale))
    n_seek = max(10, round(N_SEEKERS * scale))
    if not wet_run:
        load_reference(wet_run=False, out=out)
        exists = demo_exists()
        if exists and not reset:
            out("demo data already present (is_demo rows): generation would be skipped; use --reset to regenerate")
        else:
            out(("would delete all is_demo rows, then " if exists else "") +
                f"would generate (seed {seed}): 60 service points, {n_ent} enterprises, {n_post} postings, "
                f"{n_seek} seekers, 4 demo log-ins")
        out("DRY RUN: nothing written; add --wet-run")
        report.seconds = time.perf_counter() - t0
        return report

    with transaction.atomic():
        load_reference(wet_run=True, out=out)
        if demo_exists():
            if not reset:
                out("demo data already present (is_demo rows): generation skipped, log-ins refreshed "
                    "(use --reset to delete and regenerate)")
                report.skipped = True
            else:
                out(f"deleted demo rows: {delete_demo()}")
        g = _Gen(seed)
        if not report.skipped:
            now = timezone.now()
            by_code, townships, villages = _regions()
            label_codes = _label_codes()
            points = make_points(g, by_code, townships, villages)
            points_by_region = {p.region_id: p for p in points if p.kind in ("township", "dev_zone")}
            enterprises, sectors = make_enterprises(g, n_ent, by_code, townships, villages, now)
            postings = make_postings(g, n_post, enterprises, sectors, by_code, now, label_codes)
            seekers = make_seekers(g, n_seek - 1, townships, villages, points_by_region, now, label_codes)
            applications = make_pipeline(g, max(10, round(N_APPLICATIONS * scale)), seekers, postings, now)
            all_villages = [v for t in townships for v in villages[t.code]]
            gig_orders = make_gig_orders(g, max(5, round(N_GIG_ORDERS * scale)), enterprises, all_villages,
                                         points_by_region, now)
            report.counts = {"service_points": len(points), "enterprises": len(enterprises),
                             "postings": len(postings), "seekers": len(seekers) + 1,
                             "applications": len(applications), "gig_orders": len(gig_orders)}

            report.counts["search_index"] = reindex_all()
            out(f"generated (seed {seed}): " + ", ".join(f"{k} {v}" for k, v in report.counts.items()))
        report.logins = ensure_logins(g)
        for ext in extensions():
            if reset or not ext.exists():
                counts = ext.generate(seed=seed, scale=scale, out=out)
                report.counts.update(counts)
                out(f"{ext.NAME} (seed {seed}): " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        for ext in extensions():  # a capability's own demo log-ins (e.g. workshop_demo)
            report.logins += list(getattr(ext, "logins", list)())
    _refresh_statistics()
    report.seconds = time.perf_counter() - t0
    out(f"demo log-ins (password for all: {DEMO_PASSWORD}):")
    for role, login, password in report.logins:
        out(f"  {role}: {login} / {password}")
    out(f"done in {report.seconds:.1f} s")
    return report
