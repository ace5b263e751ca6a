"""Fixtures for the synthetic world tests: one default world per session."""

from __future__ import annotations

import time

import pytest

from acorn_sim.world.generator import build_world
from acorn_sim.world.synthetic import SyntheticWorld


@pytest.fixture(scope="session")
def world() -> SyntheticWorld:
    started = time.perf_counter()
    built = build_world()
    _ = built.summary()  # forces every payload to render
    print(f"\ndefault world built and rendered in {time.perf_counter() - started:.1f} s")
    return built


@pytest.fixture(scope="session")
def seller_id(world: SyntheticWorld) -> str:
    return world.sellers()[0].selling_partner_id
