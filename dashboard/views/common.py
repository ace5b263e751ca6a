"""What every page shares: its context (exports, filters, language) and display helpers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.data import Exports, Filters, query
from dashboard.i18n import Translator


@dataclass(frozen=True)
class Context:
    exports: Exports
    filters: Filters
    t: Translator

    def _(self, message: str) -> str:
        return self.t.gettext(message)

    def query(self, sql: str, params: Sequence[Any] = (), tables: Sequence[str] = ()) -> pd.DataFrame:
        return query(self.exports, sql, params, tables)

    def rows(self, mart: str, order_by: str, condition: str = "true") -> pd.DataFrame:
        """A mart's rows under the sidebar's filters (the reporting currency where it has one)."""
        currency = "reporting_currency_code"
        where, params = self.filters.where(
            mart, reporting_currency_column=currency if currency in self.exports.columns(mart) else None
        )
        return self.query(
            f"select * from {mart} where ({condition}) and {where} order by {order_by}", params, [mart]
        )


@dataclass(frozen=True)
class Column:
    """A table column: the mart column, its header (a message) and how to show a value."""

    name: str
    header: str
    show: Callable[[pd.Series], Any] | None = None  # row -> display value; default: the value


def show_table(ctx: Context, frame: pd.DataFrame, columns: Sequence[Column], *, key: str) -> None:
    """A table with translated headers and locale-formatted values (data-testid stDataFrame)."""
    def cells(column: Column) -> Any:
        if not len(frame):
            return []
        show = column.show or (lambda row: "—" if _value(row[column.name]) is None else row[column.name])
        return frame.apply(show, axis=1)

    shown = pd.DataFrame({ctx._(c.header): cells(c) for c in columns})
    st.dataframe(shown, hide_index=True, key=key, width="stretch")


def metric(label: str, value: str, *, help_text: str | None = None) -> None:
    st.metric(label, value, help=help_text)


def money_of(ctx: Context, amount_column: str, currency_column: str) -> Callable[[pd.Series], str]:
    return lambda row: ctx.t.money(_value(row[amount_column]), _value(row[currency_column]))


def date_of(ctx: Context, column: str) -> Callable[[pd.Series], str]:
    return lambda row: ctx.t.date(_value(row[column]))


def label_of(ctx: Context, kind: str, column: str) -> Callable[[pd.Series], str]:
    return lambda row: ctx.t.label(kind, _value(row[column]))


def yes_no(ctx: Context, column: str) -> Callable[[pd.Series], str]:
    return lambda row: ctx._("yes") if bool(row[column]) else ctx._("no")


def marketplace_code(marketplace_id: str | None) -> str:
    """The marketplace's country code (US, DE, ...) for marts that carry only its id."""
    from acorn import marketplaces

    if not marketplace_id:
        return "—"
    try:
        return marketplaces.get(marketplace_id).code
    except marketplaces.UnknownMarketplaceError:
        return marketplace_id


def _value(value: Any) -> Any:
    """pandas' missing values as None; Timestamps as datetimes."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value
