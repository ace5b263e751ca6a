"""Rolling normalised conformal intervals: each origin's interval from the errors of the forecasts before it.

The engine's first intervals add daily spreads in quadrature, which assumes independent
daily errors; a level error persists for days, so sums of days (a payout, 28 days of
refunds) come out too narrow. Each interval is therefore recalibrated from the errors of
earlier forecasts that had been realised before its origin (split conformal):

* an error is divided by the engine's own half-width for that forecast (its *scale*), so
  the errors of a small marketplace and a large one, or of yen and euros, are comparable
  and all of a seller's marketplaces pool into one set of scores per target;
* the forecasts of one realised value (the 14 origins that each forecast the same payout)
  err together, so they count as one draw: the split-conformal rank is taken over the
  number of distinct realised values T, not the number of scores n. The interval is the
  point plus or minus its own scale times the score at the ceil(n x ceil((T + 1) x level) / T)-th
  place; with independent scores (T = n) that is the usual ceil((n + 1) x level)-th;
* a target is first its exact key (the measure at the same horizon, or the same payout
  sequence); while that has fewer than MIN_ERRORS scores or MIN_REALISED distinct realised
  values, the measure's scores at every horizon stand in (a second payout borrows from the
  first until its own are known); with fewer still, the engine's own interval stays;
* the level itself adapts (adaptive conformal inference, Gibbs and Candes 2021): each time a
  forecast's target is realised, its key's level moves up by GAMMA x 0.8 if its interval
  missed and down by GAMMA x 0.2 if it held. The first forecasts of a young history err most,
  and their scores would otherwise keep the later intervals too wide (or, after a quiet
  start, too narrow); over a run the misses of each key tend to 20 % whatever the drift.

Only errors known at the origin instant are used (`known_at <= origin_at`, as instants, since
a seller's marketplaces end their days at different UTC times), so the intervals are honest
in the backtest too.
"""

from __future__ import annotations

import math
from bisect import insort
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime

MIN_ERRORS = 10  # fewer realised errors than this: fall back (measure-wide, then the engine's interval)
MIN_REALISED = 5  # nor fewer distinct realised values (below this the rank is the largest score anyway)
GAMMA = 0.01  # the adaptive level's step per realised forecast (DECISIONLOG.md: 0.005-0.05 tried)
LEVEL_BOUNDS = (0.5, 0.99)  # how far the adaptive level may move from the nominal one


@dataclass(frozen=True)
class ScoredTarget:
    key: tuple[str, int]  # (measure, horizon or payout sequence), e.g. ("payout", 1) or ("refund", 7)
    known_at: datetime  # the instant the realised value is complete
    error: int  # forecast - realised, minor units
    scale: int  # the engine's own half-width of that forecast, minor units (> 0)
    realised: Hashable = None  # which realised value it was scored against (series, instant); None: its own
    forecast: Hashable = None  # the forecast it scores (series, origin instant), to learn from its interval

    @property
    def score(self) -> float:
        return abs(self.error) / self.scale


def conformal_rank(n: int, level: float, distinct: int | None = None) -> int | None:
    """0-based rank among `n` sorted scores of the one that bounds `level` of future ones, when
    they were scored against `distinct` realised values (default n: all independent); None if
    too few are known."""
    distinct = n if distinct is None else distinct
    if n < MIN_ERRORS or distinct < MIN_REALISED:
        return None
    share = min(1.0, math.ceil((distinct + 1) * level) / distinct)
    return min(n, math.ceil(round(share * n, 9))) - 1


class _Known:
    """The scores of one key (or measure) known so far, sorted, and the realised values they count."""

    def __init__(self) -> None:
        self.scores: list[float] = []
        self.realised: set[Hashable] = set()

    def add(self, target: ScoredTarget, ordinal: int) -> None:
        insort(self.scores, target.score)
        self.realised.add(target.realised if target.realised is not None else ordinal)

    def quantile(self, level: float) -> float | None:
        rank = conformal_rank(len(self.scores), level, len(self.realised))
        return None if rank is None else self.scores[rank]


def adaptive_quantiles(
    targets: Iterable[ScoredTarget], forecasts: Iterable[tuple[Hashable, datetime, tuple[str, int]]],
    level: float, gamma: float = GAMMA,
) -> dict[tuple[Hashable, tuple[str, int]], float | None]:  # fmt: skip
    """Per (forecast, key) of `forecasts` (forecast id, origin instant, key): the score quantile its
    interval is its scale times, from the scores known at its origin at its key's adaptive level;
    None where too few are known (the engine's own interval stays). `gamma=0`: plain split conformal."""
    scored = sorted((t for t in targets if t.scale > 0), key=lambda t: t.known_at)
    by_origin: dict[datetime, list[tuple[Hashable, tuple[str, int]]]] = defaultdict(list)
    for forecast, origin_at, key in forecasts:
        by_origin[origin_at].append((forecast, key))
    exact: dict[tuple[str, int], _Known] = defaultdict(_Known)
    measure_wide: dict[str, _Known] = defaultdict(_Known)
    shift: dict[tuple[str, int], float] = defaultdict(float)
    assigned: dict[tuple[Hashable, tuple[str, int]], float | None] = {}
    low, high = LEVEL_BOUNDS
    i = 0
    for origin in sorted(by_origin):
        while i < len(scored) and scored[i].known_at <= origin:
            target = scored[i]
            exact[target.key].add(target, i)
            measure_wide[target.key[0]].add(target, i)
            if (target.forecast, target.key) in assigned:  # did that forecast's interval hold it?
                quantile = assigned[(target.forecast, target.key)]
                missed = target.score > (1.0 if quantile is None else quantile)
                shift[target.key] += gamma * (missed - (1 - level))
            i += 1
        for forecast, key in by_origin[origin]:
            adapted = min(max(level + shift[key], low), high)
            quantile = exact[key].quantile(adapted)
            assigned[(forecast, key)] = quantile if quantile is not None else measure_wide[key[0]].quantile(adapted)
    return assigned
