"""Seeded generator of realistic posting texts (titles + descriptions) for recall tests and benchmarks."""

from __future__ import annotations

import random

JOBS = [
    "普工",
    "操作工",
    "装配工",
    "叉车工",
    "缝纫工",
    "车位工",
    "包装工",
    "搬运工",
    "装卸工",
    "质检员",
    "仓管员",
    "保洁员",
    "清洁工",
    "保安员",
    "服务员",
    "餐厅服务员",
    "收银员",
    "营业员",
    "厨师",
    "帮厨",
    "电工",
    "焊工",
    "木工",
    "钢筋工",
    "货车司机",
    "驾驶员",
    "快递员",
    "分拣员",
    "家政服务员",
    "养老护理员",
    "育婴员",
    "流水线工人",
    "学徒工",
    "理货员",
]
PLACES = [
    "电子厂",
    "服装厂",
    "鞋厂",
    "食品厂",
    "工地",
    "物流园",
    "超市",
    "酒店",
    "饭店",
    "医院",
    "帮扶车间",
    "社区工厂",
]
TOWNS = [
    "象湖镇",
    "瑞林镇",
    "壬田镇",
    "九堡镇",
    "沙洲坝镇",
    "谢坊镇",
    "武阳镇",
    "叶坪镇",
    "大柏地乡",
    "云石山乡",
    "瑞金经开区",
]
SHIFTS = ["长白班", "两班倒", "三班倒", "白夜班轮换", "时间自由", "兼职", "居家计件"]
BENEFITS = [
    "包吃住",
    "包吃不包住",
    "包住",
    "包中餐",
    "五险一金",
    "缴纳社保",
    "班车接送",
    "年底双薪",
    "满勤奖200元",
]
NUMS = ["一", "两", "三", "五", "十", "二十"]


def pay(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.45:
        lo = rng.randrange(2500, 7000, 100)
        sep = rng.choice(["-", "~", "至", "到"])
        return f"月薪{lo}{sep}{lo + rng.randrange(500, 3000, 100)}元"
    if kind < 0.6:
        return f"日结{rng.randrange(100, 300, 10)}元/天"
    if kind < 0.75:
        return f"时薪{rng.randrange(15, 30)}元，月入{rng.randrange(3500, 6000, 100)}左右"
    if kind < 0.85:
        return f"计件{rng.choice(['0.3', '0.5', '0.8', '1.2'])}元/件，多劳多得"
    return rng.choice(["月薪三千五", "工资四千五到六千", "月入过万", "保底3000+提成", "4.5k-6k", "一万二"])


def posting_text(rng: random.Random) -> str:
    job = rng.choice(JOBS)
    parts = [
        f"{rng.choice(['招聘', '急招', '诚聘', '招'])}{rng.choice(PLACES) if rng.random() < 0.4 else ''}{job}"
        f"{rng.randint(1, 50)}名"
        if rng.random() < 0.7
        else f"{rng.choice(NUMS)}名{job}",
        pay(rng),
        rng.choice(SHIFTS),
        "，".join(rng.sample(BENEFITS, rng.randint(0, 3))),
        f"年龄{rng.randint(16, 25)}-{rng.randint(40, 60)}岁" if rng.random() < 0.6 else "男女不限",
        f"地点：{rng.choice(TOWNS)}",
        f"电话1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}",
    ]
    rng.shuffle(parts[1:5])
    return "，".join(p for p in parts if p)


def corpus(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [posting_text(rng) for _ in range(n)]
