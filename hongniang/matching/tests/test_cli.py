"""The batch command: bad rows, the fast seeker reader, and the output against the library."""

import csv

import pytest

from hongniang.matching import JobIndex, batch_recommend
from hongniang.matching.cli import main
from hongniang.matching.csvio import parse_job, parse_seeker, read_rows, read_seeker_records
from hongniang.matching.synth import Market

SEEKER_HEADER = ["seeker_id", "lat", "lon", "birth_year", "occupations", "certificates", "expected_wage", "shifts",
                 "max_commute_km", "relocate", "unavailable_months"]
BAD_SEEKERS = [
    ["bad1", "26.0", "", "1990", "", "", "", "", "", "0", ""],  # lat without lon
    ["bad2", "26.0", "115.0", "1990", "", "", "", "night", "", "0", ""],  # unknown shift
    ["bad3", "26.0", "115.0", "1990", "", "", "", "", "", "maybe", ""],  # relocate
    ["bad4", "26.0", "115.0", "1990", "", "", "", "", "", "0", "13"],  # month
    ["bad5", "26.0", "115.0", "18x", "", "", "", "", "", "0", ""],  # birth year
    ["", "26.0", "115.0", "1990", "", "", "", "", "", "0", ""],  # no id
    ["bad7", "26.0", "115.0", "1990", "", "", "-5", "", "", "0", ""],  # wage
    ["bad8", "26.0", "115.0", "1990", "", "", "", "", "-1", "0", ""],  # commute
]


def _write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("match")
    m = Market(seed=3, n_towns=6)
    jobs = m.jobs(400)
    people = m.seekers(1500)
    _write(d / "jobs.csv", ["job_id", "occupation_code", "lat", "lon", "wage_min", "wage_max", "shift", "headcount", "age_min",
                            "age_max", "certificates", "benefits", "posted_on"],
           [(j.job_id, j.occupation_code or "", j.lat, j.lon, j.wage_min if j.wage_min is not None else "",
             j.wage_max if j.wage_max is not None else "", j.shift or "", j.headcount, j.age_min if j.age_min is not None else "",
             j.age_max if j.age_max is not None else "", ";".join(j.certificates), ";".join(sorted(j.benefits)),
             j.posted_on.isoformat() if j.posted_on else "") for j in jobs])
    rows = [(s.seeker_id, s.lat, s.lon, s.birth_year, ";".join(s.occupations), ";".join(s.certificates),
             "" if s.expected_wage is None else s.expected_wage, ";".join(sorted(s.shifts)),
             "" if s.max_commute_km is None else s.max_commute_km, int(s.relocate), ";".join(map(str, sorted(s.unavailable_months))))
            for s in people]
    rows = rows[:10] + BAD_SEEKERS + [rows[3]] + rows[10:]  # + a duplicate id
    rows[0] = ("a,\"quoted\" id",) + tuple(rows[0][1:])
    _write(d / "seekers.csv", SEEKER_HEADER, rows)
    return d, m.today


def test_fast_seeker_reader_equals_the_parser(files):
    d, _ = files
    a, b = [], []
    old = list(read_rows(str(d / "seekers.csv"), parse_seeker, "seeker_id", lambda ln, r: a.append((ln, r))))
    new = list(read_seeker_records(str(d / "seekers.csv"), lambda ln, r: b.append((ln, r))))
    assert a == b and len(a) == len(BAD_SEEKERS) + 1
    assert [tuple(getattr(s, f) for f in SEEKER_HEADER) for s in old] == [tuple(r) for r in new]


@pytest.mark.parametrize("workers", [1, 2])
def test_batch_command_output_equals_the_library(files, workers, capsys):
    d, today = files
    out = d / f"recs{workers}.csv"
    rc = main(["--jobs", str(d / "jobs.csv"), "--seekers", str(d / "seekers.csv"), "--top", "5", "--out", str(out),
               "--today", today.isoformat(), "--workers", str(workers), "--plain"])
    assert rc == 0
    err = capsys.readouterr().err
    assert err.count("跳过 / skipped") == len(BAD_SEEKERS) + 1
    with open(out, newline="", encoding="utf-8") as f:
        got = list(csv.reader(f))
    assert got[0] == ["seeker_id", "rank", "job_id", "score", "reasons"]
    idx = JobIndex(list(read_rows(str(d / "jobs.csv"), parse_job, "job_id", lambda *a: None)))
    people = list(read_rows(str(d / "seekers.csv"), parse_seeker, "seeker_id", lambda *a: None))
    want = [[str(sid), str(k), str(m.job_id), m.score, m.reasons]
            for sid, ms in batch_recommend(people, idx, top=5, capacity_aware=False, today=today) for k, m in enumerate(ms, 1)]
    got, want = sorted(got[1:]), sorted(want)
    assert [r[:3] + r[4:] for r in got] == [r[:3] + r[4:] for r in want]
    assert all(abs(float(a[3]) - b[3]) <= 0.0051 for a, b in zip(got, want, strict=True))  # the CLI rounds the raw score
    assert any(r[0] == 'a,"quoted" id' for r in want)  # an id with CSV special characters round-trips


