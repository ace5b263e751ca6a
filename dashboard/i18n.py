"""Languages of the dashboard: gettext catalogues read through Babel, locale-aware formats.

Messages live in `dashboard/locales/<lang>/LC_MESSAGES/dashboard.po` (msgids are the
English text); `make i18n` re-extracts them from the code. Babel compiles a catalogue
in memory (no `.mo` files to keep in step) and formats numbers, money and dates the
way each locale writes them.
"""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "dashboard"


@dataclass(frozen=True)
class Language:
    code: str  # the `?lang=` value and the catalogue folder
    babel_locale: str  # CLDR locale for numbers and dates
    name: str  # shown in the switcher, in its own language


LANGUAGES: dict[str, Language] = {
    "en": Language("en", "en_US", "English"),
    "zh_Hans": Language("zh_Hans", "zh_Hans_CN", "简体中文"),
}
DEFAULT_LANGUAGE = "en"


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "mark for extraction")
    """Mark a string for the catalogue without translating it yet (labels of codes)."""
    return message


def catalogue_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _translations(language: str) -> gettext.NullTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with catalogue_path(language).open("rb") as po:
        catalog = read_po(po, locale=LANGUAGES[language].babel_locale, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries stay out, as with msgfmt
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@dataclass(frozen=True)
class Translator:
    """One language's messages and formats; every page takes one."""

    language: str = DEFAULT_LANGUAGE

    @property
    def locale(self) -> str:
        return LANGUAGES[self.language].babel_locale

    def gettext(self, message: str) -> str:
        return _translations(self.language).gettext(message)

    def label(self, kind: str, code: str | None) -> str:
        """A mart's code (claim type, status, ...) in words; the code itself if it is new."""
        if code is None:
            return "—"
        message = CODE_LABELS.get(kind, {}).get(code)
        return self.gettext(message) if message else code

    def number(self, value: int | Decimal | float | None) -> str:
        from babel.numbers import format_decimal

        return "—" if value is None else format_decimal(value, locale=self.locale)

    def percent(self, value: Decimal | float | None) -> str:
        from babel.numbers import format_percent

        return "—" if value is None else format_percent(value, "#,##0.0%", locale=self.locale)

    def money(self, amount: Decimal | None, currency: str | None) -> str:
        """Exact amount with its currency, in the currency's minor units (JPY has none)."""
        from babel.numbers import format_currency

        if amount is None or currency is None:
            return "—"
        return format_currency(Decimal(amount), currency, locale=self.locale)

    def date(self, value: date | datetime | None) -> str:
        from babel.dates import format_date

        if value is None:
            return "—"
        return format_date(value.date() if isinstance(value, datetime) else value, "medium", locale=self.locale)

    def datetime(self, value: datetime | None, time_zone: str = "UTC") -> str:
        """A UTC instant shown in `time_zone` (UTC, or a marketplace's zone), zone named."""
        from babel.dates import format_date, format_time

        if value is None:
            return "—"
        local = value.astimezone(ZoneInfo(time_zone))
        return " ".join((format_date(local, "medium", locale=self.locale),
                         format_time(local, "short", tzinfo=local.tzinfo, locale=self.locale),
                         format_time(local, "z", tzinfo=local.tzinfo, locale=self.locale)))  # fmt: skip


# Labels for the codes the marts use (their accepted_values); a test keeps this complete.
CODE_LABELS: dict[str, dict[str, str]] = {
    "claim_type": {
        "refund_without_return": N_("Refund without return"),
        "return_not_credited": N_("Return not credited"),
        "reimbursement_missing": N_("Reimbursement missing"),
        "reimbursement_short": N_("Reimbursement short"),
        "reimbursement_reversed": N_("Reimbursement reversed"),
        "over_refund": N_("Over-refund"),
        "duplicate_refund": N_("Duplicate refund"),
        "fee_overcharge": N_("Fee overcharge"),
    },
    "claim_status": {
        "waiting": N_("Waiting"),
        "eligible": N_("Eligible to file"),
        "expired": N_("Expired"),
        "reimbursed": N_("Reimbursed"),
    },
    "alert_type": {
        "mfn_return_not_refunded": N_("Return received, not refunded"),
        "a_to_z_risk": N_("A-to-z claim risk"),
        "refund_outside_policy": N_("Refund outside policy"),
    },
    "alert_status": {
        "open": N_("Open"),
        "breached": N_("Breached"),
        "resolved_late": N_("Resolved late"),
        "claim_granted": N_("Claim granted"),
    },
    "severity": {
        "critical": N_("Critical"),
        "high": N_("High"),
        "medium": N_("Medium"),
        "low": N_("Low"),
    },
    "decision_rule": {
        "buyer_risk_score_high": N_("Buyer risk score high"),
        "a_to_z_claim": N_("A-to-z claim filed"),
        "not_in_policy": N_("Not covered by the return policy"),
        "outside_policy_window": N_("Outside the return window"),
        "no_auto_approve_rule": N_("No auto-approve rule"),
        "value_unknown": N_("Value unknown"),
        "over_auto_approve_threshold": N_("Over the auto-approve threshold"),
        "under_auto_approve_threshold": N_("Under the auto-approve threshold"),
    },
    "settlement_status": {
        "balanced": N_("Balanced"),
        "lines_mismatch": N_("Lines mismatch"),
        "transfer_mismatch": N_("Transfer mismatch"),
        "open": N_("Open"),
        "awaiting_transfer": N_("Awaiting transfer"),
        "transfer_failed": N_("Transfer failed"),
        "report_missing": N_("Report missing"),
    },
    "line_status": {
        "matched": N_("Matched"),
        "amount_mismatch": N_("Amount mismatch"),
        "missing_from_settlement": N_("Missing from settlement"),
        "report_missing": N_("Report missing"),
        "deferred": N_("Deferred"),
        "pending_settlement": N_("Pending settlement"),
    },
    "risk_reason": {
        "empty_or_wrong_item": N_("Came back empty or with another item"),
        "used_and_late_in_window": N_("Returned used at the end of the return window"),
        "late_in_window": N_("Returned at the end of the return window"),
        "reason_contradicts_condition": N_("Reason contradicts the condition it came back in"),
        "refund_without_return": N_("Refunded, never returned"),
        "repeated_returnless_refunds": N_("Repeated refunds without return"),
        "many_returns_90d": N_("Many returns in 90 days"),
        "high_return_rate": N_("Returns most of what they order"),
        "return_rate_above_sku_norm": N_("Returns far more than this product's norm"),
        "shared_address_many_buyers": N_("Many buyer accounts at one address"),
        "address_many_returns": N_("Many returns to one address"),
        "high_refund_value_share": N_("Most of the order value refunded"),
        "model_pattern": N_("Pattern the model learned from confirmed cases"),
        "area_return_rate_high": N_("Postal area returns far above the marketplace"),
    },
    "risk_band": {
        "high": N_("High"),
        "medium": N_("Medium"),
        "low": N_("Low"),
    },
    "buyer_key_kind": {
        "buyer_email": N_("Buyer e-mail (hashed)"),
        "postal_area": N_("Postal area (hashed)"),
        "order": N_("Order only"),
    },
    "payout_status": {
        "PAYOUT": N_("Payout"),
        "NO_PAYOUT": N_("No payout"),
    },
    "fx_rate_source": {
        "amazon_applied": N_("Rate Amazon applied to the latest payout"),
        "fx_rates_seed": N_("Reference rate (fx_rates seed)"),
    },
    "transaction_type": {
        "Shipment": N_("Shipment"),
        "Refund": N_("Refund"),
        "Chargeback": N_("Chargeback"),
        "GuaranteeClaim": N_("A-to-z guarantee claim"),
    },
}
