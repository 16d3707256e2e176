"""Reading and checking spreadsheets: seeker rosters (花名册) and enterprises' job lists.

Pure reading (bytes → header + rows) and row validation; the writes (batches, commit) are in services.
A file is read from memory and never stored. Rows are validated with the same rules as the one-by-one
services: seekers with `hongniang.seekers.services._clean` (ID number, phone, shifts, months, pay),
postings with `hongniang.jobs.services.clean_posting_data`; villages and occupations are resolved from
in-memory tables so 10,000 rows need a handful of queries, not tens of thousands.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hongniang.catalog.models import Occupation
from hongniang.core import xlsx
from hongniang.core.crypto import lookup_hash, lookup_hashes
from hongniang.core.errors import InvalidInput
from hongniang.core.textclean import clean_text
from hongniang.geo.models import Region, RegionKind
from hongniang.jobs.models import Shift
from hongniang.jobs.services import clean_posting_data
from hongniang.seekers.models import Seeker
from hongniang.seekers.services import MAX_DESIRED_OCCUPATIONS, _clean
from hongniang.zh.validators import mask_id_number, mask_name, mask_phone

from .models import ImportKind

MAX_BYTES = 15 * 1024 * 1024
MAX_ROWS = {ImportKind.SEEKERS: 20000, ImportKind.POSTINGS: 2000}
HEADER_SCAN_ROWS = 10


class ImportFileError(InvalidInput):
    """The file as a whole cannot be imported (not a spreadsheet, wrong headers, too big)."""

    code = "import_file_invalid"
    message = _lazy("文件无法导入")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    example: str = ""
    note: str = ""


SEEKER_COLUMNS = (
    Column("name", "姓名", True, ("求职者姓名", "名字"), "刘小红"),
    Column("id_number", "身份证号", True, ("身份证号码", "公民身份号码", "身份证"), "360781198503070011",
           "18 位，请把这一列设为“文本”格式，否则 Excel 会把号码改掉"),
    Column("phone", "手机号", True, ("手机号码", "联系电话", "电话", "手机"), "13900000001"),
    Column("township", "乡镇", False, ("乡镇（街道）", "所在乡镇", "镇"), "象湖镇", "村名重名时必填"),
    Column("village", "村（社区）", True, ("村", "村（居）", "村委会", "社区", "居住村", "村（社区）名称"), "沙洲坝",
           "村委会或社区的名称"),
    Column("occupations", "意向工种", False, ("求职意向", "意向岗位", "想做的工作"), "缝纫工、普工",
           "最多 3 个，用顿号分隔"),
    Column("shifts", "可接受班次", False, ("班次",), "长白班、两班倒", "长白班、两班倒、三班倒、弹性、兼职、居家计件"),
    Column("months", "农忙月份", False, ("不能上班月份", "农忙"), "5、6、10", "这些月份不能全职上班"),
    Column("expected_pay", "期望月薪（元）", False, ("期望月薪", "期望工资"), "4000"),
    Column("max_commute_km", "最远通勤（公里）", False, ("最远通勤", "通勤距离"), "20"),
)

POSTING_COLUMNS = (
    Column("title", "岗位名称", True, ("岗位", "职位", "职位名称"), "缝纫工"),
    Column("occupation", "工种", False, ("职业", "工种名称"), "缝纫工"),
    Column("headcount", "招聘人数", True, ("人数", "需求人数"), "10"),
    Column("pay_type", "计薪方式", False, ("薪资类型",), "月薪", "月薪、日薪、时薪、计件；不填为月薪"),
    Column("pay_min", "最低薪资（元）", True, ("最低薪资", "薪资下限", "工资下限"), "4500"),
    Column("pay_max", "最高薪资（元）", False, ("最高薪资", "薪资上限", "工资上限"), "6000"),
    Column("piece_unit", "计件单位", False, (), "", "计件工资必填，如 件、双、打"),
    Column("est_monthly_min", "估算月收入下限（元）", False, ("估算月收入下限",), "", "计件工资必填"),
    Column("est_monthly_max", "估算月收入上限（元）", False, ("估算月收入上限",), ""),
    Column("shift", "班次", False, (), "长白班"),
    Column("benefits", "福利", False, ("福利待遇",), "包吃、包住", "包吃、包住、班车、五险一金"),
    Column("place", "工作地点（乡镇/村）", True, ("工作地点", "地点", "乡镇"), "象湖镇"),
    Column("address", "详细地址", False, ("地址",), "瑞金经济技术开发区"),
    Column("age_min", "最低年龄", False, (), "18"),
    Column("age_max", "最高年龄", False, (), "50"),
    Column("description", "岗位描述", False, ("岗位要求", "描述"), "服装厂缝纫工，计件加底薪"),
)

COLUMNS = {ImportKind.SEEKERS: SEEKER_COLUMNS, ImportKind.POSTINGS: POSTING_COLUMNS}
# Columns rosters often carry that we neither need nor complain about (gender and birth come from the ID).
IGNORED_HEADERS = {"序号", "编号", "备注", "性别", "出生日期", "出生年月", "年龄", "民族"}


# --- reading a file ---------------------------------------------------------------------------------


@dataclass
class Sheet:
    rows: list[tuple[int, list]]  # (1-based sheet row number, cell values)
    merged: list[tuple[int, int, int, int, str]] = field(default_factory=list)  # r1, r2, c1, c2 (0-based cols), ref


def _sniff(data: bytes, filename: str) -> str:
    name = (filename or "").lower()
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    if name.endswith((".csv", ".txt")) and b"\x00" not in data[:4096]:
        return "csv"
    raise ImportFileError(_("文件不是 Excel 表格（.xlsx / .xls）或 CSV 文件，请下载模板填写后再上传"))


# Limits that keep one upload from taking a worker's memory or minutes (a zip "bomb": a few hundred KB that
# expand to gigabytes, or a sheet that claims a million rows or 16,384 columns).
MAX_COLUMNS = 60  # the templates have about 15; columns to the right are not read
MAX_TOTAL_ROWS = 200_000  # rows read including empty ones (formatted blank rows)
MAX_UNCOMPRESSED = 64 * 1024 * 1024  # the whole .xlsx archive, expanded
MAX_MEMBER = {"sheet": 24 * 1024 * 1024, "sharedStrings": 16 * 1024 * 1024, "other": 4 * 1024 * 1024}
MAX_MEMBERS = 500
MAX_XLS_BYTES = 8 * 1024 * 1024  # old .xls is read whole by xlrd: a smaller limit
TOO_BIG = _lazy("表格内容太大（解压后超过限制），请删除多余的工作表、空行和格式，或分成几个文件上传")


def _check_archive(data: bytes) -> None:
    """Before openpyxl opens an .xlsx: the declared expanded sizes (which also bound what zipfile will
    inflate) must be small enough, overall and per part."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportFileError(_("文件已损坏或不是 Excel 表格，请用 Excel 或 WPS 另存为 .xlsx 后再上传")) from exc
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
        raise ImportFileError(TOO_BIG)
    for info in infos:
        name = info.filename.rsplit("/", 1)[-1]
        part = ("sheet" if info.filename.startswith("xl/worksheets/") else
                "sharedStrings" if name.startswith("sharedStrings") else "other")
        if info.file_size > MAX_MEMBER[part]:
            raise ImportFileError(TOO_BIG)


