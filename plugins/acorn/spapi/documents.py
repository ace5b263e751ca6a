"""Report documents: results, gzip and character sets.

Amazon does not always send a charset with report downloads (models #3025):
like python-amazon-sp-api we fall back to ISO-8859-1 and map Windows-31J /
Shift_JIS to cp932, Python's name for the Microsoft variant Amazon JP uses.
"""

from __future__ import annotations

import codecs
import gzip
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import Message
from typing import NamedTuple

GZIP_MAGIC = b"\x1f\x8b"
FALLBACK_ENCODING = "iso-8859-1"
_ALIASES = {
    "windows-31j": "cp932", "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932",
    "x-sjis": "cp932", "ms932": "cp932", "cp932": "cp932",
    "latin-1": "iso-8859-1", "latin1": "iso-8859-1", "iso8859-1": "iso-8859-1",
}  # fmt: skip


def normalize_encoding(name: str) -> str:
    """Python codec name for a charset label; raises LookupError for unknown ones."""
    key = name.strip().strip('"').lower()
    resolved = _ALIASES.get(key, key)
    codecs.lookup(resolved)
    return resolved


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    msg = Message()
    msg["content-type"] = content_type
    charset = msg.get_param("charset")
    return str(charset) if charset else None


# Without a charset, JP reports are Windows-31J (cp932) far more often than Latin-1.
MARKETPLACE_DEFAULT_ENCODINGS = {"A1VC38T7YXB528": "cp932"}


def resolve_encoding(content_type: str | None, content: bytes, marketplace_ids: Sequence[str] = ()) -> str:
    """The response's charset when sent (BOM wins); else strict UTF-8 if the bytes are
    valid UTF-8; else the marketplace's usual encoding (cp932 for JP); else ISO-8859-1.

    The same bytes must always decode the same way, whether or not a given download
    carried a charset: otherwise a rerun lands a differently decoded record.
    """
    if content.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    declared = charset_from_content_type(content_type)
    if declared:
        try:
            resolved = normalize_encoding(declared)
        except LookupError:
            return FALLBACK_ENCODING
        return "utf-8-sig" if resolved in ("utf-8", "utf8") else resolved
    try:
        content.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    for marketplace_id in marketplace_ids:
        default = MARKETPLACE_DEFAULT_ENCODINGS.get(marketplace_id)
        if default:
            try:
                content.decode(default)
                return default
            except UnicodeDecodeError:
                break
    return FALLBACK_ENCODING


def maybe_gunzip(content: bytes, compression: str | None) -> bytes:
    """Gunzip when the document says GZIP; tolerate a transport that already decoded it."""
    if (compression or "").upper() == "GZIP" and content.startswith(GZIP_MAGIC):
        return gzip.decompress(content)
    return content


class DownloadedDocument(NamedTuple):
    """A NamedTuple (immutable) so callers can write `content, encoding = ...`."""

    content: bytes  # decompressed, still encoded
    encoding: str  # Python codec name to decode `content` with

    def text(self) -> str:
        return self.content.decode(self.encoding)


@dataclass(frozen=True)
class ReportResult:
    """Outcome of a report: DONE with content, or CANCELLED (no data) with content None."""

    report_id: str
    status: str  # DONE | CANCELLED
    content: bytes | None
    encoding: str | None
    report_type: str | None = None
    report_document_id: str | None = None

    def text(self) -> str | None:
        if self.content is None:
            return None
        return self.content.decode(self.encoding or FALLBACK_ENCODING)
