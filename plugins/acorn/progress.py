"""Progress of `make demo` / `make run` / `make backfill` while they run, and where to look after.

`dag.test()` runs the DAGs in-process and blocks, so a background thread polls
the Airflow metadata DB (read-only SQLite) for the task instances of the DAG runs
started since the reporter began: the running task gives the stage (its id mapped
to a friendly label, else the id itself, so tasks added to a DAG show up on their
own), the extract task instances finished of those planned give "sources n/N",
and the XCom return values of finished extract tasks give the records landed.

On a terminal the line is a rich live display at the bottom; everything the run
writes to stdout/stderr (Airflow's and dbt's logs, subprocesses included) is
captured at the file-descriptor level and printed above it, so nothing garbles
the display and nothing, errors least of all, is hidden. Not on a terminal,
there are no control codes: one plain line per stage, and the logs as before.

The pure functions (`stage_label` ... `render`, `where_to_look_next`) turn a
snapshot into what is shown; `Reporter` does the polling and the terminal.
rich is imported inside functions: Airflow imports everything under plugins/.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console, RenderableType

    from acorn.config import Settings

# Friendly stage names by task id; a task not listed shows as its id.
STAGE_LABELS = {
    "check_configuration": "checking the configuration",
    "plan_marketplace_scopes": "planning",
    "plan_account_scopes": "planning",
    "summarize_extraction": "summarising the extraction",
    "dbt_build_marts": "building the warehouse",
    "score_return_risk": "scoring return-fraud risk",
    "forecast_cash_flow": "forecasting cash flow",
    "dbt_build_model_marts": "building the risk and cash-flow marts",
    "export_marts": "exporting",
    "generate_dbt_docs": "generating the dbt docs",
    "write_daily_digests": "writing digests",
}
STAGE_PREFIXES = (("extract_", "extracting"),)

FINISHED = frozenset({"success", "failed", "skipped", "upstream_failed", "removed"})
FAILED = frozenset({"failed", "upstream_failed"})
POLL_SECONDS = 0.5


@dataclass(frozen=True)
class TaskState:
    """One task instance of a DAG run, as the metadata DB has it."""

    task_id: str
    map_index: int
    state: str | None


@dataclass(frozen=True)
class SourceCounts:
    done: int = 0
    failed: int = 0
    total: int | None = None  # None until the mapped extract tasks are expanded


@dataclass(frozen=True)
class View:
    """What the progress line shows."""

    stage: str
    elapsed: float
    sources: SourceCounts = SourceCounts()
    records: int = 0
    context: str = ""  # e.g. the backfill chunk


def stage_label(task_id: str) -> str:
    if task_id in STAGE_LABELS:
        return STAGE_LABELS[task_id]
    for prefix, label in STAGE_PREFIXES:
        if task_id.startswith(prefix):
            return label
    return task_id


def running_stage(tasks: Sequence[TaskState]) -> str | None:
    """The stage of the running task (else the queued one: dag.test() queues one task at a
    time and takes seconds to start it), or None between tasks."""
    for wanted in ("running", "queued"):
        for ti in tasks:
            if ti.state == wanted:
                return stage_label(ti.task_id)
    return None


def source_counts(tasks: Sequence[TaskState], source_task_ids: Iterable[str]) -> SourceCounts:
    """Extract task instances finished, of which failed, of those planned.

    A mapped task not yet expanded has one placeholder instance (map index -1,
    no state): the total is unknown until planning has expanded every one.
    """
    ids = frozenset(source_task_ids)
    mine = [ti for ti in tasks if ti.task_id in ids]
    if not mine:
        return SourceCounts()
    done = sum(ti.state in FINISHED for ti in mine)
    failed = sum(ti.state in FAILED for ti in mine)
    unexpanded = any(ti.map_index < 0 and ti.state not in FINISHED for ti in mine)
    return SourceCounts(done, failed, None if unexpanded else len(mine))


def records_landed(return_values: Iterable[Any]) -> int:
    """Records landed, summed over extract tasks' return values ({source: {"landed": n, ...}})."""
    total = 0
    for value in return_values:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                continue
        if not isinstance(value, Mapping):
            continue
        items = [value] if "landed" in value else list(value.values())
        total += sum(int(item.get("landed") or 0) for item in items if isinstance(item, Mapping))
    return total


