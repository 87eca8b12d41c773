"""reflect-bot's benchmark: the figures behind the speed targets, printed as one table.

    .venv/bin/python bench/bench.py            every figure (about two minutes on 2 cores)
    .venv/bin/python bench/bench.py --quick    fewer rounds, to check that the script works
    .venv/bin/python bench/bench.py --only start,reply

Figures (targets in brackets):
  start    process start to first screen ready and idle, in a real pseudo-terminal:
           reflect-bot in an empty folder vs bench/bare_app.py (median ratio <= 1.15)
  resume   the same, resuming a long session (2,000 messages, about 1 MB) vs a new one (<= 1.2)
  reply    Enter to the bot's reply rendered, in-process through Pilot, 50 answers, new and long
           session (p95 <= 50 ms)
  save     save and load of a complete ten-statement session (<= 10 ms) and the long one (<= 150 ms)
  export   a complete session to HTML (<= 100 ms)
  memory   peak resident memory with the long session open vs the bare app (<= 1.5x)
  growth   save and reply time at 100, 500, 1,000 and 2,000 transcript messages

Compared runs alternate A B A B after a warm-up. A process signals "ready" by writing
READY_MARKER to its terminal once its first screen is ready and idle, then exits: both apps do
this when REFLECT_BOT_EXIT_WHEN_READY=1 is set. Parts whose code is missing print why and are
skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import gc
import importlib
import os
import platform
import select
import shutil
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
from reflect_bot.locations import EXIT_WHEN_READY_ENV, READY_MARKER  # noqa: E402

TERMINAL_SIZE = (100, 30)  # columns, rows
LONG_MESSAGES = 2000
LONG_BYTES = 1_000_000
GROWTH_SIZES = (100, 500, 1000, 2000)
LONG_NAME = "long-session"
COMPLETE_NAME = "complete-session"


class NotAvailable(Exception):
    """A part of the app that a figure needs does not exist yet (or cannot be driven)."""


# --- Small statistics ---------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100) by linear interpolation between closest ranks."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def alternate(
    run_a: Callable[[], float], run_b: Callable[[], float], pairs: int, warmup: int = 2
) -> tuple[list[float], list[float], list[float]]:
    """Run A B A B ...: `warmup` untimed pairs, then `pairs` timed ones; also the A/B ratios."""
    for _ in range(warmup):
        run_a()
        run_b()
    a_values, b_values = [], []
    for _ in range(pairs):
        a_values.append(run_a())
        b_values.append(run_b())
    ratios = [a / b for a, b in zip(a_values, b_values, strict=True)]
    return a_values, b_values, ratios


def time_calls(call: Callable[[], object], rounds: int) -> list[float]:
    """Wall time of each of `rounds` calls, with the garbage collector as it is in real use."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


# --- Runs in a pseudo-terminal ------------------------------------------------------------------


@dataclass
class PtyRun:
    ready: float | None  # seconds from fork to the ready marker on the terminal, None if never
    exited: float  # seconds from fork to the process's exit
    max_rss_kib: int  # peak resident memory of the program up to its ready signal (VmHWM)
    cpu: float | None  # seconds of CPU the program had used by its ready signal (all threads)
    status: int  # exit status (negative: killed by that signal)
    output: bytes


def pty_run(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: dict[str, str],
    size: tuple[int, int] = TERMINAL_SIZE,
    timeout: float = 30.0,
    marker: bytes = READY_MARKER.encode(),
) -> PtyRun:
    """Start argv on a new pseudo-terminal of `size` and time it until it exits."""
    master, slave = os.openpty()
    columns, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: the pseudo-terminal becomes its controlling terminal and stdio
        try:
            os.close(master)
            os.login_tty(slave)
            os.chdir(cwd)
            os.execve(argv[0], list(argv), env)
        finally:
            os._exit(127)
    os.close(slave)
    output = bytearray()
    ready: float | None = None
    peak = 0
    cpu: float | None = None
    deadline = start + timeout
    killed = False
    try:
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                killed = True
                break
            readable, _, _ = select.select([master], [], [], left)
            if not readable:
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: every copy of the terminal's other end is closed
                break
            if not data:
                break
            seen = len(output)
            output += data
            if ready is None and marker in output[max(0, seen - len(marker)) :]:
                ready = time.perf_counter() - start
                peak = peak_rss_kib(pid)
                cpu = cpu_seconds(pid)
    finally:
        os.close(master)
    _, status, usage = os.wait4(pid, 0)
    exited = time.perf_counter() - start
    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    if killed:
        code = -signal.SIGKILL
    return PtyRun(ready, exited, peak or usage.ru_maxrss, cpu, code, bytes(output))


