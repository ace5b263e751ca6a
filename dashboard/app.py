"""ACORN-i's morning dashboard (`make dashboard`): the marts, in English or 简体中文.

Reads the nightly exports only (dashboard.data), so it never holds a lock on the
warehouse. The language is in the URL (`?lang=zh_Hans`), so a link opens the page in
the language it was shared in.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run dashboard/app.py` puts dashboard/ on the path, not the repository.
_ROOT = Path(__file__).resolve().parents[1]
for _path in (_ROOT, _ROOT / "plugins"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from dashboard.data import ExportsMissingError, Filters, filter_options, load_exports  # noqa: E402
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator  # noqa: E402
from dashboard.views import PAGES  # noqa: E402
from dashboard.views.common import Context, marketplace_code  # noqa: E402


def exports_dir() -> Path:
    from acorn.config import load_settings

    return load_settings().exports_dir


def choose_language() -> Translator:
    requested = st.query_params.get("lang", DEFAULT_LANGUAGE)
    codes = list(LANGUAGES)
    current = requested if requested in LANGUAGES else DEFAULT_LANGUAGE
    chosen = st.sidebar.radio(
        "Language / 语言", codes, index=codes.index(current), format_func=lambda c: LANGUAGES[c].name,
        horizontal=True, key="language",
    )  # fmt: skip
    if chosen != requested:
        st.query_params["lang"] = chosen
    return Translator(chosen)


def choose_filters(t: Translator, options: dict) -> Filters:
    _ = t.gettext
    sidebar = st.sidebar
    sidebar.subheader(_("Filters"))
    sellers = sidebar.multiselect(_("Seller"), options["sellers"], key="filter_sellers", placeholder=_("All"))
    codes = {m: marketplace_code(m) for m in options["marketplaces"]}
    chosen_marketplaces = sidebar.multiselect(
        _("Marketplace"), options["marketplaces"], format_func=codes.get, key="filter_marketplaces",
        placeholder=_("All"),
    )  # fmt: skip
    first, last = options["first_date"], options["last_date"]
    period = sidebar.date_input(_("Period"), value=(first, last), key="filter_period",
                                format="YYYY-MM-DD") if first and last else ()  # fmt: skip
    start, end = (tuple(period) + (None, None))[:2] if isinstance(period, (tuple, list)) else (period, None)
    currencies = options["reporting_currencies"]
    currency = sidebar.selectbox(_("Reporting currency"), currencies, key="filter_currency",
                                 help=_("The currency the marts convert into (dbt var reporting_currency)."),
                                 ) if currencies else None  # fmt: skip
    return Filters(tuple(sellers), tuple(chosen_marketplaces), start, end, currency)


def main() -> None:
    st.set_page_config(page_title="ACORN-i", page_icon=":material/savings:", layout="wide")
    t = choose_language()
    _ = t.gettext
    try:
        exports = load_exports(exports_dir())
    except ExportsMissingError as missing:
        st.title("ACORN-i")
        st.warning(_("No exports yet: run `make demo` or the nightly pipeline first ({path}).").format(
            path=missing))  # fmt: skip
        return
    st.sidebar.caption(_("Data as of {when}").format(when=t.datetime(exports.built_at)))
    filters = choose_filters(t, filter_options(exports))
    context = Context(exports, filters, t)
    # The first page is the default one, served at the root URL.
    pages = [st.Page(_page(spec, context), title=_(spec.title), icon=spec.icon, url_path=spec.url_path,
                     default=spec is PAGES[0]) for spec in PAGES]  # fmt: skip
    st.navigation(pages).run()


def _page(spec, context: Context):
    def page() -> None:
        spec.module.render(context)

    page.__name__ = spec.url_path.replace("-", "_")
    return page


main()
