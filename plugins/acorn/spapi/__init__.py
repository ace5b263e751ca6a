"""Amazon Selling Partner API client: credentials, LWA, pacing, retries, paging, reports, flat files."""

from __future__ import annotations

from acorn.spapi.audit import AuditLog
from acorn.spapi.client import SpApiClient
from acorn.spapi.credentials import SpApiCredentials, discover_connections, load_credentials
from acorn.spapi.documents import ReportResult
from acorn.spapi.errors import (
    ConfigurationError,
    CredentialsError,
    MissingRoleError,
    PageTokenExpiredError,
    ReportFatalError,
    RetriesExhaustedError,
    SpApiError,
    WrongRegionError,
)
from acorn.spapi.flatfile import ParsedReport, RowError, UnknownLayoutError, parse_report
from acorn.spapi.pages import Page

__all__ = [
    "AuditLog",
    "ConfigurationError",
    "CredentialsError",
    "MissingRoleError",
    "Page",
    "PageTokenExpiredError",
    "ParsedReport",
    "ReportFatalError",
    "ReportResult",
    "RetriesExhaustedError",
    "RowError",
    "SpApiClient",
    "SpApiCredentials",
    "SpApiError",
    "UnknownLayoutError",
    "WrongRegionError",
    "discover_connections",
    "load_credentials",
    "parse_report",
]
