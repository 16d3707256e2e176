"""Bytes on the wire per page and role (hongniang.core.compression): each page is fetched three times by the same
browser: without gzip (the baseline), with gzip from our own pages (Sec-Fetch-Site: same-origin), and with gzip
but cross-site (a logged-in person's page must then stay uncompressed: BREACH; an anonymous page may be gzipped).

    make demo   # or any running hongniang with the demo data; then
    .venv/bin/python bench/page_bytes.py http://127.0.0.1:8000

Prints one row per page and the totals with the ratio gzip / plain. Bounded: 23 pages × 3 requests."""

from __future__ import annotations

import http.cookiejar
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

BASE = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
PAGES = {
    None: ["/", "/jobs/", "/gigs/", "/events/"],  # anonymous
    "13800000001": ["/", "/jobs/", "/me/", "/me/applications/", "/gigs/"],
    "hr_demo": ["/", "/enterprise/", "/siting/"],
    "staff_demo": ["/", "/staff/", "/me/staff/", "/siting/"],
    "admin": ["/", "/dashboard/", "/siting/"],
    "workshop_demo": ["/", "/workshops/"],
}


def login(opener, user: str) -> None:
    html = opener.open(BASE + "/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": user, "password": "demo1234"})
    opener.open(urllib.request.Request(BASE + "/accounts/login/", data=data.encode(),
                                       headers={"Referer": BASE + "/accounts/login/"}))


def fetch(opener, path: str, gzip: bool, site: str | None) -> tuple[int, int, str]:
    """(status, bytes received, Content-Encoding)."""
    headers = {"Accept-Encoding": "gzip"} if gzip else {}
    if site:
        headers["Sec-Fetch-Site"] = site
    try:
        response = opener.open(urllib.request.Request(BASE + path, headers=headers))
    except urllib.error.HTTPError as e:
        return e.code, 0, ""
    return response.status, len(response.read()), response.headers.get("Content-Encoding", "")


def main() -> None:
    totals = [0, 0, 0]
    print(f"{'role':14} {'page':20} {'plain':>8} {'gzip':>8} {'cross':>8}  encoding gzip/cross")
    for user, pages in PAGES.items():
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        if user:
            login(opener, user)
        for path in pages:
            status, plain, _ = fetch(opener, path, False, None)
            _, zipped, enc = fetch(opener, path, True, "same-origin")
            _, cross, enc_cross = fetch(opener, path, True, "cross-site")
            if status != 200:
                print(f"{user or 'anonymous':14} {path:20} HTTP {status}")
                continue
            for i, n in enumerate((plain, zipped, cross)):
                totals[i] += n
            print(f"{user or 'anonymous':14} {path:20} {plain:8} {zipped:8} {cross:8}  {enc or '-'}/{enc_cross or '-'}")
    print(f"{'total':35} {totals[0]:8} {totals[1]:8} {totals[2]:8}  gzip/plain = {totals[1] / totals[0]:.2f}")


if __name__ == "__main__":
    main()
