"""Load test without a browser: N participants speaking Streamlit's own websocket protocol.

    REBOUND_KDF=test python benchmarks/load_ws.py [--users 30] [--saves 5] [--duration 300]
    # server memory with 1, 10 and 30 signed-in sessions held open:
    REBOUND_KDF=test python benchmarks/load_ws.py --memory 1,10,30
    # against servers started elsewhere (e.g. deploy/replicas.sh), on a prepared folder
    # (prepare it with benchmarks/load.py --prepare-only --data-dir D --users 30):
    REBOUND_KDF=test python benchmarks/load_ws.py --url http://127.0.0.1:8080 --data-dir D \
        --pids-file D/../run-8080/server.pids

The scenario of benchmarks/load.py (sign in, open Small wins, log K wins "load-<run>-<user>-<n>"
with a think-time, then check every workbook), but each participant is a small asyncio
client instead of a Chromium tab, so the load generator costs next to nothing and the
figures are the server's. What the client does is what Streamlit's frontend does:

- GET ``/`` first (behind deploy/nginx.conf that hands out the sticky ``rb_route``
  cookie), then open ``ws://HOST/_stcore/stream`` with subprotocol ``streamlit`` and that
  cookie. No XSRF token is needed: the server checks it only to read auth cookies.
- Every interaction is a ``BackMsg.rerun_script`` with a ``ClientState``: the page's
  ``page_script_hash`` (from the ``navigation`` message) and the widget values that
  changed, by the widget ``id`` found in the ``delta.new_element`` protos by label. A
  button click (or a form's submit button) is ``trigger_value=True`` plus the values.
- A run is over at ``script_finished`` FINISHED_SUCCESSFULLY (FINISHED_EARLY_FOR_RERUN is
  an ``st.rerun()``: the next run follows on its own, as after signing in).

Measured: save -> confirmation (the submitting rerun sent -> the "Win logged" alert or
toast arriving in a delta), page open (rerun for the page -> script_finished), sign-in and
first load; the server processes' CPU and RSS from /proc; then every participant's
encrypted workbook is opened: lost / misplaced / duplicated must be 0. Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

# load.py also puts the project root on sys.path, for the workbook import below.
from load import (
    USERS_FILE,
    Sampler,
    fmt,
    pct,
    prepare,
    rss_mb,
    start_server,
    verify,
)
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

from workbook import content

FINISHED = ForwardMsg.ScriptFinishedStatus


class ProtocolError(Exception):
    """The server did not answer as the frontend expects (a finding, not a crash)."""


@dataclass
class Run:
    """One script run as the client saw it."""

    elements: list[Element]
    total: float  # rerun sent -> script_finished
    seen: float | None  # rerun sent -> the first element ``until`` accepted


def string_state(widget_id: str, value: str) -> WidgetState:
    return WidgetState(id=widget_id, string_value=value)


def trigger(widget_id: str) -> WidgetState:
    return WidgetState(id=widget_id, trigger_value=True)


def find(elements: Sequence[Element], kind: str, label: str) -> Any:
    """The widget proto of ``kind`` ("text_input", "button") labelled ``label``."""
    for element in elements:
        if element.WhichOneof("type") == kind and getattr(element, kind).label == label:
            return getattr(element, kind)
    shown = sorted({getattr(e, e.WhichOneof("type")).label for e in elements if _is_widget(e)})
    raise ProtocolError(f"no {kind} labelled {label!r} (widgets: {shown})")


def _is_widget(element: Element) -> bool:
    kind = element.WhichOneof("type")
    return kind is not None and hasattr(getattr(element, kind), "label")


def says(text: str) -> Callable[[Element], bool]:
    """An alert or toast whose body is ``text`` (the app escapes markdown punctuation)."""

    def check(element: Element) -> bool:
        kind = element.WhichOneof("type")
        return kind in {"alert", "toast"} and getattr(element, kind).body.replace(
            "\\", ""
        ).startswith(text)

    return check


def get_cookies(url: str, timeout: float) -> str:
    """GET / as a browser does first; return its Set-Cookie values as a Cookie header.

    Behind deploy/nginx.conf this is the sticky ``rb_route`` cookie that sends the
    websocket to the replica this "browser" belongs to.
    """
    parsed = urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=timeout)
    try:
        conn.request("GET", "/")
        response = conn.getresponse()
        response.read()
        cookies = [h.split(";", 1)[0] for h in response.headers.get_all("Set-Cookie") or []]
    finally:
        conn.close()
    return "; ".join(c for c in cookies if "=" in c)


class Client:
    """One browser tab's worth of Streamlit session, over one websocket."""

    def __init__(self, url: str, timeout: float) -> None:
        self.url, self.timeout = url.rstrip("/"), timeout
        self.ws: ClientConnection | None = None
        self.page_hash = ""  # the page shown; "" lets the server pick the default page
        self.pages: dict[str, str] = {}  # url path -> page_script_hash, from navigation

    async def connect(self) -> None:
        cookie = await asyncio.to_thread(get_cookies, self.url, self.timeout)
        ws_url = "ws" + self.url.removeprefix("http") + "/_stcore/stream"
        self.ws = await asyncio.wait_for(
            connect(
                ws_url,
                # Entry 1 is the subprotocol the server selects; entries 2 and 3 (XSRF
                # token, a session id to resume) stay empty, as on a first visit.
                subprotocols=["streamlit"],  # type: ignore[list-item]
                additional_headers={"Cookie": cookie} if cookie else None,
                max_size=64 * 2**20,  # a page with charts is one big delta per chart
                open_timeout=self.timeout,
            ),
            self.timeout,
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def run(
        self,
        widgets: Sequence[WidgetState] = (),
        page_hash: str | None = None,
        until: Callable[[Element], bool] | None = None,
    ) -> Run:
        """Send one rerun (a click, a commit, a page switch) and read until it finished."""
        assert self.ws is not None
        state = ClientState(query_string="", page_script_hash=page_hash or self.page_hash)
        state.widget_states.widgets.extend(widgets)
        state.context_info.timezone = "UTC"
        state.context_info.timezone_offset = 0
        state.context_info.locale = "en-GB"
        start = time.perf_counter()
        await self.ws.send(BackMsg(rerun_script=state).SerializeToString())
        elements: list[Element] = []
        seen = None
        deadline = start + self.timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise ProtocolError(f"no script_finished within {self.timeout:.0f} s")
            msg = ForwardMsg()
            msg.ParseFromString(await asyncio.wait_for(self.ws.recv(), remaining))
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                # Each run starts with one; what came before belonged to an earlier run
                # (the run st.rerun() cut short).
                elements = []
                self.page_hash = msg.new_session.page_script_hash or self.page_hash
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
                self.page_hash = msg.navigation.page_script_hash or self.page_hash
            elif kind == "delta":
                delta = msg.delta
                new = (
                    [delta.new_element]
                    if delta.HasField("new_element")
                    else list(delta.new_transient.elements)
                )
                for element in new:
                    elements.append(element)
                    if seen is None and until is not None and until(element):
                        seen = time.perf_counter() - start
            elif kind == "ref_hash":
                # Only for messages the client said it had cached; this one says none.
                raise ProtocolError("server sent a cached-message reference")
            elif kind == "script_finished":
                status = msg.script_finished
                if status == FINISHED.FINISHED_EARLY_FOR_RERUN:
                    continue  # st.rerun(): the next run is on its way
                if status == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                    raise ProtocolError("the page failed to compile")
                return Run(elements, time.perf_counter() - start, seen)
            elif kind == "page_not_found":
                raise ProtocolError("page not found")


# -- one participant -------------------------------------------------------------------
@dataclass
class Results:
    deadline: float
    first_load: list[float] = field(default_factory=list)
    sign_in: list[float] = field(default_factory=list)
    page_open: list[float] = field(default_factory=list)
    save: list[float] = field(default_factory=list)  # sent -> confirmation seen
    save_run: list[float] = field(default_factory=list)  # sent -> script_finished
    saved: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    done: int = 0
    wall: float = 0.0


@dataclass
class Options:
    # Wins are "load-<run>-<user>-<n>": a run of its own, so that a prepared folder can be
    # used again and verify() counts only this run's wins.
    run_id: str = field(default_factory=lambda: os.urandom(3).hex())
    saves: int = 5
    think: tuple[float, float] = (0.5, 2.0)
    ramp: float = 5.0
    timeout: float = 60.0


async def sign_in_and_open(
    client: Client, person: dict, out: Results, rng: random.Random, think: tuple[float, float]
) -> Run:
    """Connect, sign in, open Small wins; returns the Small wins run."""
    texts = content.load()
    labels = texts.cohort.sign_in
    t = time.perf_counter()
    await client.connect()
    first = await client.run()
    out.first_load.append(time.perf_counter() - t)

    name = find(first.elements, "text_input", labels.name_label)
    password = find(first.elements, "text_input", labels.password_label)
    submit = find(first.elements, "button", labels.button)
    # A form submit sends the form's field values with its submit button's trigger.
    signed = await client.run(
        [
            string_state(name.id, person["name"]),
            string_state(password.id, person["password"]),
            trigger(submit.id),
        ]
    )
    if "wins" not in client.pages:
        alerts = [e.alert.body for e in signed.elements if e.WhichOneof("type") == "alert"]
        raise ProtocolError(f"not signed in (alerts: {alerts})")
    out.sign_in.append(signed.total)

    await asyncio.sleep(rng.uniform(*think))
    page = await client.run(page_hash=client.pages["wins"])
    out.page_open.append(page.total)
    return page


async def participant(url: str, n: int, person: dict, opts: Options, out: Results) -> None:
    rng = random.Random(n)
    client = Client(url, opts.timeout)
    texts = content.load().phase3.wins
    try:
        await asyncio.sleep(rng.uniform(0, opts.ramp))  # people arrive over a few seconds
        page = await sign_in_and_open(client, person, out, rng, opts.think)
        box = find(page.elements, "text_input", texts.text_label)
        button = find(page.elements, "button", texts.save_label)
        for k in range(opts.saves):
            if time.monotonic() > out.deadline:
                break
            await asyncio.sleep(rng.uniform(*opts.think))
            text = f"load-{opts.run_id}-{n:03d}-{k}"
            # As a person leaving the box: the text is committed (one rerun; the field's
            # on_change keeps a draft), then the button is clicked (the measured rerun).
            await client.run([string_state(box.id, text)])
            saved = await client.run(
                [string_state(box.id, text), trigger(button.id)], until=says(texts.saved)
            )
            if saved.seen is None:
                raise ProtocolError(f"save {k}: no {texts.saved!r} in the run")
            out.save.append(saved.seen)
            out.save_run.append(saved.total)
            out.saved.append((person["id"], text))
        out.done += 1
    except Exception as exc:  # a failed participant is a result, not a crash
        out.errors.append(f"user {n}: {type(exc).__name__}: {exc}")
    finally:
        await client.close()


async def run_users(url: str, people: list[dict], opts: Options, duration: float) -> Results:
    out = Results(deadline=time.monotonic() + duration)
    t = time.perf_counter()
    await asyncio.gather(*(participant(url, i, p, opts, out) for i, p in enumerate(people)))
    out.wall = time.perf_counter() - t
    return out


def run(url: str, people: list[dict], opts: Options, duration: float = 300.0) -> Results:
    """The load test against ``url`` (a server or proxy); the test suite calls this."""
    return asyncio.run(run_users(url, people, opts, duration))


# -- memory: sessions held open ----------------------------------------------------------
async def hold_sessions(
    url: str, people: list[dict], steps: list[int], pids: list[int], opts: Options
) -> list[tuple[int, float, int]]:
    """Open signed-in Small wins sessions up to each step, keep them; RSS at each step."""
    out = Results(deadline=time.monotonic() + 1e9)
    clients: list[Client] = []
    rows = []
    try:
        for step in steps:
            new = [Client(url, opts.timeout) for _ in range(step - len(clients))]
            rng = random.Random(step)
            done = await asyncio.gather(
                *(
                    sign_in_and_open(c, people[len(clients) + i], out, rng, opts.think)
                    for i, c in enumerate(new)
                ),
                return_exceptions=True,
            )
            out.errors += [f"{type(e).__name__}: {e}" for e in done if isinstance(e, Exception)]
            clients += new
            await asyncio.sleep(3.0)  # let the runs' garbage go before reading RSS
            rows.append((step, sum(rss_mb(p) for p in pids), len(out.errors)))
    finally:
        await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)
    return rows


