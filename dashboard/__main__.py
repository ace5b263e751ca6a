"""`python -m dashboard [--port 8501]` (`make dashboard`): serve the dashboard on 127.0.0.1.

The one place that says how Streamlit is started, for the Makefile and the browser tests.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"
DEFAULT_PORT = 8501


def streamlit_command(port: int) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.address", "127.0.0.1",  # loopback only
        "--server.port", str(port),
        "--server.headless", "true",  # no browser opened by the server
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",  # no telemetry leaves the machine
        "--client.toolbarMode", "viewer",
        "--theme.base", "light",
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or DEFAULT_PORT))
    args = parser.parse_args(argv)
    print(f"ACORN-i dashboard: http://127.0.0.1:{args.port}  (English: ?lang=en, 简体中文: ?lang=zh_Hans)")
    command = streamlit_command(args.port)
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