def _merged_ranges(ws) -> list[tuple[int, int, int, int, str]]:
    """Merged cells of a read-only worksheet (openpyxl does not read them in read-only mode): the
    <mergeCell ref="A1:B2"/> elements, streamed from the sheet's XML."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import range_boundaries

    out = []
    with ws.parent._archive.open(ws._worksheet_path) as fh:
        for _event, el in iterparse(fh):
            if el.tag.endswith("}mergeCell") or el.tag == "mergeCell":
                ref = el.get("ref") or ""
                try:
                    c1, r1, c2, r2 = range_boundaries(ref)
                except (ValueError, TypeError):
                    continue
                out.append((r1, r2, c1 - 1, c2 - 1, ref))
                if len(out) > 10_000:
                    raise ImportFileError(_("表格合并的单元格太多，请取消合并后再上传"))
            el.clear()
    return out


def _take_rows(rows, *, max_rows: int):
    """(row number, values) for each row until the limits: more than `max_rows` non-empty rows (plus the
    header rows) or MAX_TOTAL_ROWS rows in all stop the reading with a Chinese error."""
    out = []
    filled = 0
    for n, values in rows:
        if n > MAX_TOTAL_ROWS:
            raise ImportFileError(_("表格行数太多（含空行），请删除多余的空行后再上传"))
        if not any(values):  # an empty row keeps its number, not a list of empty cells
            out.append((n, []))
            continue
        filled += 1
        if filled > max_rows + HEADER_SCAN_ROWS:
            raise ImportFileError(_("数据超过 %(max_rows)s 行，请分成几个文件上传") % {"max_rows": max_rows})
        out.append((n, list(values[:MAX_COLUMNS])))
    return out


def _read_xlsx(data: bytes, *, max_rows: int) -> Sheet:
    import openpyxl

    _check_archive(data)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - a broken archive or part: BadZipFile, KeyError, XML ParseError, ...
        raise ImportFileError(_("文件已损坏或不是 Excel 表格，请用 Excel 或 WPS 另存为 .xlsx 后再上传")) from exc
    try:
        ws = wb.worksheets[0]
        if not hasattr(ws, "_worksheet_path"):
            raise ImportFileError(_("第一个工作表不是数据表，请把名单放在第一个工作表"))
        rows = _take_rows(enumerate(ws.iter_rows(min_row=1, max_row=MAX_TOTAL_ROWS + 1, max_col=MAX_COLUMNS,
                                                 values_only=True), start=1), max_rows=max_rows)
        merged = _merged_ranges(ws)
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - a malformed part deep inside the archive
        raise ImportFileError(_("文件已损坏或不是 Excel 表格，请用 Excel 或 WPS 另存为 .xlsx 后再上传")) from exc
    finally:
        wb.close()
    return Sheet(rows, merged)


def _read_xls(data: bytes, *, max_rows: int) -> Sheet:
    import xlrd

    if len(data) > MAX_XLS_BYTES:
        raise ImportFileError(_("旧版 .xls 文件最大 %(mb)s MB，请另存为 .xlsx 后再上传") % {"mb": MAX_XLS_BYTES // 1024 // 1024})
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
        sh = book.sheet_by_index(0)
    except Exception as exc:  # xlrd raises many kinds for a broken file
        raise ImportFileError(_("文件已损坏或不是 Excel 表格，请用 Excel 或 WPS 另存为 .xlsx 后再上传")) from exc

    def cells():
        for r in range(sh.nrows):
            values = []
            for c in range(min(sh.ncols, MAX_COLUMNS)):
                cell = sh.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    values.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    values.append(None)
                else:
                    values.append(cell.value)
            yield r + 1, values

    rows = _take_rows(cells(), max_rows=max_rows)
    merged = []
    for r1, r2, c1, c2 in sh.merged_cells[:10_000]:  # half-open ranges
        from openpyxl.utils import get_column_letter

        ref = f"{get_column_letter(c1 + 1)}{r1 + 1}:{get_column_letter(c2)}{r2}"
        merged.append((r1 + 1, r2, c1, c2 - 1, ref))
    return Sheet(rows, merged)


def _read_csv(data: bytes, *, max_rows: int) -> Sheet:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("无法识别 CSV 文件的编码，请另存为 UTF-8 或 .xlsx 后再上传"))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        return Sheet(_take_rows(enumerate(csv.reader(io.StringIO(text), dialect), start=1), max_rows=max_rows))
    except csv.Error as exc:
        raise ImportFileError(_("CSV 文件格式有误，请另存为 .xlsx 后再上传")) from exc


def read_sheet(data: bytes, filename: str, *, max_rows: int = max(MAX_ROWS.values())) -> Sheet:
    """The first sheet's rows (at most MAX_COLUMNS columns each) and merged ranges. Reading stops with a
    Chinese error past `max_rows` data rows, so a huge file costs no more than a full legitimate one."""
    if not data:
        raise ImportFileError(_("文件是空的"))
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("文件太大（最大 %(mb)s MB），请分成几个文件上传") % {"mb": MAX_BYTES // 1024 // 1024})
    kind = _sniff(data, filename)
    return {"xlsx": _read_xlsx, "xls": _read_xls, "csv": _read_csv}[kind](data, max_rows=max_rows)


def read_upload(upload) -> bytes:
    """The bytes of an uploaded file, refused by its size before it is read into memory."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ImportFileError(_("文件太大（最大 %(mb)s MB），请分成几个文件上传") % {"mb": MAX_BYTES // 1024 // 1024})
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("文件太大（最大 %(mb)s MB），请分成几个文件上传") % {"mb": MAX_BYTES // 1024 // 1024})
    return data


def cell_text(value) -> tuple[str, bool]:
    """A cell as text, and whether it was a number (an ID number typed as a number loses digits)."""
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("是" if value else "否"), False
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else repr(value)), True
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), False
    if isinstance(value, dt.date):
        return value.isoformat(), False
    return " ".join(clean_text(str(value)).split()), False


