"""Exceptions raised by the SP-API client.

Every error names the operation, marketplace, HTTP status, Amazon's error code
and message, and the x-amzn-RequestId, so a failed task log is enough to open
a support case. Messages never carry tokens, secrets or URLs with signatures.
"""

from __future__ import annotations


class SpApiError(Exception):
    """An SP-API call failed (after retries, if the failure was retryable)."""

    def __init__(
        self,
        operation: str,
        *,
        marketplace_id: str | None = None,
        status: int | None = None,
        code: str | None = None,
        message: str | None = None,
        details: str | None = None,
        request_id: str | None = None,
        attempts: int = 1,
        reason: str | None = None,
    ) -> None:
        self.operation = operation
        self.marketplace_id = marketplace_id
        self.status = status
        self.code = code
        self.error_message = message
        self.details = details
        self.request_id = request_id
        self.attempts = attempts
        self.reason = reason
        super().__init__(self._render())

    def _render(self) -> str:
        head = f"SP-API {self.operation} failed"
        if self.reason:
            head += f" ({self.reason})"
        parts = [
            f"marketplace={self.marketplace_id or '-'}",
            f"status={self.status if self.status is not None else '-'}",
            f"code={self.code or '-'}",
            f"message={self.error_message or '-'}",
        ]
        if self.details:
            parts.append(f"details={self.details}")
        parts.append(f"request_id={self.request_id or '-'}")
        parts.append(f"attempts={self.attempts}")
        return f"{head}: " + ", ".join(parts)


class RetriesExhaustedError(SpApiError):
    """A retryable failure (429, 5xx, timeout, reset) persisted through every attempt."""


class PageTokenExpiredError(SpApiError):
    """Amazon rejected a NextToken/nextToken as expired; the window slice must restart."""


class ReportFatalError(SpApiError):
    """A report ended FATAL. `fatal_reason` holds Amazon's explanation when it sent one."""

    def __init__(
        self,
        operation: str,
        *,
        report_id: str,
        report_type: str | None,
        fatal_reason: str | None,
        **kwargs: object,
    ) -> None:
        self.report_id = report_id
        self.report_type = report_type
        self.fatal_reason = fatal_reason
        reason = f"report {report_id} ({report_type or '?'}) ended FATAL: {fatal_reason or 'no reason given'}"
        super().__init__(operation, reason=reason, **kwargs)  # type: ignore[arg-type]


class ReportTimeoutError(SpApiError):
    """A report stayed IN_QUEUE/IN_PROGRESS longer than the caller allowed."""


class WrongRegionError(ValueError):
    """The client's credentials belong to another region than the marketplace asked for."""


class CredentialsError(RuntimeError):
    """The Airflow connection is missing or incomplete."""


class MissingRoleError(SpApiError):
    """403 that is not an expired token: the app lacks the role Amazon requires for `operation`.

    Contract shared with the client work on roles (issue 12 §7); `role` is e.g.
    "Finance and Accounting".
    """

    def __init__(self, operation: str, *, role: str, **kwargs: object) -> None:
        self.role = role
        kwargs.setdefault("reason", f"the app lacks the {role!r} role")
        super().__init__(operation, **kwargs)  # type: ignore[arg-type]


class ConfigurationError(ValueError):
    """A malformed connection (raised by `load_credentials`)."""
