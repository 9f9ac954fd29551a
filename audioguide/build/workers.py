"""A pool of ``spawn`` worker processes with a time limit per task.

Each worker starts its own engine: forking after an engine exists hangs the child (point 4 of
``audioguide/engines/espeak.py``), and two engines' native libraries must not share a process
(``audioguide/engines/base.py``). A worker that takes longer than its task's time limit, or
dies (an engine can crash the whole process), is stopped and replaced, and its task is tried
once more; a task that fails twice is reported as failed while the other tasks go on.

``concurrent.futures`` cannot stop one hung worker without stopping the pool, hence this module.
Workers are given their function by name, so one can be started (:func:`start_early`) before the
caller has imported it: the worker then loads its engine while the caller reads the guide.

A build's :class:`StopButton` stops its workers and no other process's; :class:`KeptWorkers`
keeps one worker an engine alive between tasks, so that a long-running process (the workbench)
speaks a phrase without loading its engine again.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import queue
import signal
import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from time import monotonic
from typing import Any, Protocol, cast

from ..engines.base import native_engine
from ..errors import AudioguideError, EngineError, Stopped

ATTEMPTS = 2
#: What a build's workers run: one track of a package.
RENDER_TRACK = "audioguide.build.render:render_track"
#: prctl option: the signal a process gets when its parent dies (Linux).
_PR_SET_PDEATHSIG = 1


@dataclass
class Outcome:
    """What became of one task: its result, or why it failed (after every attempt)."""

    task: Any
    result: Any = None
    error: str | None = None


class PoolEvents(Protocol):
    """What a pool tells whoever reports a build's progress, besides each task's outcome."""

    def ready(self) -> None:
        """A worker has loaded its function (and its engine): the next task it takes starts at once."""

    def started(self, task: Any) -> None:
        """A task was given to a worker."""


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    task: Any = None
    attempt: int = 0
    deadline: float = 0.0
    ready: bool = False
    """It said it has loaded its function and engine."""


#: What a worker says once it has loaded its function (and warmed up its engine), before any task.
_READY = ("ready", None)


def _serve(connection: Connection, function_name: str, engine: str | None = None) -> None:
    """A worker's life: say it is ready, then run each task it is sent, sending back ("ok", result)
    or ("error", text).

    Given an ``engine``, the worker calls its function's module's ``warm_up(engine)`` before it
    says it is ready.
    """
    _exit_with_parent()
    module_name, _, name = function_name.partition(":")
    module = importlib.import_module(module_name)
    function = getattr(module, name)
    if engine is not None:
        # Only a head start: what fails here fails again, and is reported, with the first task.
        with contextlib.suppress(Exception):
            module.warm_up(engine)
    connection.send(_READY)
    while True:
        try:
            task = connection.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if task is None:
            return
        try:
            connection.send(("ok", function(task)))
        except KeyboardInterrupt:
            return
        except Exception as error:  # reported to the parent, which decides what the user sees
            connection.send(("error", _describe(error)))


def _exit_with_parent() -> None:
    """Stop this worker the moment its parent dies (a build killed with SIGKILL, say).

    An orphan would go on rendering into the cache while the next build renders the same
    chapter, and the two could mix one render's audio with the other's record.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    if sys.platform.startswith("linux"):
        # The kernel kills the worker the instant its parent dies, even in the middle of a call
        # into the engine that holds the interpreter; the thread below would have to wait for it.
        # (Strictly, when the parent's thread that started it ends: pools are started and
        # closed by one thread, which outlives its workers.)
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent.pid:  # the parent died before the request took effect
            os._exit(1)

    def die_with_parent() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=die_with_parent, daemon=True).start()


def _describe(error: Exception) -> str:
    if isinstance(error, AudioguideError):
        return str(error)
    last = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    where = f" at {last.filename}:{last.lineno}" if last else ""
    return f"{type(error).__name__}: {error}{where}"


_early: list[tuple[str, str | None, _Worker]] = []
#: Every worker process alive, so that a server stopping can stop them all at once.
_processes: set = set()
_stopping = threading.Event()