# -- the command line --------------------------------------------------------------------
def report(people: list[dict], opts: Options, url: str, pids: list[int], result: Results,
           sampler: Sampler, idle_rss: float, checked: dict) -> dict:  # fmt: skip
    peak_rss = max(sampler.rss) if sampler.rss else float("nan")
    print(f"\nWebsocket load test: {len(people)} participants x {opts.saves} wins, url {url}, "
          f"{len(pids)} server process(es), {os.cpu_count()} CPUs")  # fmt: skip
    print(f"participants finished      {result.done}/{len(people)}   errors {len(result.errors)}")
    for e in result.errors[:10]:
        print("   ", e)
    print(f"wall time                  {result.wall:.1f} s")
    print(f"saves                      {len(result.save)}  "
          f"throughput {len(result.save) / result.wall:.2f} saves/s")  # fmt: skip
    print(f"save -> confirmation       {fmt(result.save)}")
    print(f"save -> run finished       {fmt(result.save_run)}")
    print(f"page open (rerun->finish)  {fmt(result.page_open)}")
    print(f"first load of /            {fmt(result.first_load)}")
    print(f"sign in -> Home finished   {fmt(result.sign_in)}")
    if sampler.cpu:
        print(f"server CPU (% of 1 core)   mean {statistics.mean(sampler.cpu):.0f}%  "
              f"p95 {pct(sampler.cpu, 0.95):.0f}%  max {max(sampler.cpu):.0f}%")  # fmt: skip
        per_session = (peak_rss - idle_rss) / len(people)
        print(f"server RSS                 idle {idle_rss:.0f} MB  peak {peak_rss:.0f} MB  "
              f"per session {per_session:.1f} MB")  # fmt: skip
    print(f"verification               lost {checked['lost']}  misplaced {checked['misplaced']}  "
          f"duplicated {checked['duplicated']}")  # fmt: skip
    return {
        "users": len(people), "saves_per_user": opts.saves, "url": url,
        "processes": len(pids), "wall_s": result.wall, "save_s": result.save,
        "save_run_s": result.save_run, "page_open_s": result.page_open,
        "sign_in_s": result.sign_in, "first_load_s": result.first_load,
        "errors": result.errors, "done": result.done, "cpu": sampler.cpu,
        "rss_idle_mb": idle_rss, "rss_peak_mb": peak_rss, **checked,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--saves", type=int, default=5, help="wins per participant")
    parser.add_argument("--duration", type=float, default=300, help="stop saving after (s)")
    parser.add_argument("--ramp", type=float, default=5.0, help="arrivals spread over (s)")
    parser.add_argument("--think", type=float, nargs=2, default=(0.5, 2.0))
    parser.add_argument("--timeout", type=float, default=60.0, help="for every wait (s)")
    parser.add_argument("--memory", help="e.g. 1,10,30: RSS with that many sessions open")
    parser.add_argument("--url", help="an existing server or proxy (else one is started)")
    parser.add_argument("--data-dir", type=Path, help="the server's REBOUND_DATA_DIR")
    parser.add_argument("--pids-file", type=Path, help="server pids to sample (with --url)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    os.environ.setdefault("REBOUND_KDF", "test")
    steps = sorted(int(x) for x in args.memory.split(",")) if args.memory else []
    wanted = max([args.users, *steps])
    if args.url and urlparse(args.url).hostname not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("loopback only: this is a load generator")

    tmp = None
    if args.data_dir is None:
        if args.url:
            parser.error("--url needs --data-dir (the folder the server uses)")
        tmp = tempfile.TemporaryDirectory(prefix="rebound-loadws-")
        args.data_dir = Path(tmp.name) / "data"
    data_dir = args.data_dir.resolve()
    users_file = data_dir / USERS_FILE
    if users_file.is_file():
        people = json.loads(users_file.read_text())[:wanted]
        if len(people) < wanted:
            parser.error(f"{users_file} has only {len(people)} participants")
    else:
        t = time.perf_counter()
        people = prepare(data_dir, wanted)
        print(f"prepared {len(people)} participants in {time.perf_counter() - t:.1f} s")

    opts = Options(saves=args.saves, think=tuple(args.think), ramp=args.ramp, timeout=args.timeout)  # type: ignore[arg-type]
    proc = None
    if args.url:
        url = args.url.rstrip("/")
        pids = [int(x) for x in args.pids_file.read_text().split()] if args.pids_file else []
    else:
        proc, url = start_server(data_dir, data_dir.parent / "server.log")
        pids = [proc.pid]
    summary: dict[str, Any]
    try:
        time.sleep(1.0)
        idle_rss = sum(rss_mb(p) for p in pids) if pids else float("nan")
        if steps:
            rows = asyncio.run(hold_sessions(url, people, steps, pids, opts))
            print(f"\nServer RSS with signed-in Small wins sessions held open ({url}, "
                  f"{len(pids)} process(es)); idle {idle_rss:.0f} MB")  # fmt: skip
            last_n, last_rss = 0, idle_rss
            for n, rss, errors in rows:
                print(f"  {n:3d} sessions  RSS {rss:6.0f} MB  (+{rss - idle_rss:.0f} MB over "
                      f"idle, {(rss - idle_rss) / n:.1f} MB/session; "
                      f"{(rss - last_rss) / (n - last_n):.1f} MB each for the last "
                      f"{n - last_n})  errors {errors}")  # fmt: skip
                last_n, last_rss = n, rss
            summary = {"idle_mb": idle_rss, "steps": rows}
        else:
            people = people[: args.users]
            sampler = Sampler(pids)
            sampler.start()
            result = run(url, people, opts, args.duration)
            sampler.stop.set()
            sampler.join()
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    if not steps:
        checked = verify(data_dir, people, result.saved, prefix=f"load-{opts.run_id}-")
        summary = report(people, opts, url, pids, result, sampler, idle_rss, checked)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1))
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
