"""The early worker: started while the command reads the guide, and given only to a pool of its engine."""

import json
import subprocess
import sys

import pytest

PROBE = "tests.worker_probe:describe"


def in_fresh_process(program: str) -> dict:
    """Run ``program`` in a new interpreter (one thread, no engine loaded, as a command starts)."""
    preamble = (
        "import json, threading\n"
        "import tests.worker_probe as probe\n"
        "from audioguide.build.workers import WorkerPool, start_early, discard_early\n"
        "probe.INHERITED = 'from the parent'\n"
        "def first(pool):\n"
        "    [outcome] = pool.run(['task'])\n"
        "    return outcome.result\n"
    )
    result = subprocess.run([sys.executable, "-c", preamble + program], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_an_early_worker_is_forked_and_warmed_up_for_its_engine():
    found = in_fresh_process(
        f"start_early({PROBE!r}, engine='espeak')\n"
        f"with WorkerPool({PROBE!r}, 1, lambda _: 60, engine='espeak') as pool:\n"
        "    print(json.dumps(first(pool)))\n"
    )
    assert found["inherited"] == "from the parent"
    assert found["warmed"] == "espeak"


def test_an_early_worker_warmed_for_one_engine_is_not_given_to_another():
    # Two engines' native libraries in one process crash it: a Piper pool needs a worker of its own.
    found = in_fresh_process(
        f"start_early({PROBE!r}, engine='espeak')\n"
        f"with WorkerPool({PROBE!r}, 1, lambda _: 60, engine='piper') as pool:\n"
        "    result = first(pool)\n"
        "discard_early()\n"
        "print(json.dumps(result))\n"
    )
    assert found["warmed"] == "piper"  # its own worker, warmed for its engine
    assert found["inherited"] is None


@pytest.mark.parametrize(
    "setup",
    [
        # Forking a process with other threads can copy a lock that one of them holds, held forever.
        "stop = threading.Event()\nthreading.Thread(target=stop.wait, daemon=True).start()\n",
        # Forking after an engine exists hangs the child (point 4 of audioguide/engines/espeak.py).
        "from audioguide.engines.base import claim_native\nclaim_native('espeak')\n",
    ],
    ids=["threads", "engine"],
)
def test_a_process_with_threads_or_an_engine_spawns_its_early_worker(setup):
    found = in_fresh_process(
        setup + f"start_early({PROBE!r}, engine='espeak')\n"
        f"with WorkerPool({PROBE!r}, 1, lambda _: 60, engine='espeak') as pool:\n"
        "    print(json.dumps(first(pool)))\n"
    )
    assert found["inherited"] is None
    assert found["warmed"] == "espeak"
