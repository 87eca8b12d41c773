"""Crash test: SIGKILL the plain-mode app at 50 random moments of a scripted session.

Afterwards every session file loads (and its lock is recovered), and every answer the app had
acknowledged before the kill is in it. An answer counts as acknowledged when the app has asked for
the next input: the console saves after each answer before it asks again.

Two sessions run side by side (one per core) to keep the test quick; each run resumes the session
its lane's last run left behind, so the kills fall all through a long, growing session.
"""

import contextlib
import os
import queue
import random
import re
import subprocess
import sys
import threading
import time

import pytest

from reflect_bot.framework import load_framework
from reflect_bot.locations import Settings
from reflect_bot.store import SessionStore, load_file

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")

KILLS = 50
LANES = 2
PROMPT = re.compile(r"^\[(?P<kind>[^\]]*)\]> ?$")
WAIT = 20  # seconds for the app to ask for input before the test gives up


class App:
    """The plain-mode app in a subprocess, with its output read line by line."""

    def __init__(self, folder, name, resume):
        command = [sys.executable, "-m", "reflect_bot", "--sessions-dir", str(folder)]
        command += ["resume", name, "--plain"] if resume else ["chat", "--plain", "--name", name]
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            env=env,
        )
        self.lines = queue.Queue()
        self.output = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def next_prompt(self, timeout):
        """The kind of the next prompt; None when the app ended or `timeout` passed first."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                return None
            if line is None:
                return None
            self.output.append(line)
            match = PROMPT.match(line)
            if match:
                return match.group("kind")

    def send(self, text):
        try:
            self.process.stdin.write(text + "\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            pass

    def kill(self):
        self.process.kill()  # SIGKILL
        self.process.wait(timeout=WAIT)
        for pipe in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                pipe.close()


def answer_for(kind, lane, n, rng):
    """What the scripted leader types at a prompt; unique text where an answer is free text."""
    if "tier" in kind:
        return rng.choice(["1", "2", "3", "?"])
    if "yes/no" in kind:
        return rng.choice(["yes", "no"])
    if kind == "choice":
        return "1"
    return (
        f"Lane {lane} answer {n}: visual timetables \u2014 \u201cpre-teaching\u201d "
        f"works\u00a0well \U0001f44d\U0001f3fd [bold]{rng.randrange(10**6)}"
    )


def run_lane(folder, lane, kills, seed, results, counts):
    rng = random.Random(seed)
    name = f"crash-lane-{lane}"
    acknowledged = []  # free-text answers the app asked past, in order
    n = 0
    for kill in range(kills):
        resume = (folder / f"{name}.toml").exists()
        app = App(folder, name, resume)
        try:
            if rng.random() < 0.1:
                time.sleep(rng.uniform(0, 0.6))  # sometimes while it starts up
            else:
                kind = app.next_prompt(WAIT)
                for _ in range(rng.randint(0, 5)):
                    if kind is None:
                        break
                    n += 1
                    text = answer_for(kind, lane, n, rng)
                    app.send(text)
                    kind = app.next_prompt(WAIT)
                    if kind is not None and text.startswith("Lane"):
                        acknowledged.append(text)
                if kind is not None:
                    n += 1
                    app.send(answer_for(kind, lane, n, rng))
                    time.sleep(rng.uniform(0, 0.03))  # kill it mid-step or mid-save, or after
        finally:
            app.kill()
        results.append(check(folder, name, acknowledged, kill, lane))
    counts[lane] = len(acknowledged)


def check(folder, name, acknowledged, kill, lane):
    """After a kill: the file loads, its lock is recovered, every acknowledged answer is in it."""
    path = folder / f"{name}.toml"
    if not path.exists():
        return (lane, kill, [] if not acknowledged else ["no file, but answers were acknowledged"])
    problems = []
    try:
        session, _ = load_file(path)
    except Exception as error:  # reported with the run it happened in
        return (lane, kill, [f"does not load: {error}"])
    said = {turn.text for turn in session.transcript if turn.role == "leader"}
    missing = [text for text in acknowledged if text not in said]
    if missing:
        problems.append(f"{len(missing)} acknowledged answers missing, first {missing[0]!r}")
    return (lane, kill, problems)


def test_killing_the_plain_app_at_random_moments_loses_nothing_acknowledged(tmp_path):
    seed = int(os.environ.get("CRASH_SEED", random.randrange(10**6)))
    results = []
    counts = {}
    threads = [
        threading.Thread(
            target=run_lane,
            args=(tmp_path, lane, KILLS // LANES, seed + lane, results, counts),
        )
        for lane in range(LANES)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == KILLS, f"seed {seed}: only {len(results)} runs finished"
    failures = [r for r in results if r[2]]
    assert not failures, f"seed {seed} (set CRASH_SEED to repeat): {failures[:5]}"
    assert sum(counts.values()) >= 20, f"seed {seed}: too few answers were checked ({counts})"

    # Finally each session opens in the store (the lock of the killed process is recovered) and
    # no temporary file is left behind once it has been opened.
    framework = load_framework(Settings.load().framework_dir)
    store = SessionStore(tmp_path)
    for lane in range(LANES):
        name = f"crash-lane-{lane}"
        if (tmp_path / f"{name}.toml").exists():
            session = store.open(name, framework)
            assert any(t.role == "leader" for t in session.transcript)
            store.close(session)
    leftovers = [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"]
    assert leftovers == []
