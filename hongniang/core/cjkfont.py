"""A Chinese font that prints the same everywhere, embedded in our PDFs (posters, the monthly report).

ReportLab embeds TrueType (glyf) fonts only, and the CJK fonts at hand are OpenType/CFF (Noto Sans SC from the
PyPI package `pylopdf-fonts-zh-cn`, a project dependency, so every machine that installs the project has it;
Debian's fonts-noto-cjk collection where installed). So for each document we subset the font to the
characters printed (a few hundred glyphs), convert the CFF outlines to TrueType quadratic outlines with
fontTools (cu2qu), and register that small font with ReportLab, which embeds it (subset again) in the PDF.
"""

from __future__ import annotations

import hashlib
import io
import os

DEBIAN_FONT = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2)  # Noto Sans CJK SC in the collection


def package_font() -> tuple[str, int] | None:
    try:
        import pylopdf_fonts_zh_cn
    except ImportError:  # pragma: no cover - a dependency; missing only in a broken install
        return None
    path = str(pylopdf_fonts_zh_cn.sans_path())
    return (path, 0) if os.path.exists(path) else None


def find_font(setting_file: str = "", setting_index: int = 0) -> tuple[str, int] | None:
    """The first font file that exists: a configured one, the PyPI package's Noto Sans SC, Debian's."""
    for cand in ((setting_file, setting_index) if setting_file else None, package_font(), DEBIAN_FONT):
        if cand and cand[0] and os.path.exists(cand[0]):
            return cand
    return None


def truetype_subset(path: str, index: int, text: str) -> io.BytesIO:
    """A TrueType-outline subset of an OpenType (CFF) or TrueType font, holding the characters of `text`."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(path, fontNumber=index if path.lower().endswith((".ttc", ".otc")) else -1)
    opts = subset.Options()
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.layout_features = []
    opts.hinting = False
    opts.desubroutinize = True
    sub = subset.Subsetter(opts)
    sub.populate(text=text + " ")
    sub.subset(font)
    if "CFF " in font:
        glyph_set = font.getGlyphSet()
        glyf = newTable("glyf")
        glyf.glyphOrder = font.getGlyphOrder()
        glyf.glyphs = {}
        for name in font.getGlyphOrder():
            pen = TTGlyphPen(glyph_set)
            glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
            glyf[name] = pen.glyph()
        font["glyf"] = glyf
        font["loca"] = newTable("loca")
        del font["CFF "]
        if "VORG" in font:
            del font["VORG"]
        maxp = font["maxp"]
        maxp.tableVersion = 0x00010000
        for attr in ("maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours", "maxTwilightPoints",
                     "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                     "maxSizeOfInstructions", "maxComponentElements", "maxComponentDepth"):
            setattr(maxp, attr, 0)
        maxp.maxZones = 1
        font["head"].glyphDataFormat = 0
        post = font["post"]
        post.formatType = 2.0
        post.extraNames = []
        post.mapping = {}
        post.glyphOrder = None
        font.sfntVersion = "\x00\x01\x00\x00"
    buf = io.BytesIO()
    font.save(buf)
    buf.seek(0)
    return buf




def register(text: str, *, font: tuple[str, int] | None = None, name: str = "", replace: bool = False) -> str | None:
    """Register a font for ReportLab that prints `text` (subset to its characters), under `name` if given (a
    document registers a placeholder, lays out its pages, then registers again with `replace=True` once it knows
    all its text); the name, or None when no CJK font file is found."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = font or find_font()
    if font is None:
        return None
    path, index = font
    chars = "".join(sorted(set(text)))
    name = name or "HN" + hashlib.sha1((path + chars).encode()).hexdigest()[:12]
    if replace or name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, truetype_subset(path, index, chars)))
    return name
