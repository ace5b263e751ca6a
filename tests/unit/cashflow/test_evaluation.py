"""The backtest's scoring: Amazon's expected payouts as a baseline, and the tables it prints."""

from datetime import UTC, datetime
from decimal import Decimal

from acorn_sim.cashflow_evaluation import _amazon_expected, coverage_band, tables

AT = datetime(2026, 9, 1, tzinfo=UTC)


class _Listed:
    """A world answering listExpectedPayouts with fixed payouts."""

    def __init__(self, *expected):
        self.expected = expected

    def expected_payouts(self, seller_id, *, now):
        return list(self.expected)


def _expected(market, amount, scheduled):
    return {"partnerMetadata": {"marketplaceId": market}, "status": "SCHEDULED", "scheduledDate": scheduled,
            "amount": {"currencyAmount": amount, "currencyCode": "EUR"}}  # fmt: skip


def test_the_second_payout_uses_a_later_listed_payout_else_the_open_periods():
    de, fr = "A1PA6795UKMFR9", "A13V1IB3VIYZZH"
    world = _Listed(_expected(de, 200.5, "2026-09-15"), _expected(de, 100.25, "2026-09-01"), _expected(fr, 7, "2026-09-03"))
    assert _amazon_expected(world, "S", de, AT) == Decimal("100.25")  # the earliest scheduled is the open period's
    assert _amazon_expected(world, "S", de, AT, sequence=2) == Decimal("200.5")
    assert _amazon_expected(world, "S", fr, AT, sequence=2) == Decimal("7")  # only the open period's is listed
    assert _amazon_expected(world, "S", "APJ6JRA9NG5V4", AT) is None


def test_the_second_payout_table_scores_amazons_expected_payout():
    def entry(forecast, realised, amazon):
        return {"forecast": Decimal(forecast), "realised": Decimal(realised), "inside": True, "rate": Decimal(1),
                "last_payout": Decimal(realised), "same_weekday": None, "amazon": amazon, "block": forecast}  # fmt: skip

    scored = {"next": {"DE": [entry(90, 100, Decimal(50))]}, "second": {"DE": [entry(110, 100, Decimal(40))]},
              "refund_28d": {}, "balances": {"nights": [(5, 6, 1), (4, 4, 0)]}}  # fmt: skip
    printed = tables(scored)
    second = printed.split("### Second payout")[1].split("###")[0]
    assert "| Amazon expected |" in second
    assert "| DE | 1 | 10.0% | 0.0% | 60.0% | 100% |" in second
    assert "to the cent on 9 of 10 nights (1 differ on a night the mart calls complete)" in printed


def test_the_coverage_band_resamples_forecasts_that_share_an_error_together():
    # Ten payouts, fourteen origins each; half the payouts were missed by every origin.
    shared = [{"inside": p % 2 == 0, "block": p} for p in range(10) for _ in range(14)]
    independent = [dict(e, block=i) for i, e in enumerate(shared)]
    low, high = coverage_band(shared)
    assert low <= 0.5 <= high
    narrow_low, narrow_high = coverage_band(independent)
    assert high - low > 2 * (narrow_high - narrow_low)  # 10 draws, not 140
    assert coverage_band(shared[:14]) is None  # one block: nothing to resample
