"""`python -m dashboard.catalogues`: extract the dashboard's messages and update both catalogues.

New messages enter every catalogue with an empty translation (the i18n test fails
until someone translates them); messages no longer in the code are dropped.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from dashboard.i18n import DOMAIN, LANGUAGES, catalogue_path

DASHBOARD_DIR = Path(__file__).resolve().parent
# `_()`/`gettext()` calls, `N_()` marks and table column headers: Column(name, header).
_FIXED_DATE = datetime(2026, 12, 1, tzinfo=UTC)
KEYWORDS = {"_": None, "gettext": None, "N_": None, "Column": (2,)}


def extract_messages() -> set[str]:
    """Every message id the dashboard's code uses."""
    found = extract_from_dir(str(DASHBOARD_DIR), method_map=[("**.py", "python")], keywords=KEYWORDS,
                             comment_tags=(), strip_comment_tags=True)  # fmt: skip
    return {message for _file, _line, message, _comments, _context in found if isinstance(message, str)}


def update_catalogues(seed: dict[str, dict[str, str]] | None = None) -> None:
    messages = sorted(extract_messages())
    for language, spec in LANGUAGES.items():
        path = catalogue_path(language)
        known: dict[str, str] = {}
        if path.exists():
            with path.open("rb") as po:
                known = {m.id: m.string for m in read_po(po) if m.id and not m.fuzzy}
        known.update((seed or {}).get(language, {}))
        # A fixed header: re-running on unchanged code rewrites the same bytes.
        catalog = Catalog(locale=spec.babel_locale, domain=DOMAIN, project="ACORN-i dashboard",
                          version="1", charset="utf-8", fuzzy=False, creation_date=_FIXED_DATE,
                          revision_date=_FIXED_DATE, last_translator="ACORN-i",
                          language_team=spec.name,
                          header_comment=f"# ACORN-i dashboard messages: {spec.name}.")  # fmt: skip
        for message in messages:
            catalog.add(message, known.get(message, message if language == "en" else ""))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as po:
            write_po(po, catalog, width=0, omit_header=False, no_location=True, sort_output=True)


if __name__ == "__main__":
    update_catalogues()
