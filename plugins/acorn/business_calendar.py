"""Marketplace business calendars (weekends + public holidays) from the `holidays` package.

The MFN refund deadline is "two business days after you have received a return"
(POLICIES.md section 5), counted in the marketplace's calendar. dbt stays portable
(DuckDB and Spark) and offline, so the calendar reaches SQL as two generated seeds:

* ``dbt/seeds/marketplace_public_holidays.csv``: marketplace_code, holiday_date, holiday_name
  (national public holidays, observed/substitute days included, no regional ones);
* ``dbt/seeds/marketplace_weekend_days.csv``: marketplace_code, iso_weekday (1 = Monday),
  weekday_name (Friday-Saturday in Egypt and Saudi Arabia, as the package says).

Regenerate after bumping `holidays` in constraints.txt, and check them in::

    python -m acorn.business_calendar            # rewrite both seeds
    python -m acorn.business_calendar --check    # exit 1 if the checked-in seeds differ

`tests/unit/test_business_calendar.py` runs the check, so a stale seed fails CI.
"""

from __future__ import annotations

import argparse
import csv
import functools
import io
import sys
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path

import holidays

from acorn.marketplaces import BY_CODE

# Years the seeds cover: the data the warehouse holds (2020 onwards) plus a margin.
FIRST_YEAR = 2020
LAST_YEAR = 2028
SEED_DIR = Path(__file__).resolve().parents[2] / "dbt" / "seeds"
HOLIDAYS_SEED = "marketplace_public_holidays.csv"
WEEKENDS_SEED = "marketplace_weekend_days.csv"

# Amazon's marketplace code -> ISO 3166 country the `holidays` package knows.
_COUNTRY = {"UK": "GB"}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def marketplace_codes() -> list[str]:
    """Every marketplace code in the registry (GB is an alias of UK, left out)."""
    return sorted({m.code for m in BY_CODE.values()})


def _calendar(code: str, years: Iterable[int]) -> holidays.HolidayBase:
    return holidays.country_holidays(_COUNTRY.get(code, code), years=list(years), language="en_US")


def public_holidays(code: str, years: Iterable[int] = range(FIRST_YEAR, LAST_YEAR + 1)) -> dict[date, str]:
    """National public holidays of a marketplace's country (date -> English name)."""
    return dict(sorted(_calendar(code, years).items()))


@functools.lru_cache(maxsize=64)
def weekend_days(code: str) -> frozenset[int]:
    """ISO weekdays (1 = Monday ... 7 = Sunday) that are not business days."""
    return frozenset(d + 1 for d in _calendar(code, [FIRST_YEAR]).weekend)


@functools.lru_cache(maxsize=512)
def _holiday_dates(code: str, year: int) -> frozenset[date]:
    return frozenset(_calendar(code, [year]))


def is_business_day(code: str, day: date) -> bool:
    return day.isoweekday() not in weekend_days(code) and day not in _holiday_dates(code, day.year)


def add_business_days(code: str, day: date, n: int) -> date:
    """The n-th business day after `day` (n >= 1) in the marketplace's calendar."""
    if n < 1:
        raise ValueError("n must be >= 1")
    out = day
    while n > 0:
        out += timedelta(days=1)
        if is_business_day(code, out):
            n -= 1
    return out


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def render_seeds(codes: Sequence[str] | None = None) -> dict[str, str]:
    """File name -> CSV text of both seeds, as the pinned `holidays` package generates them."""
    codes = list(codes or marketplace_codes())
    holiday_rows = [
        (code, d.isoformat(), name) for code in codes for d, name in public_holidays(code).items()
    ]
    weekend_rows = [(code, i, _WEEKDAYS[i - 1]) for code in codes for i in sorted(weekend_days(code))]
    return {
        HOLIDAYS_SEED: _csv(("marketplace_code", "holiday_date", "holiday_name"), holiday_rows),
        WEEKENDS_SEED: _csv(("marketplace_code", "iso_weekday", "weekday_name"), weekend_rows),
    }


def stale_seeds(seed_dir: Path = SEED_DIR) -> list[str]:
    """Seed files whose checked-in text differs from what the pinned package generates."""
    out = []
    for name, text in render_seeds().items():
        path = seed_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            out.append(name)
    return out


def write_seeds(seed_dir: Path = SEED_DIR) -> list[Path]:
    paths = []
    for name, text in render_seeds().items():
        path = seed_dir / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m acorn.business_calendar", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the checked-in seeds are stale")
    parser.add_argument("--seed-dir", type=Path, default=SEED_DIR)
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_seeds(args.seed_dir)
        for name in stale:
            sys.stderr.write(f"{name} differs from holidays {holidays.__version__}: "
                             "run python -m acorn.business_calendar\n")  # fmt: skip
        return 1 if stale else 0
    for path in write_seeds(args.seed_dir):
        sys.stdout.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