def _norm_header(text: str) -> str:
    text = (text or "").replace("(", "（").replace(")", "）").replace("*", "").replace(" ", "").strip()
    return text


def _header_index(columns) -> dict[str, str]:
    out = {}
    for col in columns:
        for h in (col.header, *col.aliases):
            out[_norm_header(h)] = col.key
    return out


def parse(kind: str, data: bytes, filename: str) -> dict:
    """Read the file and map its columns. Returns {"rows": [{"n", "values", "numeric"}], "notes": [...]};
    raises ImportFileError naming missing columns, merged header cells, a wrong file."""
    columns = COLUMNS[kind]
    sheet = read_sheet(data, filename, max_rows=MAX_ROWS[kind])
    index = _header_index(columns)

    # The header row: among the first rows, the one naming most known columns (a title row may sit above).
    best, best_hits = None, 0
    for pos, (_n, values) in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        hits = sum(1 for v in values if _norm_header(cell_text(v)[0]) in index)
        if hits > best_hits:
            best, best_hits = pos, hits
    required = [c for c in columns if c.required]
    if best is None:
        raise ImportFileError(_("没有找到表头，请使用模板：第一行为列名，必填列：%(columns)s")
                              % {"columns": "、".join(c.header for c in required)})
    header_no, header = sheet.rows[best]
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    for col_no, v in enumerate(header):
        text = _norm_header(cell_text(v)[0])
        if not text:
            continue
        key = index.get(text)
        if key and key not in mapping.values():
            mapping[col_no] = key
        elif text not in IGNORED_HEADERS:
            unknown.append(cell_text(v)[0])
    missing = [c.header for c in required if c.key not in mapping.values()]
    if missing:
        names = {"missing": "、".join(missing), "unknown": "、".join(unknown)}
        if unknown:
            msg = _("表头缺少必填列：%(missing)s；无法识别的列：%(unknown)s") % names
            full = _("表头缺少必填列：%(missing)s；无法识别的列：%(unknown)s。请下载模板，按模板的列名填写") % names
        else:
            msg = _("表头缺少必填列：%(missing)s") % names
            full = _("表头缺少必填列：%(missing)s。请下载模板，按模板的列名填写") % names
        raise ImportFileError(full, errors={"header": [msg]})
    for r1, r2, _c1, _c2, ref in sheet.merged:
        if r1 <= header_no <= r2 and r2 > header_no:
            raise ImportFileError(_("表头与数据行合并了单元格（%(ref)s），请取消合并后再上传") % {"ref": ref})

    notes = []
    if unknown:
        notes.append("这些列无法识别，已忽略：" + "、".join(unknown))
    # merged cells in the data area: every row they touch is reported
    merged_rows: dict[int, list[str]] = {}
    for r1, r2, c1, c2, ref in sheet.merged:
        if r2 <= header_no:
            continue
        touched = [mapping[c] for c in range(c1, c2 + 1) if c in mapping]
        if not touched:
            continue
        for r in range(max(r1, header_no + 1), r2 + 1):
            merged_rows.setdefault(r, []).append(ref)

    rows = []
    empty = 0
    limit = MAX_ROWS[kind]
    for n, values in sheet.rows[best + 1:]:
        row = {}
        numeric = []
        for col_no, key in mapping.items():
            text, is_num = cell_text(values[col_no] if col_no < len(values) else None)
            row[key] = text
            if is_num:
                numeric.append(key)
        if not any(row.values()) and n not in merged_rows:
            empty += 1
            continue
        item = {"n": n, "values": row}
        if numeric:
            item["numeric"] = numeric
        if n in merged_rows:
            item["merged"] = merged_rows[n]
        rows.append(item)
        if len(rows) > limit:
            raise ImportFileError(_("数据超过 %(limit)s 行，请分成几个文件上传") % {"limit": limit})
    if not rows:
        raise ImportFileError(_("表格里没有数据行"))
    if empty:
        notes.append(f"跳过了 {empty} 个空行")
    return {"rows": rows, "notes": notes}


