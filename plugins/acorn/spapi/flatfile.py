"""Parse Amazon tab-delimited flat-file reports by header name into typed rows.

Tolerant about the local formats Amazon uses (decimal commas, locale dates,
encodings) and strict about everything else: an unknown layout raises
`UnknownLayoutError`; a value that fits no rule becomes a `RowError` naming
the line, column and rule, so the caller can quarantine that row and keep the
others. Nothing is guessed: an ambiguous value is an error.

Number rules (amounts are always Decimal, never float):
* spaces, no-break spaces and apostrophes are digit-group separators;
* with both "," and ".", the right-most one is the decimal mark;
* a repeated mark ("1.234.567") is a group separator;
* a single mark followed by exactly three digits ("1,234") is read by the
  marketplace convention (decimal comma or not) and is an error without one;
  followed by any other digit count it is the decimal mark ("95,00", "32.09").

Date rules: ISO 8601 with offset or "Z", "YYYY-MM-DD HH:MM:SS UTC",
"DD.MM.YYYY[ HH:MM:SS UTC]", "YYYY/MM/DD", "YYYY-MM-DD", and slashed
"NN/NN/YYYY", which is month-first for MONTH_FIRST_MARKETPLACES and day-first
elsewhere (error when no marketplace is given). A date without time becomes
midnight UTC of that calendar date; a time without zone is read in the
marketplace's time zone (error without a marketplace). Results are UTC.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from acorn import marketplaces
from acorn.spapi.documents import normalize_encoding

MONTH_FIRST_MARKETPLACES = frozenset({"US"})  # write 06/09/2025 for June 9th


class UnknownLayoutError(ValueError):
    """The file's header does not match the known layout of its report type."""

    def __init__(
        self, report_type: str, message: str, *, missing: tuple[str, ...] = (), header: tuple[str, ...] = ()
    ) -> None:
        self.report_type = report_type
        self.missing = missing
        self.header = header
        super().__init__(f"{report_type}: {message}")


class ValueParseError(ValueError):
    def __init__(self, rule: str, detail: str = "") -> None:
        self.rule = rule
        super().__init__(f"{rule}: {detail}" if detail else rule)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "str"  # str | decimal | int | datetime
    required: bool = True  # must be in the header (cells may still be empty)


@dataclass(frozen=True)
class Layout:
    report_type: str
    columns: tuple[Column, ...]
    summary_row: bool = False  # settlement: the first data row is the settlement summary

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


@dataclass(frozen=True)
class RowError:
    row_number: int  # line number in the file; the header is line 1
    column: str
    value: str
    rule: str


@dataclass(frozen=True)
class ParsedReport:
    report_type: str
    header: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]
    errors: tuple[RowError, ...]
    summary: dict[str, Any] | None = None
    encoding: str = "utf-8"
    extra_columns: tuple[str, ...] = field(default=())
    bad_rows: tuple[int, ...] = field(default=())  # row numbers quarantined (one or more errors)


def _c(names: str, kind: str = "str", required: bool = True) -> tuple[Column, ...]:
    return tuple(Column(n.strip(), kind, required) for n in names.split(",") if n.strip())


LAYOUTS: dict[str, Layout] = {
    "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2": Layout(
        "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2",
        _c("settlement-id")
        + _c("settlement-start-date, settlement-end-date, deposit-date", "datetime")
        + _c("total-amount", "decimal")
        + _c(
            "currency, transaction-type, order-id, merchant-order-id, adjustment-id, shipment-id, "
            "marketplace-name, amount-type, amount-description"
        )
        + _c("amount", "decimal")
        + _c("fulfillment-id")
        + _c("posted-date, posted-date-time", "datetime")
        + _c("order-item-code, merchant-order-item-id, merchant-adjustment-item-id, sku")
        + _c("quantity-purchased", "int")
        + _c("promotion-id"),
        summary_row=True,
    ),
    "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA": Layout(
        "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA",
        _c("return-date", "datetime")
        + _c("order-id, sku, asin, fnsku")
        + _c("product-name", required=False)
        + _c("quantity", "int")
        + _c("fulfillment-center-id, detailed-disposition, reason")
        + _c("status, license-plate-number, customer-comments", required=False),  # AE files lacked status
    ),
    "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE": Layout(
        "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE",
        _c("Order ID")
        + _c("Order date, Return request date", "datetime")
        + _c("Return request status")
        + _c("Amazon RMA ID, Merchant RMA ID, Label type", required=False)
        + _c("Label cost", "decimal", required=False)
        + _c(
            "Currency code, Return carrier, Tracking ID, Label to be paid by, A-to-Z Claim, Is prime",
            required=False,
        )
        + _c("ASIN, Merchant SKU")
        + _c("Item Name", required=False)
        + _c("Return quantity", "int")
        + _c("Return Reason")
        + _c("In policy, Return type, Resolution, Invoice number", required=False)
        + _c("Return delivery date", "datetime", required=False)
        + _c("Order Amount", "decimal", required=False)
        + _c("Order quantity", "int", required=False)
        + _c("SafeT Action reason, SafeT claim id, SafeT claim state", required=False)
        + _c("SafeT claim creation time", "datetime", required=False)
        + _c("SafeT claim reimbursement amount, Refunded Amount", "decimal", required=False),
    ),
    "GET_FBA_REIMBURSEMENTS_DATA": Layout(
        "GET_FBA_REIMBURSEMENTS_DATA",
        _c("approval-date", "datetime")
        + _c("reimbursement-id")
        + _c("case-id, amazon-order-id", required=False)
        + _c("reason, sku, fnsku, asin")
        + _c("product-name", required=False)
        + _c("condition, currency-unit")
        + _c("amount-per-unit, amount-total", "decimal")
        + _c("quantity-reimbursed-cash, quantity-reimbursed-inventory, quantity-reimbursed-total", "int")
        + _c("original-reimbursement-id, original-reimbursement-type", required=False),
    ),
}


