"""Load test: N workshop participants in real Chromium tabs logging Small wins at once.

    REBOUND_KDF=test python benchmarks/load.py [--users 30] [--saves 3] [--duration 300]
    # against servers started elsewhere (e.g. deploy/replicas.sh), on a prepared folder:
    REBOUND_KDF=test python benchmarks/load.py --prepare-only --data-dir D --users 30
    REBOUND_KDF=test python benchmarks/load.py --url http://127.0.0.1:8080 --data-dir D \
        --pids-file D/run/server.pids

Each simulated participant is its own browser context (own cookies, own websocket) in ONE
headless Chromium driven by Playwright's async API: sign in on "/", open Small wins via the
sidebar, then log K wins ("load-<user>-<n>") with a small random think-time. Measured:
click "Log this win" -> the "Win logged" confirmation visible (save-to-confirmation), and
sidebar click -> page idle (page open). The server processes' CPU% and RSS are sampled
from /proc during the run. Afterwards every participant's encrypted workbook is opened and
each save must be in the right workbook and in no other (lost / misplaced / duplicated).

REBOUND_KDF=test makes Argon2 cheap (script and server); sign-in cost is not what this
measures. Loopback only. Note the browsers run on the same machine as the server, so the
figures include the load generator's competition for the CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbook import config, content  # noqa: E402
from workbook.cohort import Cohort, Host  # noqa: E402
from workbook.models import Win  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
USERS_FILE = "load-users.json"
PASSWORD = "loadtest-pass-123"  # noqa: S105 - a throwaway test workshop
IDLE_JS = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    return !!app
        && app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector("[data-testid='stStatusWidgetRunningIcon']")
        && !document.querySelector("[data-testid='stSkeleton']");
}"""
MARK_JS = """() => {
    const h1 = document.querySelector("[data-testid='stMain'] h1");
    window.__before = h1 ? h1.innerText : null;
}"""
ARRIVED_JS = """() => {
    const h1 = document.querySelector("[data-testid='stMain'] h1");
    return !!h1 && h1.innerText !== window.__before;
}"""
TIMEOUT_MS = 120_000


