import io
import json
import subprocess
import sys

from hongniang.zh.cli import parse_posting_main

ADS_FILE = """招聘普工30名，月薪4500-6500元，长白班，包吃住，电话13807971234
---
招保洁员，月薪1500，限女
---

瑞金某鞋业有限公司招聘：
1、车位工10名，计件，月入6000-9000元
2、质检员2名，月薪4000元
电话：13807970000
"""


def _run(argv, capsys):
    code = parse_posting_main(argv)
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines()], out


def test_file_gives_one_json_object_per_ad(tmp_path, capsys):
    f = tmp_path / "ads.txt"
    f.write_text(ADS_FILE, encoding="utf-8")
    code, rows, out = _run([str(f)], capsys)
    assert code == 0
    assert [r["title"] for r in rows] == ["普工", "保洁员", "车位工", "质检员"]
    assert rows[1]["flags"] == ["gender_restriction", "below_minimum_wage"]
    assert rows[3]["phone"] == "13807970000"
    assert "普工" in out  # ensure_ascii=False: Chinese is written as is


def test_keys_are_exactly_the_form_keys(tmp_path, capsys):
    f = tmp_path / "ads.txt"
    f.write_text("招普工", encoding="utf-8")
    _, rows, _ = _run([str(f)], capsys)
    assert list(rows[0]) == [
        "title",
        "occupation_code",
        "headcount",
        "pay_type",
        "pay_min",
        "pay_max",
        "monthly_min",
        "monthly_max",
        "shift",
        "benefits",
        "age_min",
        "age_max",
        "township",
        "phone",
        "flags",
        "confidence",
    ]


def test_stdin_with_dash(monkeypatch, capsys):
    data = "招叉车工2名，日结200元\n---\n招缝纫工，计件\n".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    code, rows, _ = _run(["-"], capsys)
    assert code == 0
    assert [(r["title"], r["pay_type"]) for r in rows] == [("叉车工", "daily"), ("缝纫工", "piece")]


def test_missing_file_is_an_error(capsys):
    assert parse_posting_main(["/nonexistent/ads.txt"]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_minimum_wage_option(tmp_path, capsys):
    f = tmp_path / "ads.txt"
    f.write_text("招保洁员，月薪1800", encoding="utf-8")
    _, rows, _ = _run([str(f), "--minimum-wage-monthly", "1850"], capsys)
    assert rows[0]["flags"] == ["below_minimum_wage"]


def test_top_level_command_dispatches_to_parse_posting():
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from hongniang.cli import main; sys.exit(main(['parse-posting', '-']))",
        ],
        input="招普工10名，月薪4000\n---\n招焊工，月薪9000\n".encode(),
        capture_output=True,
        timeout=120,
        env={"PYTHONIOENCODING": "ascii", "PATH": "/usr/bin:/bin", "HOME": "/tmp"},
    )
    assert proc.returncode == 0, proc.stderr.decode()
    rows = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert [r["title"] for r in rows] == ["普工", "焊工"]
