"""Load on the student start page: logs in once through the real login form, then N concurrent
users request /start/ for a fixed time. Prints requests per second and latency percentiles.

    python bench/start_page.py --base http://127.0.0.1:8001 --users 8 --seconds 20

Only loopback targets are accepted: this is a measurement of our own server, not a load tool.
"""

import argparse
import http.client
import http.cookiejar
import re
import statistics
import threading
import time
import urllib.parse
import urllib.request


def login(base: str, username: str, password: str) -> str:
    """The session cookie after a real login (CSRF token from the form)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"login": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=data, headers={"Referer": base}
    )
    opener.open(request).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def user_loop(host: str, port: int, path: str, cookie: str, stop: float, out: list) -> None:
    connection = http.client.HTTPConnection(host, port, timeout=30)
    while time.monotonic() < stop:
        started = time.perf_counter()
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"{path} answered {response.status}")
        out.append(time.perf_counter() - started)
    connection.close()


def run(base: str, cookie: str, users: int, seconds: float, path: str) -> dict:
    parts = urllib.parse.urlsplit(base)
    if parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit("only loopback targets")
    samples: list[list[float]] = [[] for _ in range(users)]
    stop = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=user_loop, args=(parts.hostname, parts.port, path, cookie, stop, samples[i])
        )
        for i in range(users)
    ]
    begun = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - begun
    latencies = sorted(s for user in samples for s in user)
    q = statistics.quantiles(latencies, n=100)
    return {
        "users": users,
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": q[49] * 1000,
        "p95_ms": q[94] * 1000,
        "max_ms": latencies[-1] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8001")
    parser.add_argument("--user", default="student")
    parser.add_argument("--password", default="demo")
    parser.add_argument("--path", default="/start/")
    parser.add_argument("--users", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    cookie = login(args.base, args.user, args.password)
    single = run(args.base, cookie, 1, 5, args.path)
    print(f"one request at a time: p50 {single['p50_ms']:.1f} ms, p95 {single['p95_ms']:.1f} ms")
    for users in args.users:
        result = run(args.base, cookie, users, args.seconds, args.path)
        print(
            f"{result['users']:>3} users: {result['rps']:7.1f} req/s, "
            f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, "
            f"max {result['max_ms']:.1f} ms ({result['requests']} requests)"
        )


if __name__ == "__main__":
    main()
