"""``python -m acorn.world build|export-lake|verify`` (see acorn.world.cli)."""

from __future__ import annotations

import sys

from acorn.world.cli import main

if __name__ == "__main__":
    sys.exit(main())