def start_early(function: str = RENDER_TRACK, engine: str | None = None) -> None:
    """Start one worker now, for the next :class:`WorkerPool` of ``function`` (and ``engine``) to take.

    The worker loads ``engine`` while it waits, so only a pool of that engine takes it. A process
    that is still one thread and has loaded no engine (a command that has only parsed its
    options) is forked, which starts the worker in a few milliseconds instead of a new
    interpreter's tenth of a second; any other is spawned, for the reasons above.
    """
    _stopping.clear()  # a new command: a stop asked before it is over
    fork = sys.platform.startswith("linux") and threading.active_count() == 1 and native_engine() is None
    _early.append((function, engine, _spawn(function, engine, "fork" if fork else "spawn")))


def discard_early() -> None:
    """Stop the workers :func:`start_early` started that no pool took."""
    while _early:
        *_, worker = _early.pop()
        worker.process.kill()
        worker.connection.close()
        _processes.discard(worker.process)


def stop_all_workers() -> None:
    """Stop every worker now, and start no more for the pools that had them: the process that
    owns them is shutting down (a pool made afterwards, for a new build, starts workers again).

    A worker killed mid-start says nothing; one left to find its parent gone would print why.
    """
    _stopping.set()
    for process in list(_processes):
        with contextlib.suppress(OSError, ValueError):
            process.kill()


class StopButton:
    """A build's stop button: once pressed, every worker started for the build is killed, and no
    more start (the build then raises :class:`~audioguide.errors.Stopped`). Other processes' workers
    go on."""

    def __init__(self) -> None:
        self._pressed = False
        self._processes: set = set()
        # A worker starting while the button is pressed is either refused or killed, never missed.
        self._lock = threading.Lock()

    @property
    def pressed(self) -> bool:
        return self._pressed

    def press(self) -> None:
        with self._lock:
            self._pressed = True
            for process in self._processes:
                with contextlib.suppress(OSError, ValueError):
                    process.kill()

    def check(self) -> None:
        """Raise :class:`~audioguide.errors.Stopped` once the button is pressed."""
        if self._pressed:
            raise Stopped("the build was stopped; the last package was left as it was")

    def launch(self, process: multiprocessing.process.BaseProcess) -> None:
        """Start a worker of the build, unless the button is pressed."""
        with self._lock:
            self.check()
            process.start()
            self._processes.add(process)


def _spawn(function: str, engine: str | None = None, method: str = "spawn", stop: StopButton | None = None) -> _Worker:
    if _stopping.is_set():
        raise EngineError("audioguide is stopping; the build was not finished")
    context = multiprocessing.get_context(method)
    parent, child = context.Pipe()
    process = context.Process(target=_serve, args=(child, function, engine), daemon=True)  # type: ignore[attr-defined]
    if stop is None:
        process.start()
    else:
        stop.launch(process)
    _processes.add(process)
    child.close()
    return _Worker(process, parent)


