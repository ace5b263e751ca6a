"""The dashboard's pages, in menu order.

Each page module has `render(ctx)` and `MARTS` (the marts it reads, declared in the
dbt exposure `morning_dashboard`).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from dashboard.i18n import N_
from dashboard.views import alerts, cashflow, data_health, money_owed, overview, payouts, risk


@dataclass(frozen=True)
class PageSpec:
    url_path: str
    title: str  # a message id
    icon: str
    module: ModuleType


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", N_("Overview"), ":material/dashboard:", overview),
    PageSpec("payouts", N_("Payouts"), ":material/account_balance:", payouts),
    PageSpec("money-owed", N_("Money owed"), ":material/request_quote:", money_owed),
    PageSpec("alerts", N_("Alerts and decisions"), ":material/notifications:", alerts),
    PageSpec("risk", N_("Return-fraud risk"), ":material/shield_person:", risk),
    PageSpec("cash-flow", N_("Cash flow"), ":material/query_stats:", cashflow),
    PageSpec("data-health", N_("Data health"), ":material/monitor_heart:", data_health),
)
