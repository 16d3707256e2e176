"""The figures the dashboard and the report show: their names, what they count, and what "verified" means for
each (the provenance line under every headline figure). One place, so the dashboard, the API, the report and
the public page say the same thing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    kind: str  # "flow" (summed over the period) | "stock" (at the period's end)
    unit: str = "个"
    side: str = "demand"  # "demand" (where the job is) | "supply" (where the person lives / their point)
    verified_label: str = ""  # what the verified part is; "" = every record is a system record
    self_label: str = ""


METRICS: dict[str, Metric] = {m.key: m for m in [
    Metric("enterprises_total", "在册企业", "stock", "家", verified_label="已通过人社局认证", self_label="未认证（企业自报）"),
    Metric("enterprises_new", "新注册企业", "flow", "家", verified_label="注册当天即已认证", self_label="企业自报"),
    Metric("enterprises_verified_new", "新通过认证企业", "flow", "家"),
    Metric("postings_open", "在招岗位", "stock", "个", verified_label="来自已认证企业", self_label="来自未认证企业"),
    Metric("positions_open", "在招人数", "stock", "人", verified_label="来自已认证企业", self_label="来自未认证企业"),
    Metric("postings_published", "新发布岗位", "flow", "个", verified_label="来自已认证企业", self_label="来自未认证企业"),
    Metric("positions_published", "新发布招聘人数", "flow", "人", verified_label="来自已认证企业",
           self_label="来自未认证企业"),
    Metric("seekers_total", "登记求职者", "stock", "人", "supply", verified_label="在就业之家现场登记",
           self_label="本人线上注册"),
    Metric("seekers_active", "正在求职", "stock", "人", "supply", verified_label="在就业之家现场登记",
           self_label="本人线上注册"),
    Metric("seekers_new", "新登记求职者", "flow", "人", "supply", verified_label="在就业之家现场登记",
           self_label="本人线上注册"),
    Metric("seekers_wanting", "求职意向人数", "stock", "人", "supply"),
    Metric("applications", "报名", "flow", "人次", "supply", verified_label="工作人员见证代报",
           self_label="本人线上报名"),
    Metric("interviews", "约面试", "flow", "人次", "supply"),
    Metric("hires", "录用上岗", "flow", "人次", "supply"),  # counts only: provenance comes from HireRecord
    Metric("gig_worked", "零工完工", "flow", "人次", "supply"),
    Metric("fill_days", "录用周期合计（天）", "flow", "天", "supply"),  # sum of days from publication to hire
    Metric("fill_hires", "有录用周期的录用", "flow", "人次", "supply"),
    Metric("gig_orders", "零工订单", "flow", "单"),
    Metric("gig_positions", "零工用工人数", "flow", "人"),
]}

#: flows summed into month rows by the aggregation (stocks are read at a day)
FLOWS = tuple(k for k, m in METRICS.items() if m.kind == "flow")
STOCKS = tuple(k for k, m in METRICS.items() if m.kind == "stock")

#: channels a hire (or application) came through; events/live add fair, park_visit, live through
#: hongniang.dashboards.channels.register_channel when their models are on main
HIRE_VERIFIED_LABEL = "本人确认上岗或回访确认"
HIRE_SELF_LABEL = "仅企业标记录用"