# ---------------------------------------------------------------------- values

_GROUPING = re.compile(r"^\d{1,3}([.,]\d{3})+$")


def parse_decimal(raw: str, *, decimal_comma: bool | None = None) -> Decimal:
    """Decimal from a local-format amount; see module docstring for the rules."""
    text = raw.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
    sign = ""
    if text and text[0] in "+-":
        sign, text = ("-" if text[0] == "-" else ""), text[1:]
    if not text or not re.fullmatch(r"[0-9.,]+", text) or not re.search(r"\d", text):
        raise ValueParseError("decimal", f"not a number: {raw!r}")
    has_dot, has_comma = "." in text, "," in text
    if has_dot and has_comma:
        dec = "." if text.rfind(".") > text.rfind(",") else ","
        grp = "," if dec == "." else "."
        whole, _, frac = text.rpartition(dec)
        if dec in whole or not re.fullmatch(r"\d{1,3}(" + re.escape(grp) + r"\d{3})*", whole):
            raise ValueParseError("decimal-grouping", f"inconsistent separators in {raw!r}")
        number = whole.replace(grp, "") + "." + frac
    elif has_dot or has_comma:
        mark = "." if has_dot else ","
        if text.count(mark) > 1:
            if not _GROUPING.fullmatch(text):
                raise ValueParseError("decimal-grouping", f"bad digit grouping in {raw!r}")
            number = text.replace(mark, "")
        else:
            whole, _, frac = text.partition(mark)
            if len(frac) == 3 and whole and len(whole) <= 3:
                if decimal_comma is None:
                    raise ValueParseError(
                        "decimal-ambiguous", f"{raw!r} needs a marketplace (group or decimal mark?)"
                    )
                is_decimal = (mark == ",") == decimal_comma
                number = f"{whole}.{frac}" if is_decimal else whole + frac
            else:
                number = f"{whole or '0'}.{frac}" if frac else whole
    else:
        number = text
    try:
        return Decimal(sign + number)
    except InvalidOperation:
        raise ValueParseError("decimal", f"not a number: {raw!r}") from None


def parse_int(raw: str) -> int:
    text = raw.strip()
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueParseError("integer", f"not an integer: {raw!r}")
    return int(text)


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$")
_UTC_SUFFIX = re.compile(r"\s+(UTC|GMT|Z)$", re.IGNORECASE)
_DATE_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d"),
    (re.compile(r"^\d{4}/\d{2}/\d{2}$"), "%Y/%m/%d"),
    (re.compile(r"^\d{2}\.\d{2}\.\d{4}$"), "%d.%m.%Y"),
)
_TIME = r"\d{2}:\d{2}(:\d{2})?"
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(" + _TIME + r"))?$")


def parse_datetime(raw: str, *, marketplace: marketplaces.Marketplace | None = None) -> datetime:
    """UTC datetime from the date formats Amazon flat files use; see module docstring."""
    text = raw.strip()
    if _ISO.match(text):
        return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
    zone_utc = bool(_UTC_SUFFIX.search(text))
    body = _UTC_SUFFIX.sub("", text)
    date_part, _, time_part = body.partition(" ")
    time_part = time_part.strip()
    if time_part and not re.fullmatch(_TIME, time_part):
        raise ValueParseError("datetime", f"unrecognised time in {raw!r}")
    day = None
    for pattern, fmt in _DATE_FORMS:
        if pattern.match(date_part):
            try:
                day = datetime.strptime(date_part, fmt)
            except ValueError:
                raise ValueParseError("datetime", f"impossible date {raw!r}") from None
            break
    if day is None:
        slashed = _SLASHED.match(date_part)
        if not slashed:
            raise ValueParseError("datetime", f"unrecognised date format {raw!r}")
        if marketplace is None:
            raise ValueParseError("datetime-ambiguous", f"{raw!r}: day or month first needs a marketplace")
        a, b, year = (int(g) for g in slashed.group(1, 2, 3))
        month, dom = (a, b) if marketplace.code in MONTH_FIRST_MARKETPLACES else (b, a)
        try:
            day = datetime(year, month, dom)
        except ValueError:
            order = "month-first" if marketplace.code in MONTH_FIRST_MARKETPLACES else "day-first"
            raise ValueParseError(
                "datetime", f"{raw!r} is not a valid {order} date for {marketplace.code}"
            ) from None
    if time_part:
        parts = [int(p) for p in time_part.split(":")]
        day = day + timedelta(hours=parts[0], minutes=parts[1], seconds=parts[2] if len(parts) > 2 else 0)
        if zone_utc:
            return day.replace(tzinfo=UTC)
        if marketplace is None:
            raise ValueParseError(
                "datetime-no-zone", f"{raw!r} has no time zone and no marketplace was given"
            )
        return day.replace(tzinfo=ZoneInfo(marketplace.time_zone)).astimezone(UTC)
    return day.replace(tzinfo=UTC)  # a calendar date: kept as written, midnight UTC


