"""``python -m acorn_sim.world build|export-lake|verify`` (see acorn_sim.world.cli)."""

from __future__ import annotations

import sys

from acorn_sim.world.cli import main

if __name__ == "__main__":
    sys.exit(main())
