"""Load bench (`make bench`, last stage; issue 19 item 7). Prints figures; it is not a test.

gunicorn with the production settings (sync workers, DEBUG off, 2FA off for the bench: the env
``APTRACK_REQUIRE_2FA=false`` is given to the server, as the bench users sign in with a password
only) on a free loopback port against the database in DATABASE_URL. USERS concurrent users sign
in over HTTP (four in five are bench LA officers of the LA with the most children placed at the
busiest provider, one in five that provider's staff) and, each on its own thread with no pause,
run a mixed workload for SECONDS: officers the children register, a child record and the LA
dashboard; provider staff the register page and ``POST /api/v1/attendance`` (five present marks
for the last school day, with a provider token). With no pause, this measures capacity: latency
is then the queue (users / throughput), not the page. Then the same users run the same mix for
SECONDS again, each pausing a think time after each page (``--think``, default 1-5 s, the
think time of Locust's documented example user: `wait_time = between(1, 5)`): the latency a
user of a busy service sees. Then two short phases of equal length measure the
throughput ratio on the same server: only ``/healthz`` (the hello-world view: a JSON answer after
``SELECT 1``) and only the child record, each by the same officers.

Prints per page: requests, errors (anything but 200), throughput (requests/s), p50/p95 (ms);
and the child record's throughput as a ratio of the hello-world's. Targets printed beside:
0 errors; p95 < 300 ms for every page; the child record >= 0.3x the hello-world view.

Workers are replaced after ``--max-requests`` (default 10,000), as the deploy guide advises:
well above what a worker serves in a minute. At this load a worker serves several thousand
a minute, and with production's default of 1,000 each replacement (about 1.3 s of CPU to load
Django again) fell mostly in the hello-world phase, which it slowed by a third, so the ratio
moved by 0.1 from run to run with where the replacements fell.

Run: `python -m bench.load --users 50 --seconds 60` (DATABASE_URL on PostgreSQL,
STATIC_ROOT holding `collectstatic`'s output and the cache table made, as `scripts/bench.sh` does).
The bench users (`bench.load.*`) and one API token are made in the database, and kept.
"""

import argparse
import json
import multiprocessing
import os
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from aptrack.ops.production_server import Browser, free_port, gunicorn, production_env
from bench.attendance import BENCH_PROVIDER
from bench.oversight import percentile

TARGET_ERRORS = 0
TARGET_P95_MS = 300
TARGET_RATIO = 0.3
PASSWORD = "bench-load-not-a-real-password-2026"
USER_PREFIX = "bench.load."
HELLO = "hello-world (/healthz)"
CHILD = "child record"
SIGN_IN_FAILED = "Bench user {username} could not sign in: HTTP {status}"
NO_REGISTER = "No provider has children placed on {day}: generate data first"
NO_SIGN_IN_FORM = "The sign-in page has no form token: is aptrack serving on the port?"


@dataclass
class PageStats:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)


class Results:
    """Per-page latencies and errors, shared by the user threads."""

    def __init__(self) -> None:
        self.pages: dict[str, PageStats] = {}
        self._lock = threading.Lock()

    def add(self, page: str, ms: float, ok: bool) -> None:
        with self._lock:
            stats = self.pages.setdefault(page, PageStats())
            stats.latencies_ms.append(ms)
            stats.errors += 0 if ok else 1


def page_lines(pages: dict[str, PageStats], seconds: float) -> list[str]:
    """One line per page: requests, errors, throughput, p50/p95, and the targets beside."""
    lines = [
        f"   {'page':<26} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}   "
        f"(targets: {TARGET_ERRORS} errors, p95 < {TARGET_P95_MS} ms)"
    ]
    for page, stats in pages.items():
        if not stats.requests:
            continue
        p50, p95 = percentile(stats.latencies_ms, 50), percentile(stats.latencies_ms, 95)
        verdict = "ok" if stats.errors == TARGET_ERRORS and p95 < TARGET_P95_MS else "MISSED"
        lines.append(
            f"   {page:<26} {stats.requests:>8} {stats.errors:>6} {stats.requests / seconds:>7.1f} "
            f"{p50:>7.0f} {p95:>7.0f}   {verdict}"
        )
    return lines


def ratio_line(child_per_s: float, hello_per_s: float) -> str:
    ratio = child_per_s / hello_per_s if hello_per_s else 0.0
    verdict = "ok" if ratio >= TARGET_RATIO else "MISSED"
    return (
        f"   child record {child_per_s:.1f} req/s / hello-world {hello_per_s:.1f} req/s = {ratio:.2f}x "
        f"(target >= {TARGET_RATIO}x) {verdict}"
    )


