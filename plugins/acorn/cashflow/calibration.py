"""Rolling conformal intervals: each origin's interval from the errors of the forecasts before it.

The engine's first intervals add daily statistical intervals in quadrature, which assumes
independent daily errors; a level error persists for days, so sums of days (a payout, 28
days of refunds) come out too narrow. Once enough earlier forecasts of the same target
(the same measure at the same horizon, or the same payout sequence) have been realised
before an origin, the interval of that origin's forecast becomes the point plus or minus
the empirical quantile of their absolute errors (split conformal, with the finite-sample
rank ceil((n + 1) x level)). Only errors known at the origin are used: a target counts
once its day (or its settlement close) lies before the origin's 00:00 local.
"""

from __future__ import annotations

import math
from bisect import insort
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date

MIN_ERRORS = 10  # fewer realised errors than this: keep the engine's own interval


@dataclass(frozen=True)
class ScoredTarget:
    key: Hashable  # e.g. ("payout", 1) or ("refund", 7)
    origin_date: date
    known_from: date  # the first origin day whose forecast may learn from this error
    error: int  # forecast - realised, minor units


def conformal_rank(n: int, level: float) -> int | None:
    """0-based rank of the absolute error that bounds `level` of future errors; None if n is too small."""
    if n < MIN_ERRORS:
        return None
    return min(n, math.ceil((n + 1) * level)) - 1


def rolling_half_widths(
    targets: Iterable[ScoredTarget], origins: Iterable[date], level: float
) -> dict[tuple[Hashable, date], int]:
    """Half-width per (key, origin) from the targets known at that origin; missing when too few."""
    by_key: dict[Hashable, list[ScoredTarget]] = defaultdict(list)
    for target in targets:
        by_key[target.key].append(target)
    ordered_origins = sorted(set(origins))
    widths: dict[tuple[Hashable, date], int] = {}
    for key, scored in by_key.items():
        scored.sort(key=lambda t: t.known_from)
        known: list[int] = []
        i = 0
        for origin in ordered_origins:
            while i < len(scored) and scored[i].known_from <= origin:
                insort(known, abs(scored[i].error))
                i += 1
            rank = conformal_rank(len(known), level)
            if rank is not None:
                widths[(key, origin)] = known[rank]
    return widths
