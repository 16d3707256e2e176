"""A4 posters for village notice boards: a township's jobs of the week, each with a QR code to its page.

The Chinese font is embedded. ReportLab embeds TrueType (glyf) fonts only, and the CJK fonts a Debian
machine has (fonts-noto-cjk) are OpenType/CFF collections (.ttc), so for each poster we subset Noto Sans
CJK SC to the characters printed (a few hundred glyphs), convert the CFF outlines to TrueType quadratic
outlines with fontTools (cu2qu), and register that small font with ReportLab, which embeds it (subset
again) in the PDF: about 30–80 KB per poster, and it prints the same on any printer or viewer. When the
font file is missing, the poster falls back to ReportLab's built-in CID font STSong-Light, which is NOT
embedded (viewers substitute a local Song font); `poster_pdf` reports which one it used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from hongniang.core.cjkfont import truetype_subset as _truetype_subset

from .selectors import open_jobs_near

DEFAULT_FONT_FILE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
DEFAULT_FONT_INDEX = 2  # Noto Sans CJK SC in the Debian collection
FALLBACK_FONT = "STSong-Light"
JOBS_PER_PAGE = 8


def font_file() -> tuple[str, int]:
    return (getattr(settings, "POSTER_FONT_FILE", DEFAULT_FONT_FILE),
            getattr(settings, "POSTER_FONT_INDEX", DEFAULT_FONT_INDEX))


def register_font(text: str) -> tuple[str, bool]:
    """A font name for ReportLab that can print `text`, and whether it is embedded."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    path, index = font_file()
    if path and os.path.exists(path):
        chars = "".join(sorted(set(text)))
        name = "HN" + hashlib.sha1(chars.encode()).hexdigest()[:12]
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, _truetype_subset(path, index, chars)))
        return name, True
    if FALLBACK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT, False


@dataclass
class PosterJob:
    title: str
    enterprise: str
    pay: str
    monthly: str
    details: str
    place: str
    url: str


def poster_jobs(township, *, base_url: str, today: dt.date | None = None, limit: int = 24) -> list[PosterJob]:
    """This week's published postings near the township (its own first), newest first."""
    today = today or timezone.localdate()
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=7), dt.time.min))
    near = open_jobs_near(township.lat, township.lon, km=25, limit=limit, since=since, township_code=township.code)
    out = []
    for j in near:
        p = j.posting
        bits = [p.get_shift_display(), *p.benefit_labels, f"招 {p.headcount} 人"]
        if p.age_min or p.age_max:
            bits.append(f"{p.age_min or 16}–{p.age_max or 60} 岁")
        place = p.region.full_name if p.region_id else ""
        if j.distance_km is not None and p.township_id != township.code:
            place += f"（距{township.name}约 {j.distance_km:.0f} 公里）"
        out.append(PosterJob(p.title, p.enterprise.name, p.pay_text, p.monthly_text, " · ".join(bits), place,
                             base_url.rstrip("/") + f"/jobs/{p.pk}/"))
    return out


def _fit(canvas, text: str, font: str, size: float, width: float) -> str:
    while text and canvas.stringWidth(text, font, size) > width:
        text = text[:-2] + "…"
    return text


def _qr(canvas, url: str, x: float, y: float, size: float) -> None:
    """A vector QR code (crisp at any print size) with its quiet zone, lower-left corner at (x, y)."""
    import segno

    qr = segno.make(url, error="m", micro=False)
    matrix = qr.matrix
    n = len(matrix)
    border = 2
    cell = size / (n + 2 * border)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                canvas.rect(x + (c + border) * cell, y + size - (r + border + 1) * cell, cell, cell, stroke=0, fill=1)