def format_elapsed(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def sources_text(sources: SourceCounts) -> str:
    text = f"{sources.done}/{'?' if sources.total is None else sources.total} sources"
    return text + (f" ({sources.failed} failed)" if sources.failed else "")


def status_line(view: View) -> str:
    """The plain line (no control codes): `[0:42] extracting: 12/28 sources, 1,234 records`."""
    context = f"{view.context}: " if view.context else ""
    line = f"[{format_elapsed(view.elapsed)}] {context}{view.stage}"
    if view.sources == SourceCounts() and not view.records:
        return line  # nothing planned yet
    return f"{line}: {sources_text(view.sources)}, {view.records:,} records"


def render(view: View) -> RenderableType:
    """The live display: stage, a bar of sources done, n/N sources, records, elapsed."""
    from rich.progress_bar import ProgressBar
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    stage = Text()
    if view.context:
        stage.append(f"{view.context} ", style="dim")
    stage.append(view.stage, style="bold cyan")
    total = view.sources.total
    bar = ProgressBar(total=float(total or 1), completed=float(view.sources.done), width=24,
                      pulse=total is None)  # fmt: skip
    failed = "red" if view.sources.failed else ""
    grid.add_row(
        stage,
        bar,
        Text(sources_text(view.sources), style=failed),
        Text(f"{view.records:,} records", style="green"),
        Text(format_elapsed(view.elapsed), style="yellow"),
    )
    return grid


def latest_digest_dir(digests_dir: Path) -> Path | None:
    """The as-of-date folder written last (the demo's dates are the world's, not today's)."""
    days = [p for p in digests_dir.iterdir() if p.is_dir()] if digests_dir.is_dir() else []
    return max(days, key=lambda p: (p.stat().st_mtime, p.name)) if days else None


def where_to_look_next(settings: Settings) -> list[str]:
    """The closing lines of every run: dashboard, exports, warehouse, digests, dbt docs."""

    def state(path: Path, what: str = "") -> str:
        return "" if path.exists() else f"  (not {what or 'built'} yet)"

    digests = latest_digest_dir(settings.data_dir / "digests") or settings.data_dir / "digests"
    manifest = settings.exports_dir / "manifest.json"
    docs_index = settings.docs_dir / "static_index.html"  # one file that opens without a server
    return [
        "Where to look next:",
        "  dashboard  make dashboard, then http://127.0.0.1:8501",
        f"  exports    {settings.exports_dir} (the marts as Parquet and CSV; "
        f"{manifest.name} lists them)" + state(manifest, "written"),
        f"  warehouse  {settings.duckdb_path}" + state(settings.duckdb_path),
        f"  digests    {digests}" + state(digests, "written"),
        f"  dbt docs   make docs, or open {docs_index}" + state(docs_index, "generated"),
    ]


# ---------------------------------------------------------------- the metadata DB


def metadata_db_path() -> Path | None:
    """Airflow's SQLite metadata DB (None for another database: then only the CLI's stages show)."""
    conn = os.environ.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN")
    if conn:
        return Path(conn.removeprefix("sqlite:///")) if conn.startswith("sqlite:///") else None
    from acorn.runner import airflow_home_dir

    return airflow_home_dir() / "airflow.db"


@dataclass(frozen=True)
class Snapshot:
    """The DAG runs started since the reporter began, as the metadata DB has them."""

    dag_id: str | None = None
    run_state: str | None = None
    tasks: tuple[TaskState, ...] = ()
    records: int = 0


class MetadataReader:
    """Read-only queries on the SQLite metadata DB (WAL: reading never blocks Airflow's writes)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        # Runs started before the reporter are not ours. By start time, not by id: Airflow
        # deletes old runs and SQLite then reuses their ids. The DB stores naive UTC text.
        self.since = (datetime.now(UTC) - timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S.%f")

    def _connect(self) -> sqlite3.Connection | None:
        if self.path is None or not self.path.exists():
            return None
        return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=1.0)

    def snapshot(self, source_task_ids: Sequence[str]) -> Snapshot | None:
        db = self._connect()
        if db is None:
            return None
        try:
            with closing(db):
                ours = "SELECT id FROM dag_run WHERE coalesce(start_date, '9999') >= ?"
                run = db.execute(
                    f"SELECT dag_id, run_id, state FROM dag_run WHERE id IN ({ours}) "
                    "ORDER BY coalesce(start_date, '9999') DESC, id DESC LIMIT 1",
                    (self.since,),
                ).fetchone()
                if run is None:
                    return None
                dag_id, run_id, run_state = run
                tasks = tuple(
                    TaskState(task_id, int(map_index), state)
                    for task_id, map_index, state in db.execute(
                        "SELECT task_id, map_index, state FROM task_instance "
                        "WHERE dag_id = ? AND run_id = ? "
                        "ORDER BY start_date, task_id, map_index",
                        (dag_id, run_id),
                    )
                )
                marks = ",".join("?" * len(source_task_ids)) or "''"
                values = [
                    v for (v,) in db.execute(
                        f"SELECT value FROM xcom WHERE dag_run_id IN ({ours}) "
                        f"AND key = 'return_value' AND task_id IN ({marks})",
                        (self.since, *source_task_ids),
                    )
                ]  # fmt: skip
        except sqlite3.Error:
            return None  # mid-migration, or locked for a moment: the next poll sees it
        return Snapshot(dag_id, run_state, tasks, records_landed(values))


# ---------------------------------------------------------------- the reporter


def source_task_ids() -> tuple[str, ...]:
    from acorn import sources

    return tuple(t.task_id for t in sources.TASKS)


class Reporter:
    """Polls the metadata DB and shows the progress; use `reporting()`."""

    def __init__(self, out: TextIO, *, live: bool, stage: str = "starting Airflow") -> None:
        self.out = out
        self.live = live
        self.started = time.monotonic()
        self._view = View(stage=stage, elapsed=0.0)
        self._polled_stage: str | None = None
        self._printed_stage: str | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._reader = MetadataReader(metadata_db_path())
        self._sources = source_task_ids()
        self._display: Any = None  # rich Live, on a terminal

    # -- what the CLI says

    def stage(self, label: str) -> None:
        """A stage outside the DAGs (building the world, ...), until a task runs."""
        self._update(stage=label)

    def context(self, text: str) -> None:
        """Shown before the stage (e.g. the backfill chunk)."""
        self._update(context=text)

    def view(self) -> View:
        with self._lock:
            return replace(self._view, elapsed=time.monotonic() - self.started)

    # -- polling

    def poll(self) -> None:
        snap = self._reader.snapshot(self._sources)
        if snap is None:
            return
        changes: dict[str, Any] = {"records": snap.records}
        running = running_stage(snap.tasks)
        if running is not None and running != self._polled_stage:
            changes["stage"] = (
                running  # edge-triggered: a stage the CLI set stays until a task runs
            )
            self._polled_stage = running
        if any(ti.task_id in self._sources for ti in snap.tasks):
            changes["sources"] = source_counts(snap.tasks, self._sources)
        self._update(**changes)

    def _update(self, **changes: Any) -> None:
        with self._lock:
            self._view = replace(self._view, **changes)
        self._show()

    def _show(self) -> None:
        view = self.view()
        if self._display is not None:
            self._display.update(render(view))
        elif not self.live:
            with self._lock:
                if view.stage == self._printed_stage:
                    return
                self._printed_stage = view.stage
            _write_line(self.out, status_line(view))

    def _run(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            try:
                self.poll()
                if self._display is not None:
                    self._display.update(render(self.view()))  # the elapsed time moves
            except Exception as err:  # progress must never break the run
                print(f"(progress: {type(err).__name__}: {err})", file=sys.stderr)
                return

    def finish(self, error: BaseException | None) -> str:
        """The last line (after the polling thread stopped)."""
        try:
            self.poll()
        except Exception:  # the last poll only makes the numbers final
            pass
        view = self.view()
        outcome = f"failed while {view.stage}" if error is not None else "done"
        return status_line(replace(view, stage=outcome))


@contextmanager
def reporting(
    out: TextIO | None = None, *, live: bool | None = None, stage: str = "starting Airflow"
) -> Iterator[Reporter]:
    """Show the run's progress while the block runs: live on a terminal, plain lines otherwise.

    Ends with one line: done (or the stage it failed in), sources, records, elapsed.
    """
    out = out or sys.stdout
    if live is None:
        live = _is_terminal(out)
    reporter = Reporter(out, live=live, stage=stage)
    thread = threading.Thread(target=reporter._run, name="acorn-progress", daemon=True)
    error: BaseException | None = None
    console: Console | None = None
    line = ""
    try:
        with _captured_output(out) if live else _nothing() as console:
            display = _live_display(console, reporter) if console is not None else None
            try:
                reporter._display = display
                reporter._show()
                thread.start()
                yield reporter
            except BaseException as err:
                error = err
                raise
            finally:
                reporter._stop.set()
                if thread.ident is not None:
                    thread.join(timeout=5)
                line = reporter.finish(error)
                reporter._display = None
                if display is not None:
                    display.stop()
    finally:
        # After the captured output is drained, so the line is the last before the summaries.
        if console is not None:
            if line:
                console.print(
                    line, style="red" if error is not None else "bold green", highlight=False
                )
            console.file.close()  # our copy of the terminal's descriptor
        elif line:
            _write_line(out, line)


def _write_line(out: TextIO, line: str) -> None:
    # One write with its newline: print() writes them apart, and a log line from another
    # thread landed between the two.
    out.write(line + "\n")
    out.flush()


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


def _live_display(console: Console, reporter: Reporter) -> Any:
    from rich.live import Live

    display = Live(render(reporter.view()), console=console, refresh_per_second=4, transient=True,
                   redirect_stdout=False, redirect_stderr=False)  # fmt: skip
    display.start()
    return display


def _is_terminal(out: TextIO) -> bool:
    from rich.console import Console

    console = Console(file=out)
    return console.is_terminal and not console.is_dumb_terminal


@contextmanager
def _captured_output(out: TextIO) -> Iterator[Console]:
    """Route file descriptors 1 (and 2, if it is the terminal too) through a pipe to a rich
    Console on the real terminal, which prints each line above the live display.

    At the descriptor level because Airflow's log handlers hold the stdout object they
    were configured with, and dbt and subprocesses write to the descriptors directly.
    """
    import codecs
    import shutil

    from rich.console import Console
    from rich.text import Text

    width = shutil.get_terminal_size().columns
    out.flush()
    sys.stdout.flush()
    sys.stderr.flush()
    targets = [1] + ([2] if os.isatty(2) else [])
    saved = {fd: os.dup(fd) for fd in targets}
    terminal = os.fdopen(os.dup(saved[1]), "w", encoding="utf-8", errors="replace", buffering=1)
    console = Console(file=terminal, force_terminal=True, width=None if os.isatty(0) else width)
    read_end, write_end = os.pipe()
    for fd in targets:
        os.dup2(write_end, fd)
    os.close(write_end)

    def forward() -> None:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        pending = ""
        while chunk := os.read(read_end, 65536):
            pending += decoder.decode(chunk)
            *lines, pending = pending.split("\n")
            for line in lines:
                # from_ansi keeps a carriage-return progress bar's (tqdm's) last state only
                console.print(Text.from_ansi(line), soft_wrap=True, highlight=False)
        if pending:
            console.print(Text.from_ansi(pending), soft_wrap=True, highlight=False)

    forwarder = threading.Thread(target=forward, name="acorn-progress-output", daemon=True)
    forwarder.start()
    try:
        yield console
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        for fd, copy in saved.items():
            os.dup2(copy, fd)  # closes the pipe's last write ends: the forwarder reads to the end
            os.close(copy)
        forwarder.join(timeout=5)
        if not forwarder.is_alive():
            os.close(read_end)