# --- validation: shared look-ups --------------------------------------------------------------------


class Lookups:
    """Villages, townships and occupations by name, loaded once per validation run."""

    def __init__(self):
        self.towns: dict[str, str] = {}
        self.villages: dict[str, list[tuple[str, str]]] = {}
        self.regions: dict[str, tuple[str, str]] = {}  # code → (kind, township code)
        for code, name, short, kind, parent in Region.objects.filter(
                kind__in=[RegionKind.TOWNSHIP, RegionKind.VILLAGE]).values_list(
                "code", "name", "short_name", "kind", "parent_id"):
            if kind == RegionKind.TOWNSHIP:
                self.regions[code] = (kind, code)
                for n in {name, short, _strip_suffix(name, ("镇", "乡", "街道", "办事处"))} - {""}:
                    self.towns[n] = code
            else:
                self.regions[code] = (kind, parent)
                for n in {name, short, _strip_suffix(name, ("村委会", "居委会", "村民委员会", "居民委员会",
                                                            "社区居委会", "村", "社区"))} - {""}:
                    self.villages.setdefault(n, []).append((code, parent))
        self.occupations: dict[str, str] = {}
        for code, name, label in Occupation.objects.filter(level=4).values_list("code", "name", "common_label"):
            self.occupations[code] = code
            self.occupations.setdefault(name, code)
            if label:
                self.occupations[label] = code

    def township(self, text: str) -> str | None:
        return self.towns.get(text) if text else None

    def village(self, text: str, township_text: str = "") -> tuple[str | None, str]:
        """(region code, error) for a village name (or a 12-digit code)."""
        text = text.strip()
        if re.fullmatch(r"\d{12}", text):
            return (text, "") if text in self.regions else (None, f"未知的村（社区）代码：{text}")
        town = self.township(township_text.strip()) if township_text else None
        if township_text and town is None:
            return None, f"未知的乡镇：{township_text}"
        candidates = self.villages.get(text) or self.villages.get(_strip_suffix(
            text, ("村委会", "居委会", "村民委员会", "居民委员会", "村", "社区"))) or []
        if town:
            candidates = [c for c in candidates if c[1] == town]
        if not candidates:
            where = f"{township_text}" if township_text else "本县"
            return None, f"{where}没有名为“{text}”的村（社区）"
        if len({c[0] for c in candidates}) > 1:
            return None, f"有多个名为“{text}”的村（社区），请在“乡镇”列注明所在乡镇"
        return candidates[0][0], ""

    def place(self, text: str) -> tuple[str | None, str]:
        """A township or village (for a posting's work place)."""
        text = text.strip()
        if re.fullmatch(r"\d{12}", text):
            return (text, "") if text in self.regions else (None, f"未知的地点代码：{text}")
        town = self.township(text)
        if town:
            return town, ""
        for sep in ("镇", "乡", "街道"):
            if sep in text:
                head, _sep, tail = text.partition(sep)
                if tail and self.township(head + sep):
                    return self.village(tail, head + sep)
        return self.village(text)


