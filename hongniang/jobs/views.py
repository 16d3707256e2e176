"""Public pages of one job: detail (with JSON-LD), QR code, print page and short address.

The home page is in hongniang.web.public, the job list and search in hongniang.search.views (same URL names)."""

from __future__ import annotations

import io

import segno
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import selectors
from .jsonld import jsonld_script, posting_jsonld


@require_GET
def job_detail(request, pk: int):
    posting = selectors.visible_posting(request.user, pk)
    if posting is None:
        raise Http404(_("找不到该岗位"))
    jsonld = jsonld_script(posting_jsonld(posting, request.build_absolute_uri()))
    nearby = [p for p in selectors.newest_postings(6, township_id=posting.township_id) if p.pk != posting.pk][:5]
    return render(request, "jobs/detail.html", {"posting": posting, "jsonld": jsonld, "nearby": nearby,
                                                **_sharing(request, posting)})


def _sharing(request, posting) -> dict:
    """What a shared or printed job page needs: the Open Graph card (title, pay, township, enterprise), the
    short printable URL and the words 读给我听 reads aloud."""
    place = posting.township.name if posting.township_id else ""
    if posting.region_id and posting.region_id != posting.township_id:
        place += posting.region.name
    short = request.build_absolute_uri(reverse("job_short", args=[posting.pk]))
    speech = [posting.title, posting.pay_plain.replace("–", " 到 "), f"{posting.enterprise.name}，在{place}",
              posting.get_shift_display(), *posting.benefit_labels, f"招 {posting.headcount} 人"]
    return {
        "og": {"title": f"{posting.title} · {posting.pay_plain}",
               "description": f"{posting.enterprise.name} · {place} · {posting.get_shift_display()}"
                              + "".join(f" · {b}" for b in posting.benefit_labels),
               "url": request.build_absolute_uri(reverse("jobs:detail", args=[posting.pk])),
               "image": request.build_absolute_uri(static("hongniang/share.png"))},
        "short_url": short, "short_url_text": short.split("://", 1)[-1],
        "speech": "。".join(p for p in speech if p) + "。",
        "place": place,
    }


@require_GET
def short_link(request, pk: int):
    """/j/<id>: the short printable address of a job (on posters, notes, SMS) — to the job page."""
    return redirect("jobs:detail", pk=pk, permanent=True)


@require_GET
def job_qr(request, pk: int):
    """The QR code (SVG) of a job's short address, for printing and for phones to scan."""
    if selectors.visible_posting(request.user, pk) is None:
        raise Http404(_("找不到该岗位"))
    buf = io.BytesIO()
    segno.make(request.build_absolute_uri(reverse("job_short", args=[pk])), error="m").save(
        buf, kind="svg", scale=6, border=2, title=_("岗位二维码"))
    response = HttpResponse(buf.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def job_print(request, pk: int):
    """A printable page of one job (A4, for the notice board of a village): the facts, the short address and
    its QR code."""
    posting = selectors.visible_posting(request.user, pk)
    if posting is None:
        raise Http404(_("找不到该岗位"))
    return render(request, "jobs/print.html", {"posting": posting, **_sharing(request, posting)})