class WorkerPool:
    """Runs ``function(task)`` for many tasks in ``size`` worker processes; ``function`` is
    named as ``"module:name"``."""

    def __init__(
        self,
        function: str,
        size: int,
        time_limit: Callable[[Any], float],
        engine: str | None = None,
        *,
        events: PoolEvents | None = None,
        stop: StopButton | None = None,
    ):
        # A pool is made for a new build or phrase: a stop asked of the builds before it is over.
        _stopping.clear()
        self._function, self._engine = function, engine
        self._size = max(1, size)
        self._time_limit = time_limit
        self._events, self._stop_button = events, stop
        self._workers: list[_Worker] = []

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _start(self) -> _Worker:
        if self._stop_button:
            self._stop_button.check()
        for index, (function, engine, worker) in enumerate(_early):
            if function == self._function and engine in (None, self._engine):
                del _early[index]
                return worker
        return _spawn(self._function, self._engine, stop=self._stop_button)

    def warm(self) -> None:
        """Start the workers now, so that they load their engine before the first task comes."""
        while len(self._workers) < self._size:
            self._workers.append(self._start())

    def ready(self, timeout: float = 0.0) -> bool:
        """Whether every worker has said it is ready, waiting up to ``timeout`` seconds for them
        (only while no task runs: a worker at work is heard from by :meth:`run`)."""
        deadline = monotonic() + timeout
        for worker in self._workers:
            left = max(0.0, deadline - monotonic())
            if not worker.ready and worker.task is None and worker.connection.poll(left):
                with contextlib.suppress(EOFError, OSError):
                    worker.ready = worker.connection.recv() == _READY
        return bool(self._workers) and all(worker.ready for worker in self._workers)

    def _stop(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(timeout=5)
        worker.connection.close()
        _processes.discard(worker.process)

    def run(self, tasks: Iterable[Any]) -> Iterator[Outcome]:
        """Yield an :class:`Outcome` for every task, in the order they finish."""
        pending = deque((task, 1) for task in tasks)
        while len(self._workers) < min(self._size, len(pending)):
            self._workers.append(self._start())
        busy: dict[Connection, _Worker] = {}
        while pending or busy:
            for worker in self._workers:
                if worker.connection not in busy and pending:
                    worker.task, worker.attempt = pending.popleft()
                    worker.deadline = monotonic() + self._time_limit(worker.task)
                    try:
                        worker.connection.send(worker.task)
                    except OSError:
                        # It died while it waited (killed for memory, say): a kept worker may
                        # wait for hours between the workbench's phrases.
                        self._replace(worker)
                        yield from self._retry_or_fail(worker, "the engine stopped while it waited", pending)
                        continue
                    busy[worker.connection] = worker
                    if self._events:
                        self._events.started(worker.task)
            if not busy:  # each task handed out went to a worker that had died: to their replacements
                continue
            timeout = max(0.0, min(w.deadline for w in busy.values()) - monotonic())
            for answered in wait(list(busy), timeout=timeout):
                connection = cast(Connection, answered)
                worker = busy.pop(connection)
                try:
                    status, value = connection.recv()
                except (EOFError, OSError):
                    status, value = "died", f"the engine stopped (exit code {worker.process.exitcode})"
                if (status, value) == _READY:
                    worker.ready = True
                    busy[connection] = worker  # still at its task
                    if self._events:
                        self._events.ready()
                    continue
                if status == "ok":
                    yield Outcome(worker.task, result=value)
                    continue
                if status == "died":
                    self._replace(worker)
                yield from self._retry_or_fail(worker, value, pending)
            now = monotonic()
            for connection, worker in list(busy.items()):
                if now >= worker.deadline:
                    del busy[connection]
                    self._replace(worker)
                    limit = self._time_limit(worker.task)
                    yield from self._retry_or_fail(worker, f"no answer within {limit:.0f} seconds", pending)

    def _retry_or_fail(self, worker: _Worker, error: str, pending: deque) -> Iterator[Outcome]:
        if worker.attempt < ATTEMPTS:
            pending.appendleft((worker.task, worker.attempt + 1))
        else:
            yield Outcome(worker.task, error=error)

    def _replace(self, worker: _Worker) -> None:
        self._stop(worker)
        self._workers[self._workers.index(worker)] = self._start()

    def release(self) -> None:
        """Tell the workers to stop, without waiting for them: they exit while the caller goes on."""
        for worker in self._workers:
            with contextlib.suppress(OSError):
                worker.connection.send(None)

    def close(self) -> None:
        self.release()
        for worker in self._workers:
            # A worker that never had a task may still be starting: no need to wait for it.
            if worker.task is not None:
                worker.process.join(timeout=2)
            self._stop(worker)
        self._workers = []


class PoolsByEngine:
    """One :class:`WorkerPool` per engine, started when first needed: two engines' native
    libraries must never share a process, so a worker renders with one engine all its life."""

    def __init__(
        self,
        function: str,
        size: int,
        time_limit: Callable[[Any], float],
        *,
        events: PoolEvents | None = None,
        stop: StopButton | None = None,
    ):
        self._make = lambda engine: WorkerPool(function, size, time_limit, engine, events=events, stop=stop)
        self._pools: dict[str, WorkerPool] = {}

    def __enter__(self) -> PoolsByEngine:
        return self

    def __exit__(self, *exc_info) -> None:
        for pool in self._pools.values():
            pool.close()
        # A worker started early for a build that never rendered (bad input, say) is not left
        # for the next build: it was started in this build's folder, with its settings.
        discard_early()

    def __getitem__(self, engine: str) -> WorkerPool:
        if engine not in self._pools:
            self._pools[engine] = self._make(engine)
        return self._pools[engine]

    def run(self, tasks: Iterable[Any], engine_of: Callable[[Any], str]) -> Iterator[Outcome]:
        """Each task in its engine's pool, one engine after another."""
        by_engine: dict[str, list[Any]] = {}
        for task in tasks:
            by_engine.setdefault(engine_of(task), []).append(task)
        for engine, group in by_engine.items():
            yield from self[engine].run(group)

    def release(self) -> None:
        for pool in self._pools.values():
            pool.release()


@dataclass
class _Call:
    """One task handed to a kept worker's thread, and what came of it."""

    task: Any
    done: threading.Event = field(default_factory=threading.Event)
    outcome: Outcome | None = None
    error: BaseException | None = None


class KeptWorkers:
    """One worker per engine, started when first needed and kept alive between tasks, so that each
    task after the first finds its engine (and voice) loaded: the workbench's "Hear it".

    Each engine's worker is started and spoken to by a thread of its own that lives as long as
    this object: a worker dies with the thread that started it (see :func:`_exit_with_parent`),
    and a request's thread may end at any time. Tasks for one engine take turns.
    """

    def __init__(self, function: str, time_limit: float) -> None:
        self._function, self._time_limit = function, time_limit
        self._queues: dict[str, queue.Queue[_Call | None]] = {}
        self._ready: set[str] = set()
        self._lock = threading.Lock()

    def run(self, engine: str, task: Any) -> Outcome:
        """``task`` done by ``engine``'s worker (started now if it is not running)."""
        call = _Call(task)
        self._queue(engine).put(call)
        call.done.wait()
        if call.error is not None:
            raise call.error
        return cast(Outcome, call.outcome)

    def warm(self, engine: str) -> None:
        """Start ``engine``'s worker now, if it is not running, so that it loads the engine before it is asked."""
        self._queue(engine)

    def ready(self, engine: str) -> bool:
        """Whether ``engine``'s worker is running and has loaded its engine."""
        return engine in self._ready

    def close(self) -> None:
        with self._lock:
            for tasks in self._queues.values():
                tasks.put(None)
            self._queues.clear()

    def _queue(self, engine: str) -> queue.Queue[_Call | None]:
        with self._lock:
            if engine not in self._queues:
                tasks: queue.Queue[_Call | None] = queue.Queue()
                self._queues[engine] = tasks
                thread = threading.Thread(target=self._serve, args=(engine, tasks), name=f"audioguide-{engine}")
                thread.daemon = True
                thread.start()
            return self._queues[engine]

    def _serve(self, engine: str, tasks: queue.Queue[_Call | None]) -> None:
        """The engine's thread: the only one that speaks to its worker."""
        with WorkerPool(self._function, 1, lambda _: self._time_limit, engine) as pool:
            # Only a head start: what fails here fails again, and is reported, with the first task.
            with contextlib.suppress(AudioguideError):
                pool.warm()
                if pool.ready(timeout=self._time_limit):
                    self._ready.add(engine)
            while (call := tasks.get()) is not None:
                try:
                    call.outcome = next(pool.run([call.task]))
                except BaseException as error:  # handed to the caller, whose request then fails
                    call.error = error
                finally:
                    # A worker that failed was replaced by one that has yet to load its engine.
                    if call.outcome is not None and call.outcome.error is None and pool.ready():
                        self._ready.add(engine)
                    else:
                        self._ready.discard(engine)
                    call.done.set()
            self._ready.discard(engine)
