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
  first until its own are known); with fewer still, the engine's own interval stays.

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


@dataclass(frozen=True)
class ScoredTarget:
    key: tuple[str, int]  # (measure, horizon or payout sequence), e.g. ("payout", 1) or ("refund", 7)
    known_at: datetime  # the instant the realised value is complete
    error: int  # forecast - realised, minor units
    scale: int  # the engine's own half-width of that forecast, minor units (> 0)
    realised: Hashable = None  # which realised value it was scored against (series, instant); None: its own

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


def _rolling_quantiles(
    targets: Iterable[tuple[Hashable, ScoredTarget]], origins: list[datetime], level: float
) -> dict[tuple[Hashable, datetime], float]:
    by_key: dict[Hashable, list[ScoredTarget]] = defaultdict(list)
    for key, target in targets:
        by_key[key].append(target)
    quantiles: dict[tuple[Hashable, datetime], float] = {}
    for key, scored in by_key.items():
        scored.sort(key=lambda t: t.known_at)
        known: list[float] = []
        realised: set[Hashable] = set()
        i = 0
        for origin in origins:
            while i < len(scored) and scored[i].known_at <= origin:
                insort(known, scored[i].score)
                realised.add(scored[i].realised if scored[i].realised is not None else i)
                i += 1
            rank = conformal_rank(len(known), level, len(realised))
            if rank is not None:
                quantiles[(key, origin)] = known[rank]
    return quantiles


@dataclass(frozen=True)
class RollingScores:
    """The score quantiles per origin instant: `quantile(key, origin)` is the key's own where it has
    enough scores, else its measure's at every horizon, else None."""

    exact: dict[tuple[Hashable, datetime], float]
    measure_wide: dict[tuple[Hashable, datetime], float]

    def quantile(self, key: tuple[str, int], origin: datetime) -> float | None:
        return self.exact.get((key, origin), self.measure_wide.get((key[0], origin)))


def rolling_scores(targets: Iterable[ScoredTarget], origins: Iterable[datetime], level: float) -> RollingScores:
    scored = [t for t in targets if t.scale > 0]
    ordered = sorted(set(origins))
    return RollingScores(
        _rolling_quantiles(((t.key, t) for t in scored), ordered, level),
        _rolling_quantiles(((t.key[0], t) for t in scored), ordered, level),
    )
