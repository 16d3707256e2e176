"""``hongniang site``: the named columns, the stderr lines and exit status 2 for bad input."""

from __future__ import annotations

import csv

import pytest

from hongniang.cli import main as hongniang_main

from .test_cover import at

SEEKER_HEADER = ["seeker_id", "lat", "lon", "birth_year", "occupations", "certificates", "expected_wage", "shifts",
                 "max_commute_km", "relocate", "unavailable_months"]


def _write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return str(path)


@pytest.fixture
def files(tmp_path):
    """The line with a greedy trap (see test_cover.line), plus people who fail the rules and a bad row."""
    rows, n = [], 0
    for count, x in ((3, -4), (4, -2), (4, 2), (3, 4)):
        lat, lon = at(x)
        for _ in range(count):
            n += 1
            rows.append([f"p{n}", f"{lat:.7f}", f"{lon:.7f}", "1985", "6-05-01-03", "", "4000", "day;two_shift", "50",
                         "0", ""])
    lat, lon = at(0, 1.5)  # 1.5 km from 中间, 3.35 km from the others
    rows.append(["old", f"{lat:.7f}", f"{lon:.7f}", "1950", "6-05-01-03", "", "", "", "50", "0", ""])
    rows.append(["cleaner", f"{lat:.7f}", f"{lon:.7f}", "1985", "4-09-08-01", "", "", "", "50", "0", ""])
    rows.append(["nights", f"{lat:.7f}", f"{lon:.7f}", "1985", "6-05-01-02", "", "", "three_shift", "50", "0", ""])
    rows.append(["bad", "26.0", "", "1985", "", "", "", "", "", "0", ""])
    seekers = _write(tmp_path / "seekers.csv", SEEKER_HEADER, rows)
    sites = []
    for sid, name, x in (("10", "中间", 0), ("2", "左边", -3), ("3", "右边", 3)):
        lat, lon = at(x)
        sites.append([sid, name, f"{lat:.7f}", f"{lon:.7f}"])
    cand = _write(tmp_path / "sites.csv", ["site_id", "name", "lat", "lon"], sites)
    return seekers, cand, tmp_path