@dataclass(frozen=True)
class Fixture:
    officers: list[str]
    provider_staff: list[str]
    child_ids: list[int]
    upns: list[str]
    day: str
    token: str


def prepare(users: int) -> Fixture:
    """Bench users, the children they look at and a provider token, in the database."""
    from django.db.models import Count
    from django.utils import timezone

    from aptrack.accounts import services as accounts
    from aptrack.accounts.models import User
    from aptrack.accounts.roles import Role
    from aptrack.attendance import selectors
    from aptrack.attendance.models import Session
    from aptrack.children.permissions import children_of_la
    from aptrack.organisations.models import Organisation, OrganisationKind
    from aptrack.placements.models import Placement

    today = timezone.localdate()
    lines = []
    # The busiest provider of the synthetic world, not the attendance bench's own (its 2,578
    # children, all placed on one import, are no provider's real register).
    busiest = (
        Placement.objects.exclude(provider__name=BENCH_PROVIDER)
        .values("provider")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    for row in busiest[:10]:
        provider_id = row["provider"]
        day = selectors.last_school_day(
            selectors.get_register_calendar(provider_id=provider_id), today
        )
        lines = selectors.list_register(provider_id=provider_id, on=day, session=Session.AM)
        if lines:
            break
    if not lines:
        raise SystemExit(NO_REGISTER.format(day=today))
    provider = Organisation.objects.get(pk=provider_id)
    la_id = Counter(line.placement.child.home_la_id for line in lines).most_common(1)[0][0]
    la = Organisation.objects.get(kind=OrganisationKind.LOCAL_AUTHORITY, local_authority_id=la_id)
    upns = [line.placement.child.upn for line in lines if line.placement.child.upn]
    child_ids = list(children_of_la(la_id).order_by("pk").values_list("pk", flat=True)[:2000])

    n_provider = max(1, users // 5)
    names = {
        f"{USER_PREFIX}provider.{i:02d}": (provider, Role.PROVIDER_STAFF) for i in range(n_provider)
    }
    names |= {
        f"{USER_PREFIX}officer.{i:02d}": (la, Role.LA_OFFICER) for i in range(users - n_provider)
    }
    for username, (organisation, role) in names.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            accounts.create_user(
                username=username, password=PASSWORD, organisation=organisation, role=role
            )
        else:  # kept from an earlier run, perhaps on other data
            user.organisation, user.role, user.is_active = organisation, role, True
            user.set_password(PASSWORD)
            user.save()
    _, token = accounts.issue_api_token(
        user=User.objects.get(username=f"{USER_PREFIX}provider.00"),
        name="load bench",
        at=timezone.now(),
    )
    print(
        f"   {users} users: {users - n_provider} LA officers of {la} ({len(child_ids)} children looked at), "
        f"{n_provider} staff of {provider} ({len(upns)} children on its register for {day})"
    )
    return Fixture(
        officers=[n for n in names if ".officer." in n],
        provider_staff=[n for n in names if ".provider." in n],
        child_ids=child_ids,
        upns=upns,
        day=day.isoformat(),
        token=token,
    )


def sign_in(port: int, username: str) -> Browser:
    browser = Browser(port)
    _, page = browser.request("GET", "/accounts/sign-in/")
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if found is None:
        raise SystemExit(NO_SIGN_IN_FORM)
    token = found.group(1).decode()
    response, _ = browser.request(
        "POST",
        "/accounts/sign-in/",
        {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
    )
    if response.status != 302:
        raise SystemExit(SIGN_IN_FAILED.format(username=username, status=response.status))
    return browser


Action = Callable[[Browser, random.Random], tuple[str, int]]


def officer_mixed(fixture: Fixture) -> Action:
    def act(browser: Browser, rng: random.Random) -> tuple[str, int]:
        page = rng.choices(["children register", CHILD, "LA dashboard"], weights=[1, 2, 1])[0]
        path = {"children register": "/children/", "LA dashboard": "/oversight/"}.get(
            page
        ) or f"/children/{rng.choice(fixture.child_ids)}/"
        return page, browser.request("GET", path)[0].status

    return act


def provider_mixed(fixture: Fixture) -> Action:
    def act(browser: Browser, rng: random.Random) -> tuple[str, int]:
        if rng.random() < 2 / 3:
            return "provider register page", browser.request("GET", "/attendance/")[0].status
        marks = [
            {"upn": upn, "date": fixture.day, "session": "AM", "code": "/"}
            for upn in rng.sample(fixture.upns, min(5, len(fixture.upns)))
        ]
        response, _ = browser.request(
            "POST",
            "/api/v1/attendance",
            headers={"Authorization": f"Bearer {fixture.token}"},
            json_body=json.dumps({"marks": marks}).encode(),
        )
        return "API marks (5 a request)", response.status

    return act


def only(page: str, path_of: Callable[[random.Random], str]) -> Action:
    def act(browser: Browser, rng: random.Random) -> tuple[str, int]:
        return page, browser.request("GET", path_of(rng))[0].status

    return act


def run_phase(
    workers: list[tuple[Browser, Action]],
    seconds: float,
    think: tuple[float, float] = (0.0, 0.0),
) -> tuple[Results, float]:
    """Each user on its own thread runs its action until `seconds` have passed, pausing a
    random `think` time (seconds, uniform between the two) after each page."""
    results = Results()
    stop_at = time.monotonic() + seconds

    def loop(index: int, browser: Browser, action: Action) -> None:
        rng = random.Random(index)
        # Paced users arrive over the first think time, as users do (and as Locust ramps them
        # up), not all in the same millisecond: a burst of every user at once is the no-pause
        # phase's measure, and would put each paced user's first page behind all the others'.
        time.sleep(rng.uniform(0.0, think[1]))
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                page, status = action(browser, rng)
            except OSError:
                page, status = "connection failed", 0
            results.add(page, (time.perf_counter() - started) * 1000, status == 200)
            pause = rng.uniform(*think)
            if pause:
                time.sleep(max(0.0, min(pause, stop_at - time.monotonic())))

    threads = [threading.Thread(target=loop, args=(i, b, a)) for i, (b, a) in enumerate(workers)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.monotonic() - started


def _ok_per_s(results: Results, page: str, seconds: float) -> float:
    stats = results.pages.get(page, PageStats())
    return (stats.requests - stats.errors) / seconds


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aptrack.config.settings")
    import django

    django.setup()
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=multiprocessing.cpu_count() * 2 + 1)
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(1.0, 5.0),
        metavar=("MIN", "MAX"),
        help="seconds each user pauses after a page in the paced phase (default 1 5)",
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=10_000,
        help="requests a worker serves before it is replaced (GUNICORN_MAX_REQUESTS; default "
        "10000: the deploy guide's advice, well above a minute of this load)",
    )
    args = parser.parse_args()

    fixture = prepare(args.users)
    port = free_port()
    env = production_env(
        database_url=os.environ["DATABASE_URL"],
        static_root=Path(os.environ["STATIC_ROOT"]),
        port=port,
        workers=args.workers,
        APTRACK_REQUIRE_2FA="false",
        GUNICORN_MAX_REQUESTS=str(args.max_requests),
    )
    with gunicorn(env, port=port) as (_, output):
        officers = [sign_in(port, name) for name in fixture.officers]
        staff = [sign_in(port, name) for name in fixture.provider_staff]
        print(
            f"== Load: {args.users} users for {args.seconds:.0f} s, mixed, on gunicorn ({args.workers} sync "
            f"workers replaced after {args.max_requests} requests, production settings, 2FA off "
            "for the bench)"
        )
        mixed, took = run_phase(
            [(b, officer_mixed(fixture)) for b in officers]
            + [(b, provider_mixed(fixture)) for b in staff],
            args.seconds,
        )
        print("\n".join(page_lines(mixed.pages, took)))
        lo, hi = args.think
        print(
            f"== Load: the same {args.users} users for {args.seconds:.0f} s, each pausing {lo:g}-{hi:g} s "
            "after each page (think time, as Locust's documented example user)"
        )
        paced, paced_took = run_phase(
            [(b, officer_mixed(fixture)) for b in officers]
            + [(b, provider_mixed(fixture)) for b in staff],
            args.seconds,
            think=(lo, hi),
        )
        print("\n".join(page_lines(paced.pages, paced_took)))
        short = max(5.0, args.seconds / 4)
        print(f"== Ratio: {len(officers)} officers for {short:.0f} s on each view alone")
        hello, hello_took = run_phase(
            [(b, only(HELLO, lambda _: "/healthz")) for b in officers], short
        )
        child, child_took = run_phase(
            [
                (b, only(CHILD, lambda rng: f"/children/{rng.choice(fixture.child_ids)}/"))
                for b in officers
            ],
            short,
        )
        print(
            "\n".join(page_lines(hello.pages, hello_took) + page_lines(child.pages, child_took)[1:])
        )
        print(ratio_line(_ok_per_s(child, CHILD, child_took), _ok_per_s(hello, HELLO, hello_took)))
    errors = [
        line for line in output[0].splitlines() if "Traceback" in line or '"level": "ERROR"' in line
    ]
    if errors:
        print(f"   The server logged {len(errors)} errors; the last:\n" + "\n".join(errors[-10:]))


if __name__ == "__main__":
    main()
