"""Loading the national classifications: occupations (职业分类大典 2022) and industries (GB/T 4754-2017),
plus the list of occupations common in county blue-collar work (hongniang/data/common_occupations.csv)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from hongniang.catalog.models import Industry, Occupation

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
OCCUPATIONS_FILE = DATA_DIR / "occupations_2022.csv"
INDUSTRIES_FILE = DATA_DIR / "industries_gbt4754_2017.csv"
COMMON_FILE = DATA_DIR / "common_occupations.csv"


class ClassificationFileError(ValueError):
    pass


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        return f"{self.created} new, {self.updated} changed, {self.unchanged} unchanged"


def read_common(path: Path = COMMON_FILE) -> dict[str, str]:
    """code → plain label (普工, 保洁 …), in file order."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return {r["code"].strip(): r["common_label"].strip() for r in csv.DictReader(fh) if r.get("code")}


def read_occupations(path: Path = OCCUPATIONS_FILE, common: dict[str, str] | None = None) -> list[dict]:
    common = read_common() if common is None else common
    rows, codes = [], set()
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for rec in csv.DictReader(fh):
            code = rec["code"].strip()
            if not code or code in codes:
                continue
            codes.add(code)
            level = int(rec["level"])
            parent = (rec.get("parent_code") or "").strip() or (code.rsplit("-", 1)[0] if "-" in code else "")
            rows.append(dict(code=code, name=rec["name"].strip(), level=level, parent_id=parent or None,
                             common=code in common, common_label=common.get(code, "")))
    missing = [c for c in common if c not in codes]
    if missing:
        raise ClassificationFileError(f"common occupations not in the classification: {', '.join(missing)}")
    not_leaf = [r["code"] for r in rows if r["common"] and r["level"] != 4]
    if not_leaf:
        raise ClassificationFileError(f"common occupations must be level-4 occupations: {', '.join(not_leaf)}")
    for r in rows:
        if r["parent_id"] and r["parent_id"] not in codes:
            r["parent_id"] = None
    return rows


def _industry_parent(rec: dict) -> str:
    level = int(rec["level"])
    if level == 2:
        return rec["section"]
    if level == 3:
        return rec["division"]
    if level == 4:
        return rec["group"]
    return ""


def read_industries(path: Path = INDUSTRIES_FILE) -> list[dict]:
    rows, codes = [], set()
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for rec in csv.DictReader(fh):
            code = rec["code"].strip()
            if not code or code in codes:
                continue
            codes.add(code)
            rows.append(dict(code=code, name=rec["name"].strip(), level=int(rec["level"]),
                             parent_id=_industry_parent(rec).strip() or None,
                             description=(rec.get("description") or "").strip(), _section=rec["section"]))
    for r in rows:
        # a class whose group is not listed separately (0190 其他农业: group 019 = class 0190) hangs from the division
        while r["parent_id"] and r["parent_id"] not in codes:
            r["parent_id"] = r["parent_id"][:-1] if len(r["parent_id"]) > 2 else None
        if r["parent_id"] is None and r["level"] > 1:
            r["parent_id"] = r["_section"] if r["_section"] in codes else None
        del r["_section"]
    return rows


def _upsert(model, rows: list[dict], fields: list[str], *, wet_run: bool) -> Report:
    from django.db import transaction

    existing = model.objects.in_bulk([r["code"] for r in rows])
    report = Report()
    to_create, to_update = [], []
    for r in rows:
        obj = existing.get(r["code"])
        if obj is None:
            to_create.append(model(**r))
        elif any(getattr(obj, f) != r[f] for f in fields):
            for f in fields:
                setattr(obj, f, r[f])
            to_update.append(obj)
        else:
            report.unchanged += 1
    report.created, report.updated = len(to_create), len(to_update)
    if wet_run and (to_create or to_update):
        with transaction.atomic():
            model.objects.bulk_create(sorted(to_create, key=lambda o: o.level), batch_size=500)
            model.objects.bulk_update(to_update, fields, batch_size=500)
    return report


def load_occupations(*, wet_run: bool, path: Path = OCCUPATIONS_FILE, common_path: Path = COMMON_FILE) -> Report:
    rows = read_occupations(path, read_common(common_path))
    return _upsert(Occupation, rows, ["name", "level", "parent_id", "common", "common_label"], wet_run=wet_run)


def load_industries(*, wet_run: bool, path: Path = INDUSTRIES_FILE) -> Report:
    return _upsert(Industry, read_industries(path), ["name", "level", "parent_id", "description"], wet_run=wet_run)
