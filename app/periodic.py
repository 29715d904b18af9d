"""Background jobs that each API process runs on a timer while it serves."""

import logging
import threading
import time
from collections.abc import Callable

from app.telemetry import JOB_DURATION, JOB_RUNS

log = logging.getLogger("techmatch.periodic")


class PeriodicJob:
    """Runs ``job`` every ``interval`` seconds in a daemon thread until stopped.

    A failing pass is logged and the job keeps its schedule: the database may come back.
    """

    def __init__(
        self, name: str, interval: float, job: Callable[[], object], *, stop_timeout: float = 10.0
    ) -> None:
        self.name = name
        self._interval = interval
        self._job = job
        self._stop_timeout = stop_timeout
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self._stop_timeout)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            started = time.perf_counter()
            try:
                self._job()
            except Exception:
                JOB_RUNS.labels(self.name, "failed").inc()
                log.exception("periodic job %s failed", self.name)
            else:
                JOB_RUNS.labels(self.name, "ok").inc()
            JOB_DURATION.labels(self.name).observe(time.perf_counter() - started)
