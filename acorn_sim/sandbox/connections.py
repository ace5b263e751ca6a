"""Airflow connection JSON for the sandbox's fake sellers (sandbox-only credentials)."""

from __future__ import annotations

import json

from acorn import marketplaces
from acorn_sim.world.interface import World


def conn_id(region: str, seller_index: int) -> str:
    """spapi_na for the first seller, spapi_na_2 for the second, and so on."""
    return f"spapi_{region}" if seller_index == 0 else f"spapi_{region}_{seller_index + 1}"


def sandbox_connections(handle: object, world: World) -> dict[str, str]:
    """Env var name (AIRFLOW_CONN_SPAPI_NA, ...) -> Airflow JSON connection, one per seller-region.

    Args:
        handle: a `SandboxHandle` (anything with ``url`` and ``lwa_endpoint``).
        world: the world the sandbox serves.

    Returns:
        A dict ready for ``os.environ.update``. The values hold secrets (fake
        ones, but the pipeline must treat them as real): never log them.
    """
    url = str(getattr(handle, "url"))  # noqa: B009 - duck-typed on purpose
    lwa = str(getattr(handle, "lwa_endpoint", url + "/auth/o2/token"))
    # Poll reports a few times per (scaled) processing time instead of Amazon's 15 s.
    app_config = getattr(getattr(handle, "app", None), "config", None)
    poll_seconds = (
        max(0.01, app_config.report_processing_seconds / app_config.effective_clock_speed / 6)
        if app_config is not None
        else None
    )
    out: dict[str, str] = {}
    for index, seller in enumerate(world.sellers()):
        for cred in seller.credentials:
            ids = [m for m in seller.marketplace_ids if marketplaces.region_of(m) == cred.region]
            conn = {
                "conn_type": "http",
                "host": url,
                "login": cred.client_id,
                "password": cred.client_secret,
                "extra": {
                    "refresh_token": cred.refresh_token,
                    "lwa_endpoint": lwa,
                    "selling_partner_id": seller.selling_partner_id,
                    "marketplace_ids": ids,
                    "region": cred.region,
                    **({"report_poll_seconds": poll_seconds} if poll_seconds else {}),
                },
            }
            out["AIRFLOW_CONN_" + conn_id(cred.region, index).upper()] = json.dumps(conn)
    return out
