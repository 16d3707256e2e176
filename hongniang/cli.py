"""The `hongniang` command: batch tools that work on files, without a database.

Subcommands are provided by the pure libraries:
  hongniang match ...          (hongniang.matching.cli)
  hongniang parse-posting ...  (hongniang.zh.cli)
  hongniang site ...           (hongniang.sitelib.cli)
"""

from __future__ import annotations

import sys

USAGE = """用法 / usage:
  hongniang match --jobs JOBS.csv --seekers SEEKERS.csv --top 10 --out RECS.csv [--direction recommendations|candidates]
  hongniang parse-posting FILE|-
  hongniang site --seekers SEEKERS.csv --candidates SITES.csv --need N --radius KM [--sites K] [--occupations CODES]
                 [--shift SHIFT] [--age-min A] [--age-max B] [--today YYYY-MM-DD] [--out OUT.csv]
"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "match":
        from hongniang.matching.cli import main as match_main  # lazy: only the library this subcommand runs

        return match_main(rest)
    if command == "parse-posting":
        from hongniang.zh.cli import parse_posting_main  # lazy: only the library this subcommand runs

        return parse_posting_main(rest)
    if command == "site":
        from hongniang.sitelib.cli import main as site_main  # lazy: only the library this subcommand runs

        return site_main(rest)
    print(f"未知命令 / unknown command: {command}\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