def _run(args, capsys):
    code = hongniang_main(["site", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _rows(text):
    return list(csv.reader(text.splitlines()))


def test_single_site_ranking_columns_and_order(files, capsys):
    seekers, cand, _ = files
    code, out, err = _run(["--seekers", seekers, "--candidates", cand, "--need", "10", "--radius", "3",
                           "--occupations", "6-05-01-03", "--shift", "day", "--age-min", "18", "--age-max", "60",
                           "--today", "2026-03-01"], capsys)
    assert code == 0
    rows = _rows(out)
    assert rows[0] == ["rank", "site_id", "name", "lat", "lon", "people_in_reach", "share_of_need"]
    # 中间 reaches 8; 左边 and 右边 tie at 7: by site_id, numerically (2 before 3)
    assert [(r[0], r[1], r[5], r[6]) for r in rows[1:]] == [("1", "10", "8", "0.8000"), ("2", "2", "7", "0.7000"),
                                                           ("3", "3", "7", "0.7000")]
    assert "skipped" in err  # the bad row is reported, not fatal


def test_k_sites_are_exact_with_greedy_total_on_stderr(files, capsys):
    seekers, cand, tmp = files
    out_path = tmp / "out.csv"
    code, out, err = _run(["--seekers", seekers, "--candidates", cand, "--need", "20", "--radius", "3", "--sites", "2",
                           "--occupations", "6-05-01-03", "--age-max", "60", "--today", "2026-03-01",
                           "--out", str(out_path)], capsys)
    assert code == 0 and out == ""
    rows = _rows(out_path.read_text(encoding="utf-8"))
    assert rows[0] == ["rank", "site_id", "name", "lat", "lon", "people_in_reach", "covered_new", "covered_total"]
    assert [(r[0], r[1], r[5], r[6], r[7]) for r in rows[1:]] == [("1", "2", "7", "7", "7"), ("2", "3", "7", "7", "14")]
    assert "proven optimal" in err and "已证明最优" in err
    assert "greedy total: 12" in err  # 中间 (its 8 and the three-shift cutter) first, then 2 adds 3


@pytest.mark.parametrize("extra,message", [
    (["--radius", "0"], "--radius"),
    (["--radius", "-2"], "--radius"),
    (["--radius", "3", "--shift", "night"], "未知班次"),
    (["--radius", "3", "--sites", "4"], "larger than the number of candidates"),
    (["--radius", "3", "--need", "0"], "--need"),
    (["--radius", "3", "--age-min", "50", "--age-max", "20"], "不能大于"),
    (["--radius", "3", "--today", "2026-13-01"], "--today"),
    (["--radius", "3", "--occupations", "缝纫工"], "职业代码"),
    (["--radius", "3", "--sites", "2", "--time-limit", "0"], "--time-limit"),
])
def test_bad_arguments_exit_with_status_2(files, capsys, extra, message):
    seekers, cand, _ = files
    args = ["--seekers", seekers, "--candidates", cand, "--need", "5", *extra]
    code, out, err = _run(args, capsys)
    assert code == 2 and out == ""
    assert message in err


def test_an_answer_not_proven_in_time_says_how_to_get_a_proof(files, capsys, monkeypatch):
    from hongniang.sitelib import cli as cli_mod

    seekers, cand, _ = files
    monkeypatch.setattr(cli_mod, "BATCH_MAX_NNZ", 3)  # as when the time runs out: greedy with its bound
    code, out, err = _run(["--seekers", seekers, "--candidates", cand, "--need", "20", "--radius", "3", "--sites", "2",
                           "--occupations", "6-05-01-03", "--age-max", "60", "--today", "2026-03-01",
                           "--time-limit", "30"], capsys)
    assert code == 0
    assert "not proven optimal" in err and "upper bound" in err
    assert "raise --time-limit (now 30 s" in err and "加大 --time-limit" in err


def test_the_command_solves_exactly_models_the_pages_leave_to_greedy(files, capsys, monkeypatch):
    """A batch job may take the memory and minutes a web worker may not: the command's ceiling is its own."""
    from hongniang.sitelib import cover as cover_mod

    seekers, cand, _ = files
    monkeypatch.setattr(cover_mod, "EXACT_MAX_NNZ", 3)  # the pages' ceiling: every model here is above it
    code, out, err = _run(["--seekers", seekers, "--candidates", cand, "--need", "20", "--radius", "3", "--sites", "2",
                           "--occupations", "6-05-01-03", "--age-max", "60", "--today", "2026-03-01"], capsys)
    assert code == 0
    assert "proven optimal" in err and "not proven" not in err


def test_missing_columns_exit_with_status_2(files, capsys):
    seekers, cand, tmp = files
    no_lon = _write(tmp / "s2.csv", ["seeker_id", "lat"], [["1", "25.9"]])
    code, _, err = _run(["--seekers", no_lon, "--candidates", cand, "--need", "5", "--radius", "3"], capsys)
    assert code == 2 and "missing columns: lon" in err
    no_name = _write(tmp / "c2.csv", ["site_id", "lat", "lon"], [["1", "25.9", "116"]])
    code, _, err = _run(["--seekers", seekers, "--candidates", no_name, "--need", "5", "--radius", "3"], capsys)
    assert code == 2 and "missing columns: name" in err
    no_occ = _write(tmp / "s3.csv", ["seeker_id", "lat", "lon"], [["1", "25.9", "116"]])
    code, _, err = _run(["--seekers", no_occ, "--candidates", cand, "--need", "5", "--radius", "3",
                         "--occupations", "6-05-01-03"], capsys)
    assert code == 2 and "occupations" in err


def test_bad_site_row_and_missing_file_exit_with_status_2(files, capsys):
    seekers, cand, tmp = files
    bad = _write(tmp / "c3.csv", ["site_id", "name", "lat", "lon"], [["1", "a", "25.9", "116"], ["2", "b", "north", "116"]])
    code, _, err = _run(["--seekers", seekers, "--candidates", bad, "--need", "5", "--radius", "3"], capsys)
    assert code == 2 and "c3.csv:3" in err
    code, _, err = _run(["--seekers", str(tmp / "nope.csv"), "--candidates", cand, "--need", "5", "--radius", "3"],
                        capsys)
    assert code == 2 and "nope.csv" in err


def test_a_missing_required_option_exits_with_status_2(files, capsys):
    seekers, cand, _ = files
    with pytest.raises(SystemExit) as e:
        hongniang_main(["site", "--seekers", seekers, "--candidates", cand, "--radius", "3"])
    assert e.value.code == 2


def test_match_and_parse_posting_still_dispatch(capsys):
    assert hongniang_main(["--help"]) == 0
    assert "hongniang site" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        hongniang_main(["match", "--help"])
    assert "--jobs" in capsys.readouterr().out
