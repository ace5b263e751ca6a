"""Progress of `make demo` / `make run`: what a snapshot of task states shows, on a terminal or not.

The reporter's polling of a real metadata DB during a real run is checked in
tests/e2e/test_missing_roles.py (`python -m acorn.cli run`, stdout not a terminal).
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from acorn import progress
from acorn.progress import SourceCounts, TaskState, View

pytestmark = pytest.mark.unit

CONTROL = re.compile(r"[\x1b\r]")
SOURCES = ("extract_transactions", "extract_orders")


def test_a_task_shows_as_its_friendly_stage_and_an_unknown_task_as_its_id():
    assert progress.stage_label("extract_settlements") == "extracting"
    assert progress.stage_label("dbt_build_marts") == "building the warehouse"
    assert progress.stage_label("export_marts") == "exporting"
    assert progress.stage_label("write_daily_digests") == "writing digests"
    assert progress.stage_label("score_return_risk") == "scoring return-fraud risk"
    assert progress.stage_label("a_task_added_later") == "a_task_added_later"


def test_the_stage_is_the_running_task_else_the_queued_one_else_unknown():
    tasks = [
        TaskState("check_configuration", -1, "success"),
        TaskState("extract_orders", 0, "queued"),
    ]
    assert progress.running_stage(tasks) == "extracting"
    tasks.append(TaskState("dbt_build_marts", -1, "running"))
    assert progress.running_stage(tasks) == "building the warehouse"
    assert progress.running_stage([TaskState("check_configuration", -1, "success")]) is None


def test_sources_are_unknown_until_the_mapped_extract_tasks_are_expanded():
    planning = [
        TaskState("plan_marketplace_scopes", -1, "running"),
        TaskState("extract_transactions", -1, None),
        TaskState("extract_orders", -1, None),
    ]
    assert progress.source_counts(planning, SOURCES) == SourceCounts(0, 0, None)
    expanded = [
        TaskState("plan_marketplace_scopes", -1, "success"),
        TaskState("extract_transactions", 0, "success"),
        TaskState("extract_transactions", 1, "failed"),
        TaskState("extract_transactions", 2, "running"),
        TaskState("extract_orders", 0, "upstream_failed"),
        TaskState("extract_orders", 1, "scheduled"),
        TaskState("summarize_extraction", -1, None),
    ]
    assert progress.source_counts(expanded, SOURCES) == SourceCounts(done=3, failed=2, total=5)
    assert (
        progress.source_counts([TaskState("dbt_build_marts", -1, "running")], SOURCES)
        == SourceCounts()
    )


def test_records_landed_sum_the_extract_tasks_return_values():
    values = [
        json.dumps({"orders": {"landed": 7, "served": 8}, "order_items": {"landed": 9}}),
        {"transactions": {"landed": 5}},
        {"source": "transactions", "landed": 2},  # an older run's bare result
        "not json",
        None,
    ]
    assert progress.records_landed(values) == 23


def test_elapsed_time_reads_as_minutes_and_seconds_then_hours():
    assert progress.format_elapsed(42.9) == "0:42"
    assert progress.format_elapsed(3 * 60 + 5) == "3:05"
    assert progress.format_elapsed(3600 + 61) == "1:01:01"


def test_the_plain_line_has_stage_sources_records_and_elapsed_and_no_control_codes():
    view = View(
        stage="extracting",
        elapsed=42,
        sources=SourceCounts(12, 1, 28),
        records=1234,
        context="chunk 2/5",
    )
    line = progress.status_line(view)
    assert line == "[0:42] chunk 2/5: extracting: 12/28 sources (1 failed), 1,234 records"
    assert not CONTROL.search(line)
    assert (
        progress.status_line(View(stage="building the world", elapsed=3))
        == "[0:03] building the world"
    )


def test_on_a_terminal_the_display_shows_stage_sources_records_and_elapsed():
    from rich.console import Console

    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120, color_system="standard")
    console.print(
        progress.render(
            View(stage="extracting", elapsed=75, sources=SourceCounts(12, 0, 28), records=1234)
        )
    )
    shown = out.getvalue()
    assert "\x1b[" in shown  # a terminal: styled
    plain = re.sub(r"\x1b\[[0-9;]*m", "", shown)
    for part in ("extracting", "12/28 sources", "1,234 records", "1:15", "━"):
        assert part in plain, plain
    out.truncate(0)
    console.print(
        progress.render(View(stage="planning", elapsed=1))
    )  # total not known yet: a pulsing bar
    assert "0/? sources" in out.getvalue()


@pytest.fixture
def settings(tmp_path, monkeypatch):
    for var in ("DUCKDB_PATH", "ACORN_EXPORTS_DIR", "ACORN_DOCS_DIR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("ACORN_DATA_DIR", str(tmp_path))
    from acorn.config import load_settings

    return load_settings()


def test_where_to_look_next_names_dashboard_exports_warehouse_digests_and_docs(settings):
    lines = progress.where_to_look_next(settings)
    assert lines[0] == "Where to look next:"
    text = "\n".join(lines)
    assert "make dashboard" in text and "http://127.0.0.1:8501" in text and "make docs" in text
    for path in (
        settings.exports_dir,
        settings.duckdb_path,
        settings.data_dir / "digests",
        settings.docs_dir,
    ):
        assert str(path) in text
    assert "manifest.json" in text
    assert text.count("not ") == 4  # nothing built yet: each says so
    settings.duckdb_path.parent.mkdir(parents=True)
    settings.duckdb_path.write_bytes(b"")
    (settings.exports_dir).mkdir()
    (settings.exports_dir / "manifest.json").write_text("{}")
    older, newer = (
        settings.data_dir / "digests" / "2026-10-30",
        settings.data_dir / "digests" / "2026-10-31",
    )
    older.mkdir(parents=True)
    newer.mkdir()
    os.utime(older, (1, 1))
    text = "\n".join(progress.where_to_look_next(settings))
    assert f"digests    {newer}\n" in text
    assert text.count("not ") == 1  # the docs


def test_off_a_terminal_the_reporter_prints_one_plain_line_per_stage_and_a_last_line(
    settings, tmp_path, monkeypatch
):
    monkeypatch.setenv(
        "AIRFLOW_HOME", str(tmp_path / "no_airflow_yet")
    )  # no metadata DB: CLI stages only
    out = io.StringIO()
    with progress.reporting(out) as shown:  # a StringIO is not a terminal
        shown.stage("building the world")
        shown.stage("building the world")
        shown.stage("starting the sandbox")
    lines = out.getvalue().splitlines()
    assert [re.sub(r"^\[\d+:\d\d\] ", "", line) for line in lines] == [
        "starting Airflow", "building the world", "starting the sandbox", "done",
    ]  # fmt: skip
    assert not CONTROL.search(out.getvalue())
    out = io.StringIO()
    with pytest.raises(RuntimeError, match="boom"), progress.reporting(out) as shown:
        shown.stage("extracting")
        raise RuntimeError("boom")
    assert out.getvalue().splitlines()[-1].endswith("failed while extracting")


def test_on_a_terminal_everything_the_run_writes_is_printed_above_the_display(
    settings, tmp_path, monkeypatch, capfd
):
    """Python prints, a log handler holding the stdout object, a subprocess: each line once."""
    import logging

    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path / "no_airflow_yet"))
    handler = logging.StreamHandler(sys.stdout)  # as Airflow's: bound to the stream object
    logger = logging.getLogger("test_progress")
    logger.addHandler(handler)
    try:
        with progress.reporting(sys.stdout, live=True) as shown:
            shown.stage("extracting")
            print("a line from print")
            logger.warning("a warning from a handler")
            subprocess.run([sys.executable, "-c", "print('a line from a subprocess')"], check=True)
            os.write(1, b"a line with a progress bar\r 50%\r100%\n")
    finally:
        logger.removeHandler(handler)
    out = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", capfd.readouterr().out)
    for line in (
        "a line from print",
        "a warning from a handler",
        "a line from a subprocess",
        "100%",
    ):
        assert out.count(line) == 1, out
    assert "50%" not in out  # a carriage-return progress bar: its last state only
    assert "extracting" in out  # the live display was drawn
    assert re.search(r"\[\d+:\d\d\] done\s*$", out), out  # and ends with the last line
    print("after")  # the descriptors are back
    assert capfd.readouterr().out == "after\n"


def test_the_metadata_db_is_airflows_sqlite_file(monkeypatch, tmp_path):
    monkeypatch.delenv("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", raising=False)
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path))
    assert progress.metadata_db_path() == tmp_path / "airflow.db"
    monkeypatch.setenv("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "sqlite:////srv/af/airflow.db")
    assert progress.metadata_db_path() == Path("/srv/af/airflow.db")
    monkeypatch.setenv("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "postgresql://airflow@db/airflow")
    assert progress.metadata_db_path() is None