def _strip_suffix(text: str, suffixes) -> str:
    for s in sorted(suffixes, key=len, reverse=True):
        if text.endswith(s) and len(text) > len(s):
            return text[: -len(s)]
    return text


def _split_list(text: str) -> list[str]:
    return [p for p in (x.strip() for x in re.split(r"[、，,；;/\s]+", text or "")) if p]


def _shift_values() -> dict[str, str]:
    out = {str(label): value for value, label in Shift.choices}
    out.update({v: v for v in Shift.values})
    out.update({"白班": "day", "两班": "two_shift", "三班": "three_shift", "灵活": "flexible", "计件": "home_piecework"})
    return out


# --- seekers ----------------------------------------------------------------------------------------


@dataclass
class RowResult:
    n: int
    errors: list[str]
    display: dict  # masked values for the preview and the report
    data: dict | None = None  # model-ready values when valid


def _missing(values: dict, columns) -> list[str]:
    return [f"缺少必填项“{c.header}”" for c in columns if c.required and not values.get(c.key)]


def _flatten(exc: InvalidInput) -> list[str]:
    msgs = [m for ms in (exc.errors or {}).values() for m in ms]
    return msgs or [exc.message]


def _known_hashes(rows: list[dict]) -> set[str]:
    """The current look-up hashes (rows' "id_number_hash") of the rows whose person is already registered,
    also when the registered row still carries a hash under a previous FIELD_KEY (during a rotation)."""
    alias = {}
    for d in rows:
        for digest in lookup_hashes(d["id_number"]):
            alias[digest] = d["id_number_hash"]
    keys = list(alias)
    known: set[str] = set()
    for i in range(0, len(keys), 900):
        known.update(alias[h] for h in Seeker.objects.filter(id_number_hash__in=keys[i:i + 900])
                     .values_list("id_number_hash", flat=True))
    return known



