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

    def answer(self) -> dict[str, object]:
        """What Amazon answered, as keyword arguments for an error that re-raises it as another kind."""
        return {
            "marketplace_id": self.marketplace_id,
            "status": self.status,
            "code": self.code,
            "message": self.error_message,
            "details": self.details,
            "request_id": self.request_id,
            "attempts": self.attempts,
        }

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


class MissingRoleError(SpApiError):
    """Amazon denied an operation (403 Unauthorized) because the app lacks an SP-API role.

    Retrying cannot help: the seller (or the developer profile) must add `role`
    to the app and authorise it again. `role` comes from `acorn.spapi.roles`.
    """

    def __init__(self, operation: str, *, role: str, **kwargs: object) -> None:
        self.role = role
        reason = (
            f"access denied: {operation} needs the SP-API role {role!r}, which this app does not hold; "
            "add the role to the app and have the seller authorise it again"
        )
        super().__init__(operation, reason=reason, **kwargs)  # type: ignore[arg-type]


class WrongRegionError(ValueError):
    """The client's credentials belong to another region than the marketplace asked for."""


class ConfigurationError(ValueError):
    """A connection or setting is malformed: fail once, at planning time; retrying cannot help.

    The message names the connection id and the field, never a secret value.
    """

    def __init__(self, message: str, *, conn_id: str | None = None, field: str | None = None) -> None:
        self.conn_id = conn_id
        self.field = field
        super().__init__(message)


class CredentialsError(ConfigurationError):
    """The Airflow connection is missing or incomplete (a `ConfigurationError`)."""
