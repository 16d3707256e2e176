"""The job pages go through Django's i18n: Chinese is the source language (the msgids), English comes from
hongniang/locale/en. LocaleMiddleware picks the language from the django_language cookie or the
Accept-Language header (there are no /en/ URL prefixes)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation

from hongniang.jobs.models import PostingStatus

ENGLISH = [
    pytest.param({"headers": {"accept-language": "en"}}, id="accept-language"),
    pytest.param({"cookie": "en"}, id="cookie"),
]


def get(client, url, data=None, *, headers=None, cookie=None):
    if cookie:
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = cookie
    return client.get(url, data, headers=headers or {})


@pytest.fixture
def three_jobs(make_posting):
    return [make_posting(title="电子厂普工", headcount=1), make_posting(title="缝纫工"), make_posting(title="保洁员")]


def test_search_results_are_chinese_by_default(client, three_jobs):
    r = client.get(reverse("jobs:list"), {"q": "普工"})
    html = r.content.decode()
    assert r["Content-Language"] == "zh-hans"
    assert "共找到 <b>1</b> 个岗位" in html
    assert "查找岗位" in html and "招 1 人" in html and "已认证" in html
    assert "Found" not in html and "Find jobs" not in html


@pytest.mark.parametrize("how", ENGLISH)
def test_search_results_in_english(client, three_jobs, how):
    r = get(client, reverse("jobs:list"), {"q": "普工"}, **how)
    html = r.content.decode()
    assert r["Content-Language"] == "en"
    assert "Found <b>1</b> job</p>" in html
    assert "<h1>Find a job</h1>" in html and "Find jobs</button>" in html
    assert "Hiring 1 person" in html and '<span class="tag ok">Verified</span>' in html
    for chinese in ("共找到", "个岗位", "查找岗位", "招 1 人", "已认证", "更多条件"):
        assert chinese not in html, chinese
    assert "电子厂<mark>普工</mark>" in html  # the data stays as it is


def test_english_plural_and_no_results(client, three_jobs):
    html = client.get(reverse("jobs:list"), headers={"accept-language": "en"}).content.decode()
    assert "Found <b>3</b> jobs</p>" in html and "Hiring 5 people" in html
    html = client.get(reverse("jobs:list"), {"q": "宇航员"}, headers={"accept-language": "en"}).content.decode()
    assert "No jobs match your search." in html and "Clear the filters and see all jobs" in html
    assert "没有找到符合条件的岗位" not in html


def test_htmx_results_fragment_follows_the_language(client, three_jobs):
    r = client.get(reverse("jobs:list"), {"q": "普工"},
                   headers={"HX-Request": "true", "HX-Target": "results", "accept-language": "en"})
    html = r.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "Found <b>1</b> job" in html and "共找到" not in html


def test_search_form_labels_in_english(client, three_jobs):
    """The filter form's labels and choices come from forms.py (gettext_lazy), not from the templates."""
    html = client.get(reverse("jobs:list"), {"q": "普工", "pay_min": "2000", "sort": "pay"},
                      headers={"accept-language": "en"}).content.decode()
    assert '<label for="id_pay_min">Monthly pay at least</label>' in html
    assert '<label for="id_pay_max">Monthly pay at most</label>' in html and 'placeholder="yuan"' in html
    assert '<label for="id_sort">Sort by</label>' in html
    for choice in ('value="">Default<', 'value="relevance">Most relevant<', 'value="distance">Nearest to me<',
                   'value="newest">Newest<', 'value="pay" selected>Highest pay<', ">All occupations<"):
        assert choice in html, choice
    assert 'placeholder="Job, occupation or employer, e.g. 普工, 缝纫, zpg"' in html  # searchable Chinese examples
    for chinese in ("月收入不低于", "月收入不高于", "排序", "最相关", "离我最近", "最新发布", "工资最高", "全部工种"):
        assert chinese not in html, chinese


def test_detail_page_is_chinese_by_default(client, posting):
    html = client.get(reverse("jobs:detail", args=[posting.pk])).content.decode()
    assert "<dt>用人单位</dt>" in html and "举报该岗位" in html and "<dt>招聘人数</dt><dd>5 人</dd>" in html
    assert "Report this job" not in html


@pytest.mark.parametrize("how", ENGLISH)
def test_detail_page_in_english(client, posting, how):
    html = get(client, reverse("jobs:detail", args=[posting.pk]), **how).content.decode()
    assert "<dt>Employer</dt>" in html and "Report this job</a>" in html
    assert "<dt>Openings</dt><dd>5 people</dd>" in html and "18–50 years old" in html
    for chinese in ("用人单位", "举报该岗位", "招聘人数", "岗位描述", "发布日期", "的其他岗位"):
        assert chinese not in html, chinese
    assert "瑞金红都服饰有限公司" in html


def test_draft_notice_in_english(client, make_posting, hr):
    p = make_posting(status=PostingStatus.DRAFT, published_at=None)
    client.force_login(hr)
    html = client.get(reverse("jobs:detail", args=[p.pk]), headers={"accept-language": "en"}).content.decode()
    assert "Job seekers cannot see it." in html and "<dd>Not published</dd>" in html
    assert "求职者看不到" not in html