def test_far_work_comes_last_in_the_output_and_says_so(tmp_path):
    """A job in work the person did not name (nor its minor group) comes after the one they named, even when it
    scores higher, and its reasons end with 其他可以考虑的工作; the named work's reasons do not."""
    jobs = [
        ["sew", "6-05-01-03", "25.98", "116.00", "1800", "1800", "three_shift", "1", "", "", "", "", "2025-01-01"],
        ["clean", "4-09-08-01", "25.901", "116.001", "8000", "9000", "day", "1", "", "", "", "board;lodging;shuttle;social_insurance",
         "2025-04-14"],
        ["sew_far_away", "6-05-01-03", "27.50", "117.50", "9000", "9000", "day", "1", "", "", "", "", "2025-04-14"],
    ]
    _write(tmp_path / "jobs.csv", ["job_id", "occupation_code", "lat", "lon", "wage_min", "wage_max", "shift", "headcount",
                                   "age_min", "age_max", "certificates", "benefits", "posted_on"], jobs)
    _write(tmp_path / "seekers.csv", SEEKER_HEADER, [["p", "25.90", "116.00", "1980", "6-05-01-03", "", "4000", "", "10", "0", ""]])
    out = tmp_path / "out.csv"
    assert main(["--jobs", str(tmp_path / "jobs.csv"), "--seekers", str(tmp_path / "seekers.csv"), "--out", str(out),
                 "--today", "2025-04-15", "--quiet", "--workers", "1"]) == 0
    with open(out, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["job_id"] for r in rows] == ["sew", "clean"]  # the far-away sewing job is beyond reach (a hard rule)
    assert float(rows[1]["score"]) > float(rows[0]["score"])
    assert rows[1]["reasons"].endswith("其他可以考虑的工作") and "其他可以考虑的工作" not in rows[0]["reasons"]
    assert list(rows[0]) == ["seeker_id", "rank", "job_id", "score", "reasons"]


JOB_HEADER = ["job_id", "occupation_code", "lat", "lon", "wage_min", "wage_max", "shift", "headcount", "age_min", "age_max",
              "certificates", "benefits", "posted_on"]


def _near_and_well_paid(tmp_path):
    """One sewer, two sewing jobs: one 1 km away paying little, one 15 km away paying well."""
    _write(tmp_path / "jobs.csv", JOB_HEADER, [
        ["near_low_pay", "6-05-01-03", "25.909", "116.00", "3000", "3000", "day", "1", "", "", "", "", "2025-04-10"],
        ["far_high_pay", "6-05-01-03", "26.035", "116.00", "8000", "8000", "day", "1", "", "", "", "", "2025-04-10"],
    ])
    _write(tmp_path / "seekers.csv", SEEKER_HEADER, [["p", "25.90", "116.00", "1980", "6-05-01-03", "", "4000", "", "20", "0", ""]])


def _order(tmp_path, *extra):
    out = tmp_path / "out.csv"
    assert main(["--jobs", str(tmp_path / "jobs.csv"), "--seekers", str(tmp_path / "seekers.csv"), "--out", str(out),
                 "--today", "2025-04-15", "--quiet", "--workers", "1", *extra]) == 0
    with open(out, encoding="utf-8") as f:
        return [r["job_id"] for r in csv.DictReader(f)]


@pytest.mark.parametrize("plain", [[], ["--plain"]])
@pytest.mark.parametrize("wrapped", [False, True])
def test_a_calibration_on_distance_puts_the_near_job_first(tmp_path, plain, wrapped):
    """With the hand-set weights the well-paid job comes first; a calibration that puts all the person's weight on
    distance (the JSON the platform stores, or a ``Calibration.as_dict()`` with it under "weights") turns the order."""
    import json

    _near_and_well_paid(tmp_path)
    assert _order(tmp_path, *plain) == ["far_high_pay", "near_low_pay"]
    weights = {"w_occupation": 0.0, "w_pay": 0.0, "w_distance": 1.0, "w_shift": 0.0, "w_benefits": 0.0, "w_fresh": 0.0}
    (tmp_path / "cal.json").write_text(json.dumps({"county": "360781", "weights": weights} if wrapped else weights), encoding="utf-8")
    assert _order(tmp_path, *plain, "--calibration", str(tmp_path / "cal.json")) == ["near_low_pay", "far_high_pay"]


@pytest.mark.parametrize("text, says", [
    ("{not json", "not valid JSON"),
    ("[0.3, 0.2]", "JSON object"),
    ('{"w_distanse": 0.5}', "unknown weight"),
    ('{"w_pay": -0.1}', ">= 0"),
    ('{"w_pay": "high"}', ">= 0"),
    ("{}", "no weights"),
    ('{"e_occupation": 0, "e_near": 0, "e_afford": 0, "e_available": 0}', "all zero"),
])
def test_a_malformed_calibration_exits_2(tmp_path, capsys, text, says):
    _near_and_well_paid(tmp_path)
    (tmp_path / "cal.json").write_text(text, encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["--jobs", str(tmp_path / "jobs.csv"), "--seekers", str(tmp_path / "seekers.csv"), "--out", str(out),
                 "--calibration", str(tmp_path / "cal.json"), "--quiet", "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert "错误 / error: --calibration" in err and says in err and str(tmp_path / "cal.json") in err
    assert not out.exists()  # nothing written
    assert main(["--jobs", str(tmp_path / "jobs.csv"), "--seekers", str(tmp_path / "seekers.csv"), "--out", str(out),
                 "--calibration", str(tmp_path / "missing.json"), "--quiet", "--workers", "1"]) == 2