def poster_pdf(*, township, base_url: str, point=None, today: dt.date | None = None) -> tuple[bytes, dict]:
    """The poster as PDF bytes, and facts about it (jobs, pages, font embedded?)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas as pdfcanvas

    today = today or timezone.localdate()
    jobs = poster_jobs(township, base_url=base_url, today=today)
    title = f"{township.name} 本周招聘岗位"
    sub = f"{today:%Y年%m月%d日} 更新 · 扫码查看详情、一键报名"
    contact = ""
    if point is not None:
        contact = f"咨询：{point.name}" + (f" {point.phone}" if point.phone else "") + (
            f" · {point.address}" if point.address else "")
    footer = "瑞金市人力资源和社会保障局 · 5+2 就业之家 · 免费服务，不收取任何费用"
    empty = "本周暂无新岗位，请到就业之家或扫码查看全部岗位"
    text = "".join([title, sub, contact, footer, empty, "…（）0123456789第页共/",
                    *[j.title + j.enterprise + j.pay + j.monthly + j.details + j.place for j in jobs]])
    font, embedded = register_font(text)

    buf = io.BytesIO()
    c = pdfcanvas.Canvas(buf, pagesize=A4, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("红娘 · 瑞金公共就业服务")
    width, height = A4
    margin = 14 * mm
    pages = [jobs[i:i + JOBS_PER_PAGE] for i in range(0, len(jobs), JOBS_PER_PAGE)] or [[]]
    for page_no, page in enumerate(pages, start=1):
        c.setFillColorRGB(0.75, 0.1, 0.1)
        c.rect(0, height - 34 * mm, width, 34 * mm, stroke=0, fill=1)
        c.setFillColorRGB(1, 1, 1)
        c.setFont(font, 28)
        c.drawString(margin, height - 18 * mm, title)
        c.setFont(font, 12)
        c.drawString(margin, height - 27 * mm, sub)
        c.setFillColorRGB(0, 0, 0)
        top = height - 40 * mm
        if not page:
            c.setFont(font, 18)
            c.drawString(margin, top - 20 * mm, empty)
            _qr(c, base_url.rstrip("/") + "/jobs/", width / 2 - 30 * mm, top - 90 * mm, 60 * mm)
        col_w = (width - 2 * margin - 6 * mm) / 2
        card_h = 56 * mm
        qr_size = 30 * mm
        for i, job in enumerate(page):
            col, row = i % 2, i // 2
            x = margin + col * (col_w + 6 * mm)
            y = top - (row + 1) * card_h - row * 3 * mm
            c.setStrokeColorRGB(0.8, 0.8, 0.8)
            c.roundRect(x, y, col_w, card_h, 3 * mm, stroke=1, fill=0)
            tx, tw = x + 4 * mm, col_w - qr_size - 10 * mm
            c.setFont(font, 17)
            c.drawString(tx, y + card_h - 10 * mm, _fit(c, job.title, font, 17, tw))
            c.setFont(font, 10)
            c.drawString(tx, y + card_h - 17 * mm, _fit(c, job.enterprise, font, 10, tw))
            c.setFillColorRGB(0.75, 0.1, 0.1)
            c.setFont(font, 14)
            c.drawString(tx, y + card_h - 26 * mm, _fit(c, job.pay, font, 14, tw))
            c.setFillColorRGB(0, 0, 0)
            c.setFont(font, 10)
            c.drawString(tx, y + card_h - 32 * mm, _fit(c, job.monthly, font, 10, tw))
            c.drawString(tx, y + card_h - 39 * mm, _fit(c, job.details, font, 10, tw))
            c.drawString(tx, y + card_h - 46 * mm, _fit(c, job.place, font, 10, tw))
            _qr(c, job.url, x + col_w - qr_size - 3 * mm, y + (card_h - qr_size) / 2, qr_size)
        c.setFont(font, 10)
        if contact:
            c.drawString(margin, 16 * mm, _fit(c, contact, font, 10, width - 2 * margin))
        c.drawString(margin, 10 * mm, footer)
        if len(pages) > 1:
            c.drawRightString(width - margin, 10 * mm, f"第 {page_no}/{len(pages)} 页")
        c.showPage()
    c.save()
    return buf.getvalue(), {"jobs": len(jobs), "pages": len(pages), "font": font, "embedded": embedded}