def cpu_seconds(pid: int) -> float | None:
    """CPU time the program's threads have used so far (None where /proc cannot say).

    On a busy machine wall-clock times wander with the load; CPU time shows the work itself.
    """
    total = 0
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/schedstat", encoding="ascii") as stat:
                total += int(stat.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return total / 1e9


def peak_rss_kib(pid: int) -> int:
    """The program's peak resident memory so far, from /proc (0 where there is none).

    Read while it runs: the kernel's figure at exit (ru_maxrss) also counts the copy of this
    script that the fork made before the program replaced it, which would inflate both sides.
    """
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def child_env(**extra: str) -> dict[str, str]:
    """The environment a person's terminal would give, plus the ready signal."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TEXTUAL", "REFLECT_BOT_"))
        # PYTHONDONTWRITEBYTECODE would make every start compile the package from source again,
        # which a person's own set-up does once: the warm-up runs write the bytecode
        and k not in ("NO_COLOR", "COLUMNS", "PYTHONDONTWRITEBYTECODE")
    }
    env.update(TERM="xterm-256color", COLORTERM="truecolor", LANG="C.UTF-8")
    env[EXIT_WHEN_READY_ENV] = "1"
    env.update(extra)
    return env


def describe_failure(run: PtyRun) -> str:
    text = run.output.decode("utf-8", "replace")
    lines = [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]
    last = lines[-1][:120] if lines else "no output"
    if run.status == -signal.SIGKILL:
        return (
            f"no ready signal before the time-out: the app must write READY_MARKER and exit "
            f"when {EXIT_WHEN_READY_ENV}=1, as bench/bare_app.py does (last output "
            f"{last[-60:]!r})"
        )
    return f"exited with status {run.status} without a ready signal (last output: {last!r})"


class Starter:
    """Starts one kind of process in a fresh folder each time and returns its ready time."""

    def __init__(self, name: str, argv: Sequence[str], prepare: Callable[[Path], None]) -> None:
        self.name = name
        self.argv = list(argv)
        self.prepare = prepare
        self.runs: list[PtyRun] = []
        self.failure = ""  # why it cannot be timed, once a run has shown that

    def __call__(self) -> float:
        if self.failure:
            raise NotAvailable(self.failure)
        folder = Path(tempfile.mkdtemp(prefix="run-", dir=workdir()))
        try:
            self.prepare(folder)
            # a first run may compile bytecode; after that a start takes well under a second
            run = pty_run(self.argv, cwd=folder, env=child_env(), timeout=20 if self.runs else 30)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if run.ready is None:
            self.failure = f"{self.name}: {describe_failure(run)}"
            raise NotAvailable(self.failure)
        self.runs.append(run)
        return run.ready


_WORKDIR: Path | None = None


def workdir() -> Path:
    """A private scratch folder for this invocation (removed at exit)."""
    global _WORKDIR
    if _WORKDIR is None:
        _WORKDIR = Path(tempfile.mkdtemp(prefix="reflect-bot-bench-"))
    return _WORKDIR


def bare_app_starter() -> Starter:
    return Starter(
        "bare app", [sys.executable, str(BENCH / "bare_app.py")], prepare=lambda folder: None
    )


def reflect_bot_argv(*args: str) -> list[str]:
    script = Path(sys.executable).with_name("reflect-bot")
    if not script.exists():
        raise NotAvailable(f"no reflect-bot command beside {sys.executable} (run dev.py first)")
    return [str(script), *args]


def require_app() -> None:
    try:
        importlib.import_module("reflect_bot.app")
    except ImportError as error:
        raise NotAvailable(f"the Textual app (reflect_bot.app) is missing: {error}") from None


def new_session_starter() -> Starter:
    require_app()
    return Starter("reflect-bot, new session", reflect_bot_argv(), prepare=lambda folder: None)


# How the command line resumes a named session. Kept in one place so that it is easy to follow
# the command line if it changes.
RESUME_ARGS = ("resume", "{name}")


def resume_starter(session_file: Path) -> Starter:
    require_app()
    name = session_file.stem

    def prepare(folder: Path) -> None:
        sessions = folder / "sessions"
        sessions.mkdir(mode=0o700)
        shutil.copy2(session_file, sessions / session_file.name)  # a pristine copy each run

    args = [a.format(name=name) for a in RESUME_ARGS]
    return Starter("reflect-bot, resuming the long session", reflect_bot_argv(*args), prepare)


# --- Sessions to measure with -------------------------------------------------------------------

LEADER_SNIPPETS = (
    "In Year 4 the class teacher plans with the SENCo every half term; we looked at books and "
    "saw scaffolds used well, though not yet in every class.",
    "Pupil voice from the “talk time” sessions says they feel listened to — parents agree in "
    "the autumn survey (72% positive), but we’ve not followed up the others.",
    "We use assess–plan–do–review records; the last scrutiny found targets too vague in KS3.\n"
    "Next: tighten them with the provision map.",
    "TAs are deployed by need, not by class [see the deployment plan], and they meet the teacher "
    "before each unit. Training on scaffolding\tstarted in September.",
    "Interventions are logged in the tracker but the impact data is patchy; C:\\provision\\maps "
    "is out of date. The team are on it 👍.",
)


def leader_text(turn: int, chars: int) -> str:
    """About `chars` characters of a leader's answer, pasted-from-Word style."""
    parts, length = [], 0
    while length < chars:
        parts.append(LEADER_SNIPPETS[(turn + len(parts)) % len(LEADER_SNIPPETS)])
        length += len(parts[-1]) + 1
    return " ".join(parts)


def answer_for(ask: Any, turn: int, state: str = "", chars: int = 250) -> str:
    """What a leader would type for this Ask: varied answers that keep the reflection moving."""
    kind = getattr(ask, "kind", "text")
    if kind == "tier":
        return str(1 + turn % 3)
    if kind == "choice":
        options = getattr(ask, "options", ())
        return options[0][0] if options else "1"
    if kind == "yes/no":
        return "no"
    if kind == "done":
        return "/summary"
    if state == "next_who":
        return "SENCo with the Year 7 team"
    if state == "next_when":
        return "by Easter"
    return leader_text(turn, chars)


def engine_parts() -> tuple[Any, Any, Any, Any]:
    """(framework, settings, Engine, load_bank), or NotAvailable naming what is missing."""
    try:
        from reflect_bot.dialogue import Engine
        from reflect_bot.prompts import load_bank
    except ImportError as error:
        raise NotAvailable(f"the dialogue engine is missing: {error}") from None
    framework, settings = framework_and_settings()
    return framework, settings, Engine, load_bank


def drive(
    sizes: Sequence[int] = (), *, chars: int = 250, name: str = COMPLETE_NAME
) -> dict[int, Any]:
    """Sessions made the way a leader makes them: the engine, step by step, answering each Ask.

    With no `sizes`: {0: one complete session, every statement reflected on once}. With sizes:
    the reflection goes on (going back to earlier statements with /go once all are done) and a
    copy is kept when the transcript reaches each size, cut to exactly that many messages.
    """
    from reflect_bot.session import Session

    framework, settings, engine_class, load_bank = engine_parts()
    engine = engine_class(framework, load_bank(settings.prompts_dir))
    session = Session(name=name, framework_id=framework.id, framework_version=framework.version)
    engine.start(session)
    ids = [s.id for s in framework.statements]
    wanted = sorted(sizes)
    out: dict[int, Any] = {}
    for turn in range(100_000):
        ask = engine.expected(session)
        state = session.conversation.state
        if ask.kind == "done" or state in ("export", "summary"):
            if not wanted:
                out[0] = session
                return out
            text = f"/go {ids[turn % len(ids)]}"
        else:
            text = answer_for(ask, turn, state, chars)
        engine.step(session, text)
        while wanted and len(session.transcript) >= wanted[0]:
            size = wanted.pop(0)
            copy = session.model_copy(deep=True)
            copy.name = f"{LONG_NAME}-{size}"
            del copy.transcript[size:]
            out[size] = copy
        if not wanted and sizes:
            return out
    raise RuntimeError("the reflection did not finish")


def transcript_chars(session: Any) -> int:
    return sum(len(turn.text) for turn in session.transcript)


# --- Report -------------------------------------------------------------------------------------


@dataclass
class Row:
    figure: str
    value: str
    target: str = ""
    met: bool | None = None  # None: no target


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def add(self, figure: str, value: str, target: str = "", met: bool | None = None) -> None:
        self.rows.append(Row(figure, value, target, met))
        mark = "" if met is None else ("  [met]" if met else "  [NOT MET]")
        print(f"  {figure}: {value}{f' (target {target})' if target else ''}{mark}", flush=True)

    def skip(self, part: str, why: str) -> None:
        line = f"{part}: not available yet ({why})"
        self.skipped.append(line)
        print(f"  {line}", flush=True)

    def table(self) -> str:
        lines = ["| figure | value | target | met |", "|---|---|---|---|"]
        for row in self.rows:
            met = "" if row.met is None else ("yes" if row.met else "**no**")
            lines.append(f"| {row.figure} | {row.value} | {row.target} | {met} |")
        return "\n".join(lines)


def machine_lines() -> list[str]:
    import textual

    try:
        from importlib.metadata import version

        textual_version = version("textual")
    except Exception:
        textual_version = getattr(textual, "__version__", "?")
    return [
        f"CPUs: {os.cpu_count()} ({platform.processor() or platform.machine()})",
        f"Python: {platform.python_version()} ({platform.python_implementation()})",
        f"Textual: {textual_version}",
        f"System: {platform.system()} {platform.release()}",
    ]


# --- Parts --------------------------------------------------------------------------------------


@dataclass
class Options:
    pairs: int = 10
    warmup: int = 2
    answers: int = 50
    growth_answers: int = 20
    rounds: int = 30


@dataclass
class Context:
    options: Options
    report: Report
    bare: Starter | None = None
    new: Starter | None = None
    resume: Starter | None = None
    long_file: Path | None = None
    cache: dict[str, Any] = field(default_factory=dict)


def part_start(ctx: Context) -> None:
    ctx.bare = ctx.bare or bare_app_starter()
    ctx.new = ctx.new or new_session_starter()
    ctx.new()  # fails fast, with the reason, if the app cannot signal readiness
    a, b, ratios = alternate(ctx.new, ctx.bare, ctx.options.pairs, ctx.options.warmup)
    cpu_a, cpu_b = cpu_median(ctx.new, len(a)), cpu_median(ctx.bare, len(b))
    ctx.report.add("start: reflect-bot, new session (median)", f"{ms(median(a))}{cpu_a}")
    ctx.report.add("start: bare Textual app (median)", f"{ms(median(b))}{cpu_b}")
    ratio = median(ratios)
    ctx.report.add("start: ratio (median of pairs)", f"{ratio:.2f}", "<= 1.15", ratio <= 1.15)


def cpu_median(starter: Starter, last: int) -> str:
    """ ", CPU n ms": the CPU time to ready of the last timed runs, for reference."""
    cpus = [r.cpu for r in starter.runs[-last:] if r.cpu is not None]
    return f" (CPU {ms(median(cpus))})" if cpus else ""


def framework_and_settings() -> tuple[Any, Any]:
    from reflect_bot.framework import load_framework
    from reflect_bot.locations import Settings

    settings = Settings.load(sessions_dir=workdir() / "sessions", environ={})
    return load_framework(settings.framework_dir), settings


def store_for(folder: Path) -> Any:
    try:
        from reflect_bot.store import SessionStore
    except ImportError as error:
        raise NotAvailable(f"the session store (reflect_bot.store) is missing: {error}") from None
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return SessionStore(folder)


LONG_ANSWER_CHARS = 1400  # with these answers 2,000 messages come to about 1 MB of text


def long_session(ctx: Context, messages: int = LONG_MESSAGES) -> Any:
    """The long session cut at `messages` (every growth size comes from the one reflection)."""
    if "long" not in ctx.cache:
        ctx.cache["long"] = drive(sorted({*GROWTH_SIZES, LONG_MESSAGES}), chars=LONG_ANSWER_CHARS)
    return ctx.cache["long"][messages]


def complete_session(ctx: Context) -> Any:
    """Every statement reflected on once, with everyday answers."""
    if "complete" not in ctx.cache:
        ctx.cache["complete"] = drive()[0]
    return ctx.cache["complete"]


def long_session_file(ctx: Context) -> Path:
    """The long session saved by the store, as a file the app can resume."""
    if ctx.long_file is None:
        session = long_session(ctx)
        store = store_for(workdir() / "long-store")
        ctx.long_file = Path(store.save(session))
        store.close(session)
    return ctx.long_file


def part_resume(ctx: Context) -> None:
    ctx.new = ctx.new or new_session_starter()
    ctx.new()  # fails fast, with the reason, if the app cannot signal readiness
    resume = ctx.resume = ctx.resume or resume_starter(long_session_file(ctx))
    resume()
    a, b, ratios = alternate(resume, ctx.new, ctx.options.pairs, ctx.options.warmup)
    session = long_session(ctx)
    size = ctx.long_file.stat().st_size if ctx.long_file else 0
    ctx.report.add(
        f"resume: long session (median; {len(session.transcript)} messages, "
        f"{size / 1e6:.2f} MB file)",
        f"{ms(median(a))}{cpu_median(resume, len(a))}",
    )
    ctx.report.add("resume: new session (median)", f"{ms(median(b))}{cpu_median(ctx.new, len(b))}")
    ratio = median(ratios)
    ctx.report.add("resume: ratio (median of pairs)", f"{ratio:.2f}", "<= 1.2", ratio <= 1.2)


def part_memory(ctx: Context) -> None:
    ctx.bare = ctx.bare or bare_app_starter()
    ctx.new = ctx.new or new_session_starter()
    ctx.new()  # fails fast, with the reason, if the app cannot signal readiness
    resume = ctx.resume = ctx.resume or resume_starter(long_session_file(ctx))
    resume()
    pairs = max(3, ctx.options.pairs // 2)
    alternate(resume, ctx.bare, pairs, warmup=0)
    app_rss = median([r.max_rss_kib for r in resume.runs]) / 1024
    bare_rss = median([r.max_rss_kib for r in ctx.bare.runs]) / 1024
    ratio = app_rss / bare_rss
    ctx.report.add("memory: peak RSS, long session open (median)", f"{app_rss:.1f} MiB")
    ctx.report.add("memory: peak RSS, bare app (median)", f"{bare_rss:.1f} MiB")
    ctx.report.add("memory: ratio", f"{ratio:.2f}", "<= 1.5", ratio <= 1.5)


def part_save(ctx: Context) -> None:
    framework, _ = framework_and_settings()
    for label, session, target in (
        ("complete session", complete_session(ctx), 0.010),
        ("long session", long_session(ctx), 0.150),
    ):
        store = store_for(workdir() / f"save-{session.name}")
        path = Path(store.save(session))  # saved as new, and held open like the app does
        saves = time_calls(lambda s=session, st=store: st.save(s), ctx.options.rounds)
        store.close(session)

        def load(st: Any = store, name: str = session.name) -> None:
            st.close(st.open(name, framework))

        loads = time_calls(load, ctx.options.rounds)
        size = f"{path.stat().st_size / 1000:.0f} kB, {len(session.transcript)} messages"
        t = f"<= {target * 1000:.0f} ms"
        ctx.report.add(
            f"save: {label} (median, p95; {size})",
            f"{ms(median(saves))}, {ms(percentile(saves, 95))}",
            t,
            median(saves) <= target,
        )
        ctx.report.add(
            f"load: {label} (median, p95)",
            f"{ms(median(loads))}, {ms(percentile(loads, 95))}",
            t,
            median(loads) <= target,
        )


def part_export(ctx: Context) -> None:
    try:
        from reflect_bot.export import export_checked
    except ImportError as error:
        raise NotAvailable(f"export (reflect_bot.export) is missing: {error}") from None
    framework, _ = framework_and_settings()
    session = complete_session(ctx)
    out = workdir() / "exports"
    out.mkdir(mode=0o700, exist_ok=True)

    def once() -> None:
        # as the app exports: written (a new file each time), then checked for personal details
        export_checked(session, framework, "html", exports_dir=out)

    first = time_calls(once, 1)[0]
    times = time_calls(once, ctx.options.rounds)
    ctx.report.add(
        "export: complete session to HTML (first call, then median, p95)",
        f"{ms(first)}, {ms(median(times))}, {ms(percentile(times, 95))}",
        "<= 100 ms",
        max(first, median(times)) <= 0.100,
    )


# --- Reply latency (in-process, Pilot) ----------------------------------------------------------


def rendering_driver_class() -> type:
    """A driver that renders every frame to terminal codes, like a real one, but keeps none.

    Textual's headless driver skips turning frames into escape codes; this one does that work
    (as on a terminal) and notes when the last frame was finished.
    """
    from textual.drivers.headless_driver import HeadlessDriver

    class RenderingDriver(HeadlessDriver):
        last_frame = 0.0
        bytes_written = 0

        @property
        def is_headless(self) -> bool:
            return False  # so the app renders each update to escape codes as for a terminal

        def write(self, data: str) -> None:
            RenderingDriver.bytes_written += len(data)

        def flush(self) -> None:
            RenderingDriver.last_frame = time.perf_counter()

    return RenderingDriver


async def settle(app: Any) -> None:
    """Until the workers are done, every node on screen has handled what was queued, and the
    screen has been refreshed."""
    from reflect_bot.app.ready import settle as settled

    await settled(app)
    done = asyncio.Event()
    app.call_after_refresh(done.set)
    await done.wait()


def require_make_app() -> Callable[..., Any]:
    require_app()
    try:
        from reflect_bot.app import make_app
    except ImportError as error:
        raise NotAvailable(str(error)) from None
    return make_app


@dataclass
class ReplyTimes:
    replies: list[float]  # Enter to the reply's last frame
    comparisons: list[float]  # the tier comparison a reply offers: opening it to its last frame


COMPARISON_WAIT = 3.0  # seconds: the chat opens the comparison once the leader pauses (0.7 s)


async def reply_times(session: Any | None, answers: int) -> ReplyTimes:
    """Enter to the reply on screen, `answers` times, in a new session or resuming `session`.

    The answer is put in the answer box first (not timed); the time runs from the Enter key
    event to the last frame rendered once the app has handled everything that followed. When
    the reply asks for a tier, the chat opens the comparison by itself once the leader has
    paused: that opening is timed too, from the moment it starts to its last frame.
    """
    make_app = require_make_app()
    from textual import events
    from textual.widgets import Input, TextArea

    framework, settings = framework_and_settings()
    folder = Path(tempfile.mkdtemp(prefix="reply-", dir=workdir()))
    settings = type(settings).load(sessions_dir=folder / "sessions", environ={})
    store = store_for(settings.sessions_dir)
    if session is not None:
        session = session.model_copy(deep=True)
        store.save(session)
        store.close(session)
        app = make_app(settings, framework, store, session_name=session.name, resume=True)
    else:
        app = make_app(settings, framework, store)
    driver_class = rendering_driver_class()
    app.driver_class = driver_class
    times: list[float] = []
    comparisons: list[float] = []
    try:
        async with app.run_test(headless=False, size=TERMINAL_SIZE) as pilot:
            await settle(app)
            if session is None and app.screen.query("#begin"):
                await pilot.click("#begin")  # the start screen's "Begin reflection"
                await settle(app)
            live = getattr(app, "session", None)
            engine = getattr(app, "engine", None)
            chat = getattr(app, "chat", None)
            if live is None or engine is None or chat is None:
                raise NotAvailable("the app has no open session or engine to answer")
            opened: list[float] = []  # when each opening of the comparison began
            show_tiers = chat.action_tiers

            def timed_tiers() -> None:
                opened.append(time.perf_counter())
                show_tiers()

            chat.action_tiers = timed_tiers  # the chat's timer and keys call it by this name
            for turn in range(answers):
                for _ in range(3):  # a view the reply opened (the tiers side by side): close it
                    if isinstance(app.focused, TextArea | Input):
                        break
                    await pilot.press("escape")
                    await settle(app)
                box = app.focused
                ask = engine.expected(live)
                text = answer_for(ask, turn, live.conversation.state)
                if isinstance(box, TextArea):
                    box.text = text
                elif isinstance(box, Input):
                    box.value = text
                else:
                    raise NotAvailable(f"the focused widget is {box!r}, not an answer box")
                await settle(app)
                before = len(live.transcript)
                start = time.perf_counter()
                app._driver.send_message(events.Key("enter", "\r"))
                await settle(app)
                end = driver_class.last_frame if driver_class.last_frame > start else None
                times.append((end or time.perf_counter()) - start)
                if len(live.transcript) <= before:
                    raise NotAvailable(f"Enter did not add to the transcript (turn {turn})")
                if engine.expected(live).kind == "tier" and app.screen is chat:
                    waiting = len(opened)
                    deadline = time.perf_counter() + COMPARISON_WAIT
                    while len(opened) == waiting and time.perf_counter() < deadline:
                        await asyncio.sleep(0.02)
                    if len(opened) > waiting:
                        await settle(app)
                        comparisons.append(driver_class.last_frame - opened[-1])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return ReplyTimes(times, comparisons)


def part_reply(ctx: Context) -> None:
    require_make_app()
    for label, session in (("new session", None), ("long session", long_session(ctx))):
        measured = asyncio.run(reply_times(session, ctx.options.answers))
        times = measured.replies
        p95 = percentile(times, 95)
        ctx.report.add(
            f"reply: {label} (median, p95 of {len(times)})",
            f"{ms(median(times))}, {ms(p95)}",
            "p95 <= 50 ms",
            p95 <= 0.050,
        )
        # The first opening in a chat builds the comparison; later ones show it again.
        first, again = measured.comparisons[:1], measured.comparisons[1:]
        if first:
            ctx.report.add(
                f"reply: {label}, the tier comparison it opens, first time (builds it)",
                ms(first[0]),
                "<= 50 ms",
                first[0] <= 0.050,
            )
        if again:
            p95 = percentile(again, 95)
            ctx.report.add(
                f"reply: {label}, the tier comparison opened again (median, p95 of {len(again)})",
                f"{ms(median(again))}, {ms(p95)}",
                "p95 <= 50 ms",
                p95 <= 0.050,
            )


def part_growth(ctx: Context) -> None:
    framework, _ = framework_and_settings()
    saves = []
    for size in GROWTH_SIZES:
        session = long_session(ctx, size)
        store = store_for(workdir() / f"growth-{size}")
        store.save(session)
        times = time_calls(lambda s=session, st=store: st.save(s), ctx.options.rounds)
        store.close(session)
        saves.append(f"{size}: {ms(median(times))}")
    ctx.report.add("growth: save (median) at N messages", "; ".join(saves))
    try:
        require_make_app()
    except NotAvailable as why:
        ctx.report.skip("growth: reply", str(why))
        return
    replies = []
    for size in GROWTH_SIZES:
        measured = asyncio.run(reply_times(long_session(ctx, size), ctx.options.growth_answers))
        times = measured.replies
        replies.append(f"{size}: {ms(median(times))}")
    ctx.report.add("growth: reply (median) at N messages", "; ".join(replies))


PARTS: dict[str, Callable[[Context], None]] = {
    "start": part_start,
    "resume": part_resume,
    "reply": part_reply,
    "save": part_save,
    "export": part_export,
    "memory": part_memory,
    "growth": part_growth,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="few rounds: checks the script only")
    parser.add_argument("--only", default="", help=f"comma-separated parts of: {', '.join(PARTS)}")
    parser.add_argument("--pairs", type=int, default=None, help="timed A/B pairs (default 10)")
    args = parser.parse_args(argv)
    options = Options()
    if args.quick:
        options = Options(pairs=2, warmup=1, answers=8, growth_answers=4, rounds=5)
    if args.pairs:
        options.pairs = args.pairs
    chosen = [p.strip() for p in args.only.split(",") if p.strip()] or list(PARTS)
    unknown = [p for p in chosen if p not in PARTS]
    if unknown:
        parser.error(f"unknown part {', '.join(unknown)}; choose from {', '.join(PARTS)}")

    print("reflect-bot benchmark")
    for line in machine_lines():
        print(f"  {line}")
    print(
        f"  Terminal: {TERMINAL_SIZE[0]}x{TERMINAL_SIZE[1]} pseudo-terminal; "
        f"{options.pairs} pairs after {options.warmup} warm-up pair(s)"
    )
    report = Report()
    ctx = Context(options, report)
    try:
        for name in chosen:
            print(f"\n[{name}]", flush=True)
            try:
                PARTS[name](ctx)
            except NotAvailable as why:
                report.skip(name, str(why))
            gc.collect()
    finally:
        if _WORKDIR is not None:
            shutil.rmtree(_WORKDIR, ignore_errors=True)
    print("\nFigures (paste into README, Performance):\n")
    print("\n".join(f"{line}  " for line in machine_lines()))
    given = list(sys.argv[1:] if argv is None else argv)
    print(f"Command: {' '.join(['.venv/bin/python bench/bench.py', *given])}\n")
    print(report.table())
    if report.skipped:
        print("\nNot measured:")
        for line in report.skipped:
            print(f"- {line}")
    missed = [row.figure for row in report.rows if row.met is False]
    print(f"\nTargets: {sum(r.met is True for r in report.rows)} met, {len(missed)} not met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