def validate_seekers(rows: list[dict], lookups: Lookups | None = None) -> list[RowResult]:
    """Every row's problems (bad ID number, duplicate person, unknown village, bad phone, missing cell),
    and for valid rows the values to save."""
    lookups = lookups or Lookups()
    shifts = _shift_values()
    results: list[RowResult] = []
    seen: dict[str, int] = {}
    for row in rows:
        v = row["values"]
        errors = [f"合并单元格（{ref}），请取消合并后逐行填写" for ref in row.get("merged", [])]
        errors += _missing(v, SEEKER_COLUMNS)
        fields = {}
        for key in ("name", "id_number", "phone"):
            if v.get(key):
                fields[key] = v[key]
        shift_values = []
        for s in _split_list(v.get("shifts", "")):
            if s in shifts:
                shift_values.append(shifts[s])
            else:
                errors.append(f"未知班次：{s}")
        fields["acceptable_shifts"] = shift_values
        fields["unavailable_months"] = [int(m) for m in re.findall(r"\d+", v.get("months", ""))]
        for key in ("expected_pay", "max_commute_km"):
            if v.get(key):
                fields[key] = v[key]
        data = {}
        try:
            data = _clean(fields)
        except InvalidInput as exc:
            msgs = _flatten(exc)
            if "id_number" in (exc.errors or {}) and "id_number" in row.get("numeric", []):
                msgs.append("身份证号列被 Excel 当成了数字（后几位会丢失），请把该列设为文本格式后重新填写")
            errors += msgs
        region = None
        if v.get("village"):
            region, err = lookups.village(v["village"], v.get("township", ""))
            if err:
                errors.append(err)
        occs = []
        for o in _split_list(v.get("occupations", "")):
            code = lookups.occupations.get(o)
            if code is None:
                errors.append(f"意向工种不在职业目录中：{o}")
            elif code not in occs:
                occs.append(code)
        if len(occs) > MAX_DESIRED_OCCUPATIONS:
            errors.append(f"意向工种最多 {MAX_DESIRED_OCCUPATIONS} 个")
        digest = None
        if data.get("id_number"):
            digest = lookup_hash(data["id_number"])
            if digest in seen:
                errors.append(f"与第 {seen[digest]} 行的身份证号重复")
            else:
                seen[digest] = row["n"]
        display = {
            "name": mask_name(v.get("name", "")),
            "id_number": mask_id_number(data.get("id_number") or v.get("id_number", "")),
            "phone": mask_phone(data.get("phone") or v.get("phone", "")),
            "village": " ".join(x for x in (v.get("township", ""), v.get("village", "")) if x),
        }
        result = RowResult(row["n"], errors, display)
        if not errors:
            data["home_region_code"] = region
            data["desired_occupations"] = occs
            data["id_number_hash"] = digest
            result.data = data
        results.append(result)

    # people already registered: one query for the whole file
    known = _known_hashes([r.data for r in results if r.data])
    for r in results:
        if r.data and r.data["id_number_hash"] in known:
            r.errors.append("该身份证号已登记（不重复导入）")
            r.data = None
    return results


