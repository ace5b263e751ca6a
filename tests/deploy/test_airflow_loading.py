"""Airflow's own loading of the project's folders, as a real deployment does it.

`dag.test()` never loads plugins, so the other tests cannot see a module that breaks the
plugin manager (it imports every `.py` file under the plugins folder as a top-level module:
a `__main__.py` there runs as a script). Each check runs Airflow's CLI in a fresh process
with the project's real folders, and a negative control proves the check can fail.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.dag

ROOT = Path(__file__).resolve().parents[2]
AIRFLOW = str(Path(sys.executable).with_name("airflow"))
IMPORT_ERRORS = (
    "from airflow import plugins_manager as pm; import json; "
    "pm.ensure_plugins_loaded(); print(json.dumps(pm.get_import_errors()))"
)


@pytest.fixture(scope="module")
def airflow_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("airflow_loading")
    result = _airflow(["db", "migrate"], home)
    assert result.returncode == 0, result.stderr[-2000:]
    return home


def _env(home: Path, plugins: Path, dags: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update(
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__PLUGINS_FOLDER=str(plugins),
        AIRFLOW__CORE__DAGS_FOLDER=str(dags),
        # What the Dockerfile sets: the plugins folder is the only project path.
        PYTHONPATH=str(plugins),
        PYTHONWARNINGS="ignore",
    )
    return env


def _airflow(args, home: Path, plugins: Path = ROOT / "plugins", dags: Path = ROOT / "dags"):
    return subprocess.run(
        [AIRFLOW, *args], env=_env(home, plugins, dags), capture_output=True, text=True, timeout=300, cwd=home
    )


def _plugin_import_errors(home: Path, plugins: Path) -> dict[str, str]:
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_ERRORS], env=_env(home, plugins, ROOT / "dags"),
        capture_output=True, text=True, timeout=300, cwd=home,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _assert_plugins_clean(home: Path, plugins: Path) -> None:
    result = _airflow(["plugins", "-o", "json"], home, plugins)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() in ("No plugins loaded", "[]") or isinstance(json.loads(result.stdout), list), (
        f"stray output from loading {plugins}: {result.stdout[:2000]}"
    )
    assert "usage:" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert _plugin_import_errors(home, plugins) == {}


def test_airflow_loads_the_project_plugins_folder_cleanly(airflow_home):
    _assert_plugins_clean(airflow_home, ROOT / "plugins")


def test_every_plugins_module_survives_the_loader_even_without_the_ignore_file(airflow_home, tmp_path):
    """`.airflowignore` keeps the `acorn` package out of the plugin manager (it is a library on
    sys.path, not a plugin); without it, every module must still import cleanly as a top-level one."""
    copy = tmp_path / "plugins"
    shutil.copytree(ROOT / "plugins", copy, ignore=shutil.ignore_patterns(".airflowignore", "__pycache__"))
    _assert_plugins_clean(airflow_home, copy)


def test_a_module_that_runs_as_a_script_fails_the_check(airflow_home, tmp_path):
    """Negative control: the layout the check guards against (a CLI's __main__ under plugins/)."""
    bad = tmp_path / "plugins"
    (bad / "pkg").mkdir(parents=True)
    (bad / "pkg" / "__main__.py").write_text(
        "import argparse, sys\nif __name__ == '__main__':\n    argparse.ArgumentParser(prog='pkg').parse_args(sys.argv[1:2])\n"
    )
    with pytest.raises(AssertionError):
        _assert_plugins_clean(airflow_home, bad)


def test_the_dags_folder_has_no_import_errors(airflow_home):
    result = _airflow(["dags", "list-import-errors", "--local", "-o", "json"], airflow_home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == [], result.stdout


def test_a_broken_dag_file_is_reported(airflow_home, tmp_path):
    """Negative control for the DAG check."""
    dags = tmp_path / "dags"
    dags.mkdir()
    (dags / "broken.py").write_text("from airflow.sdk import dag\nimport no_such_module_here\n")
    result = _airflow(["dags", "list-import-errors", "--local", "-o", "json"], airflow_home, dags=dags)
    assert "no_such_module_here" in result.stdout + result.stderr


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_production_code_never_imports_the_simulator():
    offenders = [
        str(path.relative_to(ROOT))
        for folder in (ROOT / "plugins", ROOT / "dags")
        for path in folder.rglob("*.py")
        if any(name.split(".")[0] == "acorn_sim" for name in _imported_modules(path))
    ]
    assert offenders == []
