"""The benchmark script's helpers work (the figures themselves are never asserted here)."""

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_script", BENCH / "bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_script"] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("bench_script", None)


def test_percentile_interpolates_between_ranks(bench):
    values = [5.0, 1.0, 3.0, 2.0, 4.0]
    assert bench.percentile(values, 0) == 1.0
    assert bench.percentile(values, 50) == 3.0
    assert bench.percentile(values, 100) == 5.0
    assert bench.percentile(values, 95) == pytest.approx(4.8)
    assert bench.percentile([7.0], 95) == 7.0


def test_alternate_runs_a_and_b_in_turn_after_the_warm_up(bench):
    order = []

    def a():
        order.append("A")
        return 2.0

    def b():
        order.append("B")
        return 1.0

    a_times, b_times, ratios = bench.alternate(a, b, pairs=3, warmup=1)
    assert order == ["A", "B"] * 4
    assert (a_times, b_times, ratios) == ([2.0] * 3, [1.0] * 3, [2.0] * 3)


def test_a_process_on_a_pseudo_terminal_is_timed_to_its_ready_marker(bench, tmp_path):
    script = (
        "import os, sys\n"
        "size = os.get_terminal_size(sys.stdout.fileno())\n"
        "print(f'{size.columns}x{size.lines}', flush=True)\n"
        f"sys.stdout.write({bench.READY_MARKER!r}); sys.stdout.flush()\n"
    )
    run = bench.pty_run(
        [sys.executable, "-c", script], cwd=tmp_path, env=bench.child_env(), size=(90, 20)
    )
    assert run.status == 0
    assert run.ready is not None and run.ready <= run.exited
    assert b"90x20" in run.output
    assert run.max_rss_kib > 0


def test_a_process_that_never_signals_is_stopped_and_reported(bench, tmp_path):
    run = bench.pty_run(
        [sys.executable, "-c", "import time; print('waiting', flush=True); time.sleep(30)"],
        cwd=tmp_path,
        env=bench.child_env(),
        timeout=1.0,
    )
    assert run.ready is None
    assert "no ready signal before the time-out" in bench.describe_failure(run)


def test_the_bare_app_signals_when_ready(bench):
    starter = bench.bare_app_starter()
    seconds = starter()
    assert 0 < seconds < 30
    assert b"Bare app" in starter.runs[0].output


def test_answers_follow_what_the_bot_asks(bench):
    from reflect_bot.replies import Ask

    assert bench.answer_for(Ask("tier", "tier 1-3 or ?"), 4) == "2"
    assert bench.answer_for(Ask("choice", "choice", (("k", "Keep"), ("1", "One"))), 0) == "k"
    assert bench.answer_for(Ask("yes/no", "yes/no"), 0) == "no"
    assert len(bench.answer_for(Ask("reflection", "reflection"), 0, chars=500)) >= 500


def test_driving_the_engine_gives_a_complete_session_and_long_ones(bench):
    complete = bench.drive()[0]
    assert [r.status for r in complete.statements] == ["done"] * 10
    sessions = bench.drive([30, 60], chars=300)
    assert [len(s.transcript) for s in sessions.values()] == [30, 60]
    assert sessions[60].name == "long-session-60"
