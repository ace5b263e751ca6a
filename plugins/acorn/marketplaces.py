"""Amazon marketplaces: ids, regions, currencies, time zones and number formats.

One registry shared by the SP-API client (routing), the sandbox and the
synthetic world. IDs and regions follow developer-docs "Marketplace IDs";
India, UAE, Saudi Arabia, Turkey and Egypt are served by the EU host.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

REGION_HOSTS: dict[str, str] = {
    "na": "https://sellingpartnerapi-na.amazon.com",
    "eu": "https://sellingpartnerapi-eu.amazon.com",
    "fe": "https://sellingpartnerapi-fe.amazon.com",
}
LWA_TOKEN_ENDPOINT = "https://api.amazon.com/auth/o2/token"


@dataclass(frozen=True)
class Marketplace:
    code: str  # country code as on the current Marketplace IDs page (UK, not GB)
    marketplace_id: str
    country: str
    currency: str  # ISO 4217 home currency
    region: str  # na | eu | fe
    time_zone: str  # IANA zone used for the marketplace's local date
    name: str  # MarketplaceName as it appears in financial events and settlements
    decimal_comma: bool  # flat files write amounts like 95,00

    @property
    def minor_unit_exponent(self) -> int:
        return CURRENCY_EXPONENTS[self.currency]


CURRENCY_EXPONENTS: dict[str, int] = {
    "USD": 2, "CAD": 2, "MXN": 2, "BRL": 2, "GBP": 2, "EUR": 2, "SEK": 2, "PLN": 2,
    "TRY": 2, "JPY": 0, "AUD": 2, "SGD": 2, "INR": 2, "AED": 2, "SAR": 2, "EGP": 2,
    "ZAR": 2, "CNY": 2,
}  # fmt: skip

_ALL = (
    Marketplace("US", "ATVPDKIKX0DER", "United States", "USD", "na", "America/Los_Angeles", "Amazon.com", False),
    Marketplace("CA", "A2EUQ1WTGCTBG2", "Canada", "CAD", "na", "America/Los_Angeles", "Amazon.ca", False),
    Marketplace("MX", "A1AM78C64UM0Y8", "Mexico", "MXN", "na", "America/Mexico_City", "Amazon.com.mx", False),
    Marketplace("BR", "A2Q3Y263D00KWC", "Brazil", "BRL", "na", "America/Sao_Paulo", "Amazon.com.br", True),
    Marketplace("UK", "A1F83G8C2ARO7P", "United Kingdom", "GBP", "eu", "Europe/London", "Amazon.co.uk", False),
    Marketplace("DE", "A1PA6795UKMFR9", "Germany", "EUR", "eu", "Europe/Berlin", "Amazon.de", True),
    Marketplace("FR", "A13V1IB3VIYZZH", "France", "EUR", "eu", "Europe/Paris", "Amazon.fr", True),
    Marketplace("IT", "APJ6JRA9NG5V4", "Italy", "EUR", "eu", "Europe/Rome", "Amazon.it", True),
    Marketplace("ES", "A1RKKUPIHCS9HS", "Spain", "EUR", "eu", "Europe/Madrid", "Amazon.es", True),
    Marketplace("NL", "A1805IZSGTT6HS", "Netherlands", "EUR", "eu", "Europe/Amsterdam", "Amazon.nl", True),
    Marketplace("SE", "A2NODRKZP88ZB9", "Sweden", "SEK", "eu", "Europe/Stockholm", "Amazon.se", True),
    Marketplace("PL", "A1C3SOZRARQ6R3", "Poland", "PLN", "eu", "Europe/Warsaw", "Amazon.pl", True),
    Marketplace("BE", "AMEN7PMS3EDWL", "Belgium", "EUR", "eu", "Europe/Brussels", "Amazon.com.be", True),
    Marketplace("IE", "A28R8C7NBKEWEA", "Ireland", "EUR", "eu", "Europe/Dublin", "Amazon.ie", False),
    Marketplace("TR", "A33AVAJ2PDY3EV", "Turkey", "TRY", "eu", "Europe/Istanbul", "Amazon.com.tr", True),
    Marketplace("EG", "ARBP9OOSHTCHU", "Egypt", "EGP", "eu", "Africa/Cairo", "Amazon.eg", False),
    Marketplace("SA", "A17E79C6D8DWNP", "Saudi Arabia", "SAR", "eu", "Asia/Riyadh", "Amazon.sa", False),
    Marketplace("AE", "A2VIGQ35RCS4UG", "United Arab Emirates", "AED", "eu", "Asia/Dubai", "Amazon.ae", False),
    Marketplace("IN", "A21TJRUUN4KGV", "India", "INR", "eu", "Asia/Kolkata", "Amazon.in", False),
    Marketplace("ZA", "AE08WJ6YKNBMC", "South Africa", "ZAR", "eu", "Africa/Johannesburg", "Amazon.co.za", False),
    Marketplace("JP", "A1VC38T7YXB528", "Japan", "JPY", "fe", "Asia/Tokyo", "Amazon.co.jp", False),
    Marketplace("AU", "A39IBJ37TRP1C6", "Australia", "AUD", "fe", "Australia/Sydney", "Amazon.com.au", False),
    Marketplace("SG", "A19VAU5U5O7RUS", "Singapore", "SGD", "fe", "Asia/Singapore", "Amazon.sg", False),
)  # fmt: skip

BY_ID: dict[str, Marketplace] = {m.marketplace_id: m for m in _ALL}
BY_CODE: dict[str, Marketplace] = {m.code: m for m in _ALL}
BY_CODE["GB"] = BY_CODE["UK"]  # the old developer guide used GB

# The marketplaces the demo world and tests cover (issue 3's list).
DEMO_CODES: tuple[str, ...] = (
    "US", "CA", "MX", "UK", "DE", "FR", "IT", "ES", "NL", "SE", "PL", "JP", "AU",
)  # fmt: skip

# The marketplaces the Transfers API 2024-06-01 (listPayouts, listExpectedPayouts) supports,
# as its model's info text lists them; other marketplaces are not asked.
TRANSFERS_CODES: tuple[str, ...] = ("DE", "FR", "IT", "ES", "SE", "NL", "PL", "BE")
TRANSFERS_IDS: frozenset[str] = frozenset(BY_CODE[c].marketplace_id for c in TRANSFERS_CODES)


class UnknownMarketplaceError(KeyError):
    pass


def get(id_or_code: str) -> Marketplace:
    """Look a marketplace up by id (ATVPDKIKX0DER) or country code (US)."""
    found = BY_ID.get(id_or_code) or BY_CODE.get(id_or_code.upper())
    if found is None:
        raise UnknownMarketplaceError(f"unknown marketplace {id_or_code!r}")
    return found


def region_of(marketplace_id: str) -> str:
    return get(marketplace_id).region


def all_marketplaces() -> tuple[Marketplace, ...]:
    return _ALL


def local_day_end(day: date, time_zone: str) -> datetime:
    """The instant (UTC) a local day ends: 00:00 of the next day in `time_zone`.

    It is when an ending balance for that day (listBalances asOfDate) is final.
    """
    nxt = day + timedelta(days=1)
    return datetime(nxt.year, nxt.month, nxt.day, tzinfo=ZoneInfo(time_zone)).astimezone(UTC)