# -- setting up the workshop -------------------------------------------------------------
def prepare(data_dir: Path, users: int) -> list[dict[str, str]]:
    """A workshop with ``users`` participants who have joined (credentials kept in a file)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    cohort, _ = Cohort.create(
        config.cohort_dir(data_dir), title="Load test", facilitator="Sam", password="x" * 14
    )
    people = []
    codes: list[str] = []
    while len(codes) < users:
        codes += cohort.invite(min(50, users - len(codes)))
    for i, code in enumerate(codes):
        name = f"User {i:03d}"
        joined = cohort.join(code, name, PASSWORD)
        people.append({"name": name, "id": joined.session.account_id, "password": PASSWORD})
    (data_dir / USERS_FILE).write_text(json.dumps(people, indent=1))
    return people


# -- the server and its resource use -----------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    parsed = urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=2)
    try:
        conn.request("GET", "/_stcore/health")
        return conn.getresponse().read().strip() == b"ok"
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


def start_server(data_dir: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "REBOUND_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    env.setdefault("REBOUND_KDF", "test")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "workbook.ui.serve",
                "--server.port", str(port),
                "--server.headless", "true",
                "--server.address", "127.0.0.1",
                "--browser.gatherUsageStats", "false",
            ],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited:\n{log.read_text(errors='replace')}")
        if healthy(url):
            return proc, url
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("server did not become healthy")


CLK = os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Sampler(threading.Thread):
    """CPU% (of one core, summed over the processes) and RSS, every ``every`` seconds."""

    def __init__(self, pids: list[int], every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pids, self.every = pids, every
        self.cpu: list[float] = []
        self.rss: list[float] = []
        self.stop = threading.Event()

    def snapshot(self) -> tuple[int, float]:
        ticks, rss = 0, 0.0
        for pid in self.pids:
            try:
                ticks += cpu_ticks(pid)
                rss += rss_mb(pid)
            except OSError:
                pass
        return ticks, rss

    def run(self) -> None:
        last_t, (last_ticks, _) = time.monotonic(), self.snapshot()
        while not self.stop.wait(self.every):
            now, (ticks, rss) = time.monotonic(), self.snapshot()
            self.cpu.append(100 * (ticks - last_ticks) / CLK / (now - last_t))
            self.rss.append(rss)
            last_t, last_ticks = now, ticks


# -- one participant -----------------------------------------------------------------------
async def idle(page) -> None:  # type: ignore[no-untyped-def]
    await page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']",
        state="attached",
        timeout=TIMEOUT_MS,
    )
    await page.wait_for_function(IDLE_JS, polling=50, timeout=TIMEOUT_MS)


async def participant(browser, url: str, n: int, person: dict, args, out: dict) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(n)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        await asyncio.sleep(rng.uniform(0, args.ramp))  # people arrive over a few seconds
        t = time.perf_counter()
        await page.goto(url + "/", wait_until="commit")
        await idle(page)
        out["first_load"].append(time.perf_counter() - t)
        await page.get_by_role("textbox", name="Your name in this workshop", exact=True).fill(
            person["name"]
        )
        await page.get_by_role("textbox", name="Password", exact=True).fill(person["password"])
        t = time.perf_counter()
        await page.evaluate(MARK_JS)
        await page.get_by_role("button", name="Sign in", exact=True).click()
        await page.wait_for_function(ARRIVED_JS, polling=50, timeout=TIMEOUT_MS)
        await idle(page)
        out["sign_in"].append(time.perf_counter() - t)

        await asyncio.sleep(rng.uniform(0.5, 2.0))
        link = page.get_by_test_id("stSidebarNavLink").filter(
            has=page.get_by_text("Small wins", exact=True)
        )
        if not await link.is_visible():
            more = page.get_by_test_id("stSidebarNav").get_by_role("button", name="View")
            if await more.count():
                await more.first.click()
        await page.evaluate(MARK_JS)
        t = time.perf_counter()
        await link.click()
        await page.wait_for_function(ARRIVED_JS, polling=50, timeout=TIMEOUT_MS)
        await idle(page)
        out["page_open"].append(time.perf_counter() - t)

        box = page.get_by_role("textbox", name="Your win, in one line", exact=True)
        button = page.get_by_role("button", name="Log this win", exact=True)
        confirm = page.get_by_test_id("stAlert").filter(has_text="Win logged. That counts.")
        for k in range(args.saves):
            if time.monotonic() > out["deadline"]:
                break
            await asyncio.sleep(rng.uniform(*args.think))
            text = f"load-{n:03d}-{k}"
            await box.fill(text)
            await box.press("Tab")  # commit the text (one rerun, as a person leaving the box)
            await page.wait_for_timeout(100)
            await idle(page)
            await confirm.wait_for(state="detached", timeout=TIMEOUT_MS)
            t = time.perf_counter()
            await button.click()
            await confirm.wait_for(state="visible", timeout=TIMEOUT_MS)
            out["save"].append(time.perf_counter() - t)
            out["saved"].append((person["id"], text))
            await idle(page)
        out["done"] += 1
    except Exception as exc:  # a failed participant is a result, not a crash
        out["errors"].append(f"user {n}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        await context.close()


async def run_users(url: str, people: list[dict], args) -> dict:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    out: dict = {k: [] for k in ("first_load", "sign_in", "page_open", "save", "saved", "errors")}
    out["done"] = 0
    out["deadline"] = time.monotonic() + args.duration
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        t = time.perf_counter()
        await asyncio.gather(
            *(participant(browser, url, i, p, args, out) for i, p in enumerate(people))
        )
        out["wall"] = time.perf_counter() - t
        await browser.close()
    return out


# -- checking the saves ----------------------------------------------------------------------
def verify(
    data_dir: Path, people: list[dict], saved: list[tuple[str, str]], prefix: str = "load-"
) -> dict:
    """Every save in its owner's workbook and no other; wins starting ``prefix`` count.

    A run that reuses a prepared folder passes a prefix of its own, so that the wins of
    earlier runs are not counted as misplaced or duplicated.
    """
    host = Host(config.cohort_dir(data_dir))
    texts = content.load()
    expected = {p["id"]: set() for p in people}
    for account_id, text in saved:
        expected[account_id].add(text)
    lost = misplaced = duplicated = 0
    for p in people:
        session = host.cohort.sign_in(p["name"], p["password"])
        wb = host.workbook(session, lambda: texts)
        found = [w.text for w in wb.all(Win) if w.text.startswith(prefix)]
        lost += len(expected[p["id"]] - set(found))
        misplaced += sum(1 for t in found if t not in expected[p["id"]])
        duplicated += len(found) - len(set(found))
    return {"lost": lost, "misplaced": misplaced, "duplicated": duplicated}


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def fmt(values: list[float]) -> str:
    if not values:
        return "n/a"
    return (
        f"p50 {pct(values, 0.5):.2f} s  p95 {pct(values, 0.95):.2f} s  "
        f"max {max(values):.2f} s  (n={len(values)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--saves", type=int, default=3, help="wins per participant")
    parser.add_argument("--duration", type=float, default=300, help="stop saving after (s)")
    parser.add_argument("--ramp", type=float, default=5.0, help="arrivals spread over (s)")
    parser.add_argument("--think", type=float, nargs=2, default=(0.5, 2.0))
    parser.add_argument("--url", help="an existing server or proxy (else one is started)")
    parser.add_argument("--data-dir", type=Path, help="the server's REBOUND_DATA_DIR")
    parser.add_argument("--pids-file", type=Path, help="server pids to sample (with --url)")
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    os.environ.setdefault("REBOUND_KDF", "test")

    tmp = None
    if args.data_dir is None:
        if args.url:
            parser.error("--url needs --data-dir (the folder the server uses)")
        tmp = tempfile.TemporaryDirectory(prefix="rebound-load-")
        args.data_dir = Path(tmp.name) / "data"
    data_dir = args.data_dir.resolve()
    users_file = data_dir / USERS_FILE
    if users_file.is_file():
        people = json.loads(users_file.read_text())[: args.users]
    else:
        t = time.perf_counter()
        people = prepare(data_dir, args.users)
        print(f"prepared {len(people)} participants in {time.perf_counter() - t:.1f} s")
    if args.prepare_only:
        return

    proc = None
    if args.url:
        url = args.url.rstrip("/")
        pids = [int(x) for x in args.pids_file.read_text().split()] if args.pids_file else []
    else:
        proc, url = start_server(data_dir, data_dir.parent / "server.log")
        pids = [proc.pid]
    try:
        time.sleep(1.0)
        idle_sampler = Sampler(pids)
        idle_rss = idle_sampler.snapshot()[1] if pids else float("nan")
        sampler = Sampler(pids)
        sampler.start()
        result = asyncio.run(run_users(url, people, args))
        sampler.stop.set()
        sampler.join()
        after_rss = idle_sampler.snapshot()[1] if pids else float("nan")
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    checked = verify(data_dir, people, result["saved"])

    peak_rss = max(sampler.rss) if sampler.rss else float("nan")
    print(f"\nLoad test: {len(people)} participants x {args.saves} wins, url {url}, "
          f"{len(pids)} server process(es), {os.cpu_count()} CPUs")  # fmt: skip
    errors = result["errors"]
    print(f"participants finished      {result['done']}/{len(people)}   errors {len(errors)}")
    for e in result["errors"][:10]:
        print("   ", e)
    print(f"wall time                  {result['wall']:.1f} s")
    print(f"saves                      {len(result['save'])}  "
          f"throughput {len(result['save']) / result['wall']:.2f} saves/s")  # fmt: skip
    print(f"save -> confirmation       {fmt(result['save'])}")
    print(f"page open (sidebar->idle)  {fmt(result['page_open'])}")
    print(f"first load of /           {fmt(result['first_load'])}")
    print(f"sign in -> Home idle       {fmt(result['sign_in'])}")
    if sampler.cpu:
        print(f"server CPU (% of 1 core)   mean {statistics.mean(sampler.cpu):.0f}%  "
              f"p95 {pct(sampler.cpu, 0.95):.0f}%  max {max(sampler.cpu):.0f}%")  # fmt: skip
        per_session = (peak_rss - idle_rss) / len(people)
        print(f"server RSS                 idle {idle_rss:.0f} MB  peak {peak_rss:.0f} MB  "
              f"after {after_rss:.0f} MB  per session {per_session:.1f} MB")  # fmt: skip
    print(f"verification               lost {checked['lost']}  misplaced {checked['misplaced']}  "
          f"duplicated {checked['duplicated']}")  # fmt: skip
    if args.json:
        summary = {
            "users": len(people), "saves_per_user": args.saves, "url": url,
            "processes": len(pids), "wall_s": result["wall"],
            "save_s": result["save"], "page_open_s": result["page_open"],
            "sign_in_s": result["sign_in"], "errors": result["errors"],
            "cpu": sampler.cpu, "rss_idle_mb": idle_rss, "rss_peak_mb": peak_rss, **checked,
        }  # fmt: skip
        args.json.write_text(json.dumps(summary, indent=1))
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
