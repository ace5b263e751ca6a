"""Test isolation: a throwaway AIRFLOW_HOME and data dir, set before anything imports airflow."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_SESSION_DIR = Path(tempfile.mkdtemp(prefix="acorn-tests-"))
os.environ["AIRFLOW_HOME"] = str(_SESSION_DIR / "airflow_home")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(Path(__file__).resolve().parents[1] / "dags")
os.environ["ACORN_DATA_DIR"] = str(_SESSION_DIR / "data")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