# --- postings ---------------------------------------------------------------------------------------

PAY_TYPES = {"月薪": "monthly", "日薪": "daily", "时薪": "hourly", "计件": "piece", "按月": "monthly",
             "按天": "daily", "按小时": "hourly", "monthly": "monthly", "daily": "daily", "hourly": "hourly",
             "piece": "piece"}
BENEFIT_WORDS = {"包吃": ("board",), "包住": ("lodging",), "包吃住": ("board", "lodging"), "班车": ("shuttle",),
                 "五险一金": ("social_insurance",), "社保": ("social_insurance",)}


def validate_postings(rows: list[dict], lookups: Lookups | None = None) -> list[RowResult]:
    lookups = lookups or Lookups()
    shifts = _shift_values()
    results = []
    for row in rows:
        v = row["values"]
        errors = [f"合并单元格（{ref}），请取消合并后逐行填写" for ref in row.get("merged", [])]
        errors += _missing(v, POSTING_COLUMNS)
        data = {k: v.get(k, "") for k in ("title", "headcount", "pay_min", "pay_max", "piece_unit",
                                          "est_monthly_min", "est_monthly_max", "address", "age_min",
                                          "age_max", "description")}
        pay_type = v.get("pay_type", "")
        if pay_type and pay_type not in PAY_TYPES:
            errors.append(f"未知的计薪方式：{pay_type}（应为 月薪、日薪、时薪 或 计件）")
        data["pay_type"] = PAY_TYPES.get(pay_type, "monthly")
        if v.get("shift"):
            if v["shift"] in shifts:
                data["shift"] = shifts[v["shift"]]
            else:
                errors.append(f"未知班次：{v['shift']}")
        extra = []
        for word in _split_list(v.get("benefits", "")):
            if word in BENEFIT_WORDS:
                for b in BENEFIT_WORDS[word]:
                    data[b] = True
            else:
                extra.append(word)
        data["other_benefits"] = "、".join(extra)
        if v.get("occupation"):
            code = lookups.occupations.get(v["occupation"])
            if code is None:
                errors.append(f"工种不在职业目录中：{v['occupation']}")
            data["occupation"] = code or ""
        data["region"] = ""
        if v.get("place"):
            code, err = lookups.place(v["place"])
            if err:
                errors.append(err)
            data["region"] = code or ""
        cleaned = None
        try:
            cleaned = clean_posting_data(data)
        except InvalidInput as exc:
            msgs = _flatten(exc)
            # already said more precisely above
            skip = {"请选择工作地点（乡镇或村）", "请填写岗位名称", "请填写招聘人数", "请填写薪资"}
            errors += [m for m in msgs if not (m in skip and errors)]
        display = {"title": v.get("title", ""), "headcount": v.get("headcount", ""),
                   "pay": "–".join(x for x in (v.get("pay_min", ""), v.get("pay_max", "")) if x),
                   "place": v.get("place", "")}
        result = RowResult(row["n"], errors, display)
        if not errors and cleaned is not None:
            cleaned["region"] = cleaned["region"].code
            cleaned["township"] = cleaned["township"].code
            cleaned["occupation"] = cleaned["occupation"].code if cleaned["occupation"] else None
            cleaned["pay_min"], cleaned["pay_max"] = str(cleaned["pay_min"]), str(cleaned["pay_max"])
            result.data = cleaned
        results.append(result)
    return results


VALIDATORS = {ImportKind.SEEKERS: validate_seekers, ImportKind.POSTINGS: validate_postings}


