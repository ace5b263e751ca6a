"""SP-API credentials from Airflow connections (one per seller and region).

Connection fields: login = LWA client id, password = client secret, host = the
regional endpoint (a full URL, or a bare host plus conn_type/schema/port),
extra = refresh_token, lwa_endpoint, selling_partner_id, marketplace_ids,
report_poll_seconds, optional region, optional pii_role (true/false: whether the
app holds Amazon's restricted PII role; unset: ask for buyer data and fall back).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from acorn import marketplaces
from acorn.spapi.errors import ConfigurationError, CredentialsError

log = logging.getLogger(__name__)

REGION_CONN_IDS: tuple[str, ...] = ("spapi_na", "spapi_eu", "spapi_fe")
DEFAULT_REPORT_POLL_SECONDS = 15.0


class ConnectionLike(Protocol):
    conn_id: str | None
    conn_type: str | None
    host: str | None
    schema: str | None
    login: str | None
    password: str | None
    port: int | None

    @property
    def extra_dejson(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class SpApiCredentials:
    """Everything needed to call one region for one seller. Secrets stay out of repr."""

    conn_id: str
    region: str  # na | eu | fe
    endpoint: str  # base URL, no trailing slash
    client_id: str = field(repr=False)
    client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)
    lwa_endpoint: str = marketplaces.LWA_TOKEN_ENDPOINT
    selling_partner_id: str | None = None
    marketplace_ids: tuple[str, ...] = ()
    report_poll_seconds: float = DEFAULT_REPORT_POLL_SECONDS
    # extra.pii_role: True the app holds the restricted PII role; False never ask for buyer
    # data; None (unset) ask and fall back when Amazon refuses the Restricted Data Token.
    has_pii_role: bool | None = None

    @property
    def partner_key(self) -> str:
        """Key for rate-limit buckets: Amazon meters per selling partner."""
        return self.selling_partner_id or f"{self.conn_id}:{self.region}"

    @classmethod
    def from_connection(cls, conn: ConnectionLike, conn_id: str | None = None) -> SpApiCredentials:
        conn_id = conn_id or getattr(conn, "conn_id", None) or "spapi"
        extra = dict(conn.extra_dejson or {})
        missing = [
            name
            for name, value in (
                ("login", conn.login),
                ("password", conn.password),
                ("extra.refresh_token", extra.get("refresh_token")),
            )
            if not value
        ]
        if missing:
            raise CredentialsError(f"connection {conn_id!r} lacks {', '.join(missing)}")
        mids = _marketplace_ids(extra.get("marketplace_ids"))
        region = _region(conn_id, extra, conn.host, mids)
        for mid in mids:
            if marketplaces.region_of(mid) != region:
                raise CredentialsError(
                    f"connection {conn_id!r} is for region {region} but lists marketplace {mid} "
                    f"({marketplaces.region_of(mid)})"
                )
        endpoint = _endpoint(conn, region)
        return cls(
            conn_id=conn_id,
            region=region,
            endpoint=endpoint,
            client_id=str(conn.login),
            client_secret=str(conn.password),
            refresh_token=str(extra["refresh_token"]),
            lwa_endpoint=str(extra.get("lwa_endpoint") or marketplaces.LWA_TOKEN_ENDPOINT),
            selling_partner_id=extra.get("selling_partner_id") or None,
            marketplace_ids=mids,
            report_poll_seconds=float(extra.get("report_poll_seconds") or DEFAULT_REPORT_POLL_SECONDS),
            has_pii_role=_pii_role(conn_id, extra.get("pii_role")),
        )


def _pii_role(conn_id: str, value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise ConfigurationError(f"connection {conn_id!r}: extra.pii_role must be true or false, not {value!r}")


def _marketplace_ids(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        items = [v.strip() for v in value.split(",")]
    else:
        items = [str(v).strip() for v in value]
    # Accept country codes too, store ids.
    return tuple(marketplaces.get(v).marketplace_id for v in items if v)


def _region(conn_id: str, extra: Mapping[str, Any], host: str | None, mids: tuple[str, ...]) -> str:
    if extra.get("region"):
        region = str(extra["region"]).lower()
    elif conn_id.lower().split("_")[1:2] and conn_id.lower().split("_")[1] in marketplaces.REGION_HOSTS:
        region = conn_id.lower().split("_")[1]  # spapi_na, spapi_eu_2, ...
    elif host and any(f"sellingpartnerapi-{r}." in host for r in marketplaces.REGION_HOSTS):
        region = next(r for r in marketplaces.REGION_HOSTS if f"sellingpartnerapi-{r}." in host)
    elif mids:
        region = marketplaces.region_of(mids[0])
    else:
        raise CredentialsError(f"cannot tell the region of connection {conn_id!r}; set extra.region")
    if region not in marketplaces.REGION_HOSTS:
        raise CredentialsError(f"connection {conn_id!r}: unknown region {region!r}")
    return region


def _endpoint(conn: ConnectionLike, region: str) -> str:
    host = (conn.host or "").strip()
    if not host:
        return marketplaces.REGION_HOSTS[region]
    if "://" in host:
        parts = urlsplit(host)
        netloc = parts.netloc
        if conn.port and not parts.port:
            netloc = f"{netloc}:{conn.port}"
        return f"{parts.scheme}://{netloc}{parts.path}".rstrip("/")
    # Bare host: the scheme comes from schema or conn_type when they name one, else https.
    scheme = next(
        (s.lower() for s in (conn.schema, conn.conn_type) if s and s.lower() in ("http", "https")), "https"
    )
    port = f":{conn.port}" if conn.port else ""
    return f"{scheme}://{host.rstrip('/')}{port}"


def _get_connection(conn_id: str) -> ConnectionLike | None:
    """Fetch a connection through the Airflow 3 task SDK, else parse AIRFLOW_CONN_<ID> ourselves.

    The SDK path works inside a task (supervisor comms) and, in Airflow 3.3,
    also in plain scripts via its environment-variables backend. If it is
    unusable (no Airflow, odd runtime), we fall back to the env var.
    """
    try:
        from airflow.sdk import BaseHook
        from airflow.sdk.exceptions import AirflowNotFoundException
    except ImportError:  # pragma: no cover - Airflow is a dependency, but scripts may run without it
        return _connection_from_env(conn_id)
    try:
        return BaseHook.get_connection(conn_id)
    except AirflowNotFoundException:
        return _connection_from_env(conn_id)
    except Exception as exc:  # no task context / secrets backend trouble: env var is our contract
        log.debug("task-sdk connection lookup for %s failed (%s); trying env", conn_id, type(exc).__name__)
        return _connection_from_env(conn_id)


def _connection_from_env(conn_id: str) -> ConnectionLike | None:
    raw = os.environ.get(f"AIRFLOW_CONN_{conn_id.upper()}")
    if not raw:
        return None
    try:
        from airflow.sdk.definitions.connection import Connection
    except ImportError:  # pragma: no cover
        return _PlainConnection.parse(conn_id, raw)
    if raw.lstrip().startswith("{"):
        return Connection.from_json(raw, conn_id=conn_id)
    return Connection.from_uri(raw, conn_id=conn_id)


@dataclass(frozen=True)
class _PlainConnection:
    """JSON-form connection when Airflow is not importable (scripts outside the venv)."""

    conn_id: str
    conn_type: str | None = None
    host: str | None = None
    schema: str | None = None
    login: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    port: int | None = None
    extra: Any = field(default=None, repr=False)

    @property
    def extra_dejson(self) -> dict[str, Any]:
        if isinstance(self.extra, str):
            return json.loads(self.extra) if self.extra else {}
        return dict(self.extra or {})

    @classmethod
    def parse(cls, conn_id: str, raw: str) -> _PlainConnection:
        data = json.loads(raw)
        port = data.get("port")
        return cls(
            conn_id=conn_id,
            conn_type=data.get("conn_type"),
            host=data.get("host"),
            schema=data.get("schema"),
            login=data.get("login"),
            password=data.get("password"),
            port=int(port) if port else None,
            extra=data.get("extra"),
        )


def load_credentials(conn_id: str) -> SpApiCredentials:
    """Credentials for one `spapi_*` connection, inside an Airflow task or a plain script."""
    conn = _get_connection(conn_id)
    if conn is None:
        raise CredentialsError(
            f"Airflow connection {conn_id!r} is not defined (set AIRFLOW_CONN_{conn_id.upper()})"
        )
    return SpApiCredentials.from_connection(conn, conn_id=conn_id)


def discover_connections(conn_ids: tuple[str, ...] = REGION_CONN_IDS) -> tuple[str, ...]:
    """The spapi_* connection ids (of na/eu/fe by default) that are defined."""
    return tuple(conn_id for conn_id in conn_ids if _get_connection(conn_id) is not None)
