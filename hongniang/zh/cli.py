"""``hongniang parse-posting FILE|-``: parse pasted job ads into JSON lines (one object per ad).

Ads in the input are separated by a line holding only ``---``; a text that advertises several jobs (numbered
items, "招A…；招B…") gives one object per job (``posting.split_ads``). Output: UTF-8 JSON, ``ensure_ascii=False``,
one object per line, keys exactly as ``ParsedPosting.to_dict()``.
"""

from __future__ import annotations

import argparse
import json
import sys

from .posting import MINIMUM_WAGE_HOURLY, MINIMUM_WAGE_MONTHLY, parse_postings


def parse_posting_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="hongniang parse-posting",
        description="把粘贴的招聘信息解析为岗位表单字段（每条一行 JSON）/ parse pasted job ads into JSON lines",
    )
    parser.add_argument("file", help="text file with ads separated by lines holding only ---, or - for stdin")
    parser.add_argument(
        "--minimum-wage-monthly", type=float, default=MINIMUM_WAGE_MONTHLY,
        help="CNY per month (default: Ruijin %(default)s)"
    )
    parser.add_argument(
        "--minimum-wage-hourly", type=float, default=MINIMUM_WAGE_HOURLY,
        help="CNY per hour (default: Ruijin %(default)s)"
    )
    parser.add_argument("--places", help="comma-separated township names instead of Ruijin's")
    args = parser.parse_args(argv)
    try:
        if args.file == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(args.file, "rb") as fh:
                data = fh.read()
    except OSError as exc:
        print(f"无法读取文件 / cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    text = data.decode("utf-8-sig", errors="replace")
    kwargs = {
        "minimum_wage_monthly": args.minimum_wage_monthly,
        "minimum_wage_hourly": args.minimum_wage_hourly,
    }
    if args.places:
        kwargs["places"] = [p for p in args.places.split(",") if p.strip()]
    lines = [json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in parse_postings(text, **kwargs)]
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:  # UTF-8 whatever the locale says
        sys.stdout.flush()
        buffer.write("".join(lines).encode("utf-8"))
        buffer.flush()
    else:
        sys.stdout.write("".join(lines))
        sys.stdout.flush()
    return 0
