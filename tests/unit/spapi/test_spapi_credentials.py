from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from acorn.spapi import (
    ConfigurationError,
    CredentialsError,
    SpApiCredentials,
    discover_connections,
    load_credentials,
)

pytestmark = pytest.mark.unit


def _conn(**kw):
    base = dict(
        conn_id="spapi_eu",
        conn_type="http",
        host="http://127.0.0.1:8123",
        schema=None,
        port=None,
        login="cid",
        password="topsecret-value",
        extra_dejson={"refresh_token": "Atzr|refresh-secret", "marketplace_ids": "DE, A13V1IB3VIYZZH"},
    )
    base.update(kw)
    return SimpleNamespace(**base)


def test_from_connection_full_url_and_marketplaces():
    creds = SpApiCredentials.from_connection(_conn())
    assert creds.endpoint == "http://127.0.0.1:8123"
    assert creds.region == "eu"
    assert creds.marketplace_ids == ("A1PA6795UKMFR9", "A13V1IB3VIYZZH")
    assert creds.lwa_endpoint == "https://api.amazon.com/auth/o2/token"
    assert creds.report_poll_seconds == 15


@pytest.mark.parametrize(
    ("host", "conn_type", "schema", "port", "expected"),
    [
        ("127.0.0.1", "http", None, 8123, "http://127.0.0.1:8123"),
        ("127.0.0.1", "generic", "http", 9000, "http://127.0.0.1:9000"),
        ("sellingpartnerapi-eu.amazon.com", "spapi", None, None, "https://sellingpartnerapi-eu.amazon.com"),
        ("http://127.0.0.1/", "http", None, 8123, "http://127.0.0.1:8123"),
        (None, None, None, None, "https://sellingpartnerapi-eu.amazon.com"),
    ],
    ids=["bare-http-port", "schema-http", "bare-https", "url-plus-port", "default-host"],
)
def test_endpoint_forms(host, conn_type, schema, port, expected):
    creds = SpApiCredentials.from_connection(_conn(host=host, conn_type=conn_type, schema=schema, port=port))
    assert creds.endpoint == expected


def test_repr_hides_secrets():
    text = repr(SpApiCredentials.from_connection(_conn()))
    assert "topsecret-value" not in text and "refresh-secret" not in text and "cid" not in text


def test_marketplace_of_other_region_rejected():
    with pytest.raises(CredentialsError, match="ATVPDKIKX0DER"):
        SpApiCredentials.from_connection(
            _conn(extra_dejson={"refresh_token": "x", "marketplace_ids": ["US"]})
        )


def test_missing_refresh_token():
    with pytest.raises(CredentialsError, match="refresh_token"):
        SpApiCredentials.from_connection(_conn(extra_dejson={}))


def test_load_and_discover_from_env(monkeypatch):
    for region in ("NA", "EU", "FE"):
        monkeypatch.delenv(f"AIRFLOW_CONN_SPAPI_{region}", raising=False)
    monkeypatch.setenv(
        "AIRFLOW_CONN_SPAPI_FE",
        json.dumps(
            {
                "conn_type": "http",
                "host": "http://127.0.0.1:8124",
                "login": "fe-client",
                "password": "fe-secret-1",
                "extra": {
                    "refresh_token": "Atzr|fe",
                    "marketplace_ids": ["A1VC38T7YXB528"],
                    "report_poll_seconds": 2,
                    "selling_partner_id": "A3FE",
                },
            }
        ),
    )
    creds = load_credentials("spapi_fe")
    assert (creds.region, creds.endpoint, creds.client_id, creds.selling_partner_id) == (
        "fe",
        "http://127.0.0.1:8124",
        "fe-client",
        "A3FE",
    )
    assert creds.report_poll_seconds == 2
    assert discover_connections() == ("spapi_fe",)
    with pytest.raises(CredentialsError, match="spapi_na"):
        load_credentials("spapi_na")


def test_load_from_uri_form(monkeypatch):
    monkeypatch.setenv(
        "AIRFLOW_CONN_SPAPI_NA",
        "http://cid:s3cr%2Fet@127.0.0.1:8123?refresh_token=Atzr%7Cabc&marketplace_ids=US%2CCA",
    )
    creds = load_credentials("spapi_na")
    assert (creds.endpoint, creds.client_secret, creds.refresh_token) == (
        "http://127.0.0.1:8123",
        "s3cr/et",
        "Atzr|abc",
    )
    assert creds.marketplace_ids == ("ATVPDKIKX0DER", "A2EUQ1WTGCTBG2")


# ------------------------------------------------------------------ malformed connections, pii_role


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"login": None}, "login"),
        ({"password": ""}, "password"),
        ({"extra_dejson": {"marketplace_ids": ["DE"]}}, "extra.refresh_token"),
        ({"extra_dejson": {"refresh_token": "Atzr|refresh-secret", "marketplace_ids": ["XX"]}}, "extra.marketplace_ids"),
        ({"extra_dejson": {"refresh_token": "Atzr|refresh-secret", "marketplace_ids": 7}}, "extra.marketplace_ids"),
        ({"extra_dejson": {"refresh_token": "Atzr|refresh-secret", "region": "mars"}}, "extra.region"),
        ({"extra_dejson": {"refresh_token": "Atzr|refresh-secret", "pii_role": "maybe"}}, "extra.pii_role"),
        ({"extra_dejson": {"refresh_token": "Atzr|refresh-secret", "report_poll_seconds": "soon"}}, "extra.report_poll_seconds"),
        ({"extra": "{not json, Atzr|refresh-secret", "extra_dejson": {}}, "extra"),
        ({"extra": "[1, 2]", "extra_dejson": {}}, "extra"),
    ],
    ids=["no-login", "no-password", "no-refresh-token", "unknown-marketplace", "marketplaces-not-a-list",
         "unknown-region", "pii-role-not-bool", "poll-not-a-number", "extra-not-json", "extra-not-object"],
)  # fmt: skip
def test_malformed_connection_is_a_configuration_error(changes, field):
    with pytest.raises(ConfigurationError) as info:
        SpApiCredentials.from_connection(_conn(**changes))
    err = info.value
    assert isinstance(err, ValueError)
    assert (err.conn_id, err.field) == ("spapi_eu", field)
    assert "spapi_eu" in str(err) and field in str(err)
    for secret in ("topsecret-value", "refresh-secret"):
        assert secret not in str(err)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), (True, True), (False, False), ("true", True), ("false", False), ("0", False), ("", None)],
)
def test_pii_role_flag(value, expected):
    extra = {"refresh_token": "x", "marketplace_ids": "DE"}
    if value is not None:
        extra["pii_role"] = value
    assert SpApiCredentials.from_connection(_conn(extra_dejson=extra)).has_pii_role is expected


def test_unparseable_connection_env_var_names_the_variable_only(monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_SPAPI_NA", '{"login": "cid", "password": "topsecret-value", ')
    with pytest.raises(ConfigurationError, match="AIRFLOW_CONN_SPAPI_NA") as info:
        load_credentials("spapi_na")
    assert "topsecret-value" not in str(info.value)


def test_undefined_connection_is_a_configuration_error(monkeypatch):
    monkeypatch.delenv("AIRFLOW_CONN_SPAPI_NA", raising=False)
    with pytest.raises(ConfigurationError, match="spapi_na"):
        load_credentials("spapi_na")