# ---------------------------------------------------------------------- files


def decode(data: bytes | str, encoding: str | None) -> tuple[str, str]:
    """Text and the codec used: a UTF-8 BOM wins, then `encoding`, else strict UTF-8."""
    if isinstance(data, str):
        return data.lstrip("\ufeff"), "str"
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig"), "utf-8-sig"
    codec = normalize_encoding(encoding) if encoding else "utf-8"
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError as exc:
        raise UnicodeDecodeError(
            exc.encoding,
            exc.object,
            exc.start,
            exc.end,
            f"report is not valid {codec}; pass the download's encoding",
        ) from None


def parse_report(
    report_type: str,
    data: bytes | str,
    *,
    marketplace_id: str | None = None,
    encoding: str | None = None,
) -> ParsedReport:
    """Parse a flat-file report into typed rows plus per-row errors.

    Args:
        report_type: selects the known layout; unknown types raise UnknownLayoutError.
        data: the report bytes (or text).
        marketplace_id: id or code; decides decimal comma, day/month order and local time zone.
        encoding: the download's encoding (ReportResult.encoding); UTF-8 when None.

    Returns:
        ParsedReport whose `rows` hold only fully parsed rows and `errors` one entry per bad
        value; a row with any error is left out of `rows` and listed in `bad_rows`.
    """
    layout = LAYOUTS.get(report_type)
    if layout is None:
        raise UnknownLayoutError(report_type, f"unknown report type; known: {', '.join(sorted(LAYOUTS))}")
    market = marketplaces.get(marketplace_id) if marketplace_id else None
    text, codec = decode(data, encoding)
    lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise UnknownLayoutError(report_type, "empty file: no header row")
    header = tuple(h.strip() for h in lines[0].split("\t"))
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise UnknownLayoutError(report_type, f"duplicate columns {dupes}", header=header)
    missing = tuple(c.name for c in layout.columns if c.required and c.name not in header)
    if missing:
        raise UnknownLayoutError(
            report_type,
            f"missing required columns {list(missing)}; header was {list(header)}",
            missing=missing,
            header=header,
        )
    extra = tuple(h for h in header if layout.column(h) is None)
    converters = [_converter(layout.column(h), market) for h in header]

    rows: list[dict[str, Any]] = []
    errors: list[RowError] = []
    bad: list[int] = []
    summary: dict[str, Any] | None = None
    for line_no, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) > len(header) and not any(c.strip() for c in cells[len(header) :]):
            cells = cells[: len(header)]  # trailing empty tabs
        if len(cells) != len(header):
            errors.append(
                RowError(line_no, "*", f"{len(cells)} fields", f"field-count: expected {len(header)}")
            )
            bad.append(line_no)
            continue
        row: dict[str, Any] = {}
        row_errors = []
        for name, cell, convert in zip(header, cells, converters, strict=True):
            value = cell.strip()
            if value == "":
                row[name] = None
                continue
            try:
                row[name] = convert(value)
            except ValueParseError as exc:
                row_errors.append(RowError(line_no, name, cell, str(exc)))
        if layout.summary_row and summary is None and not row_errors:
            if row.get("transaction-type") is None and row.get("settlement-id") is not None:
                summary = row
                continue
            row_errors.append(
                RowError(
                    line_no,
                    "transaction-type",
                    str(row.get("transaction-type")),
                    "settlement-summary: first data row must be the summary row",
                )
            )
        if row_errors:
            errors.extend(row_errors)
            bad.append(line_no)
            if layout.summary_row and summary is None:
                summary = {}  # the summary slot is used up even if it failed
            continue
        rows.append(row)
    return ParsedReport(
        report_type=report_type,
        header=header,
        rows=tuple(rows),
        errors=tuple(errors),
        summary=summary or None,
        encoding=codec,
        extra_columns=extra,
        bad_rows=tuple(bad),
    )


def _converter(column: Column | None, market: marketplaces.Marketplace | None) -> Callable[[str], Any]:
    kind = column.kind if column else "str"
    if kind == "decimal":
        comma = market.decimal_comma if market else None
        return lambda v: parse_decimal(v, decimal_comma=comma)
    if kind == "int":
        return parse_int
    if kind == "datetime":
        return lambda v: parse_datetime(v, marketplace=market)
    return lambda v: v