def test_nav_and_apply_box_in_english(client, posting, seeker_user):
    """The detail page's navigation (registered by the apps) and apply box (the applications app's template)."""
    url = reverse("jobs:detail", args=[posting.pk])
    html = client.get(url, headers={"accept-language": "en"}).content.decode()
    for english in (">Gigs</a>", ">Job fairs</a>", ">Live</a>", ">Open data</a>", ">Mobile number</label>",
                    "Apply with your mobile number (get a code first)</button>", "Log in to apply in one step</a>"):
        assert english in html, english
    for chinese in ("零工", "招聘会", "直播", "公开数据", "手机号", "用手机号报名", "登录后一键报名", "已有账号"):
        assert chinese not in html, chinese
    client.force_login(seeker_user)
    html = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "Apply now</button>" in html and "The employer will see your name and mobile number" in html
    assert "Community workshops</a>" in html
    for chinese in ("一键报名", "企业会看到", "社区工厂"):
        assert chinese not in html, chinese


def test_the_home_pages_seeker_figure_says_what_it_counts(client, regions, point_a):
    """The home page counts the people looking for work now (the dashboard's 正在求职), not everyone registered."""
    from hongniang.testing import factories as f

    f.SeekerFactory(name="甲", phone="13911112001", service_point=point_a)
    f.SeekerFactory(name="乙", phone="13911112002", service_point=point_a)
    f.SeekerFactory(name="丙", phone="13911112003", service_point=point_a, is_active=False)
    html = client.get("/").content.decode()
    assert "<b>2</b>正在求职</div>" in html and "登记求职者" not in html
    html = client.get("/", headers={"accept-language": "en"}).content.decode()
    assert "<b>2</b>people looking for work</div>" in html


def test_posting_form_in_english(client, hr):
    client.force_login(hr)
    html = client.get(reverse("employers:posting_new"), headers={"accept-language": "en"}).content.decode()
    assert "<h1>Post a job</h1>" in html and "Save as draft for now</button>" in html
    assert ">Day shift<" in html and ">Two shifts<" in html and "Factory siting</a>" in html
    for chinese in ("发布岗位", "先存为草稿", "提交后系统", "长白班", "两班倒", "因人设厂"):
        assert chinese not in html, chinese


# -- the catalogue ------------------------------------------------------------------------------------------

PO = Path(django_settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
#: the job app's templates and Python files (forms, views, api, models, services, machines), plus the shared pages
#: and what the job pages include from other apps: the apply box, HR's posting form, the shift labels and the
#: township filter's "all" choice
OURS = ("hongniang/jobs/", "hongniang/templates/base.html", "hongniang/templates/about.html",
        "hongniang/applications/templates/applications/_apply_box.html",
        "hongniang/employers/templates/employers/posting_form.html",
        "hongniang/employers/templates/employers/_field.html",
        "hongniang/catalog/codes.py", "hongniang/geo/selectors.py")
#: the navigation's labels and hints: each app registers its entries in its apps.py (hongniang.core.nav)
NAV_SOURCE = re.compile(r"hongniang/\w+/apps\.py:")


def is_ours(ref: str) -> bool:
    return (ref.startswith(OURS) or NAV_SOURCE.match(ref) is not None) and "/tests/" not in ref


def po_entries(path: Path):
    """(references, flags, fields) for each entry of a .po file; fields maps msgctxt/msgid/msgstr… to text."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        refs, flags, fields, key = [], [], {}, None
        for line in block.splitlines():
            if line.startswith("#:"):
                refs += line[2:].split()
            elif line.startswith("#,"):
                flags += [x.strip() for x in line[2:].split(",")]
            elif line.startswith('"'):
                fields[key] += ast.literal_eval(line)
            elif not line.startswith("#") and line.strip():
                key, _, value = line.partition(" ")
                fields[key] = ast.literal_eval(value)
        if fields.get("msgid"):
            yield refs, flags, fields


def our_entries():
    return [(refs, flags, fields) for refs, flags, fields in po_entries(PO)
            if any(is_ours(r) for r in refs)]


def test_every_string_of_the_job_pages_has_an_english_translation():
    entries = our_entries()
    assert len(entries) > 200
    assert any(r.startswith("hongniang/jobs/forms.py") for refs, _f, _e in entries for r in refs)
    for refs, flags, fields in entries:
        assert "fuzzy" not in flags, fields["msgid"]
        translations = [v for k, v in fields.items() if k.startswith("msgstr")]
        assert translations and all(translations), f"untranslated: {fields['msgid']!r} ({refs[0]})"
        assert not re.search(r"[\u4e00-\u9fff]", " ".join(translations)) or "普工" in fields["msgid"], fields["msgid"]


def test_the_compiled_catalogue_matches_the_po_file():
    """compilemessages was run after the last edit of django.po (CI has no gettext to do it)."""
    with translation.override("en"):
        for _refs, _flags, fields in our_entries():
            ctx, msgid = fields.get("msgctxt"), fields["msgid"]
            if "msgid_plural" in fields:
                got = [translation.npgettext(ctx, msgid, fields["msgid_plural"], n) if ctx
                       else translation.ngettext(msgid, fields["msgid_plural"], n) for n in (1, 2)]
                assert got == [fields["msgstr[0]"], fields["msgstr[1]"]], msgid
            else:
                got = translation.pgettext(ctx, msgid) if ctx else translation.gettext(msgid)
                assert got == fields["msgstr"], msgid
