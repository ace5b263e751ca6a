"""ACORN-i: Amazon Cross-border Operations Refund Navigator, international."""

from __future__ import annotations

__version__ = "0.1.0"