def recheck_seekers(report: list[dict], valid: dict[str, dict]) -> list[RowResult]:
    """At commit: the rules that depend only on a row's own cells (ID checksum, phone, names) were checked
    at upload and the stored rows cannot change, so only what the database may have changed since is
    checked again: the person registered meanwhile, the village or occupation gone."""
    data = {int(n): d for n, d in valid.items()}
    known = _known_hashes(list(data.values()))
    regions = set(Region.objects.filter(code__in={d["home_region_code"] for d in data.values()})
                  .values_list("code", flat=True))
    occs = set(Occupation.objects.filter(code__in={c for d in data.values() for c in d["desired_occupations"]})
               .values_list("code", flat=True))
    out = []
    for r in report:
        d = data.get(r["n"])
        if d is None:
            out.append(RowResult(r["n"], list(r["errors"]) or ["无效的行"], r["display"]))
            continue
        errors = []
        if d["id_number_hash"] in known:
            errors.append("该身份证号已登记（不重复导入）")
        if d["home_region_code"] not in regions:
            errors.append("村（社区）已不存在，请重新选择")
        if any(c not in occs for c in d["desired_occupations"]):
            errors.append("意向工种已不在职业目录中")
        out.append(RowResult(r["n"], errors, r["display"], None if errors else d))
    return out


# --- templates and reports --------------------------------------------------------------------------

DISPLAY_HEADERS = {
    ImportKind.SEEKERS: [("name", "姓名"), ("id_number", "身份证号（脱敏）"), ("phone", "手机号（脱敏）"),
                         ("village", "乡镇/村")],
    ImportKind.POSTINGS: [("title", "岗位名称"), ("headcount", "招聘人数"), ("pay", "薪资"), ("place", "工作地点")],
}


def template_xlsx(kind: str) -> bytes:
    """The blank template: Chinese headers (required ones marked *), text-formatted ID/phone columns,
    and a second sheet explaining each column."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册" if kind == ImportKind.SEEKERS else "岗位清单"
    for i, col in enumerate(COLUMNS[kind], start=1):
        c = ws.cell(row=1, column=i, value=col.header + ("*" if col.required else ""))
        c.font = Font(bold=True, color="B00000" if col.required else "000000")
        c.fill = PatternFill("solid", fgColor="FDECEA" if col.required else "F2F2F2")
        c.alignment = Alignment(horizontal="center")
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(12, len(col.header) * 2 + 4)
        if col.key in ("id_number", "phone"):
            ws.column_dimensions[letter].width = 22
            for r in range(2, 5002):
                ws.cell(row=r, column=i).number_format = "@"
    ws.freeze_panes = "A2"
    help_ws = wb.create_sheet("填写说明")
    help_ws.append(["列名", "是否必填", "示例", "说明"])
    for col in COLUMNS[kind]:
        help_ws.append(xlsx.row([col.header, "必填" if col.required else "选填", col.example, col.note]))
    help_ws.append([])
    help_ws.append(["每人（每个岗位）一行；不要合并单元格；带 * 的列必须填写。"])
    if kind == ImportKind.SEEKERS:
        help_ws.append(["出生日期和性别从身份证号自动读取；导入即表示求职者已在纸质登记表上签字同意，导入人为见证人。"])
    for letter, width in zip("ABCD", (22, 10, 24, 50), strict=True):
        help_ws.column_dimensions[letter].width = width
    return xlsx.to_bytes(wb)


def report_xlsx(kind: str, report: list[dict]) -> bytes:
    """The result report: one line per data row with its status and reasons (personal data masked; every cell
    through core.xlsx, so a name typed as "=..." stays text)."""
    wb = xlsx.new_workbook(write_only=True)
    ws = wb.create_sheet("导入结果")
    heads = DISPLAY_HEADERS[kind]
    ws.append(xlsx.row(["行号", *[h for _k, h in heads], "状态", "原因"]))
    for r in report:
        ws.append(xlsx.row([r["n"], *[r["display"].get(k, "") for k, _h in heads], r.get("status_label", ""),
                            "；".join(r.get("errors", []))]))
    return xlsx.to_bytes(wb)
