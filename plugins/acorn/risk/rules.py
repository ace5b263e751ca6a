"""The transparent rules layer: a declared table of rules over the return-risk features.

Each rule has a reason code from the contract's fixed vocabulary, a weight (how likely a
return is fraud when the rule fires fully, on its own) and a strength function, vectorised
over a feature DataFrame, giving 0 (not fired) .. 1 (fully fired) per row. A rule's
contribution is weight x strength. Rules measuring the same thing share a group (the
three return-rate rules all say "this buyer returns most of what it buys"); a group counts
once, with its largest contribution, and the groups combine as a noisy-OR,

    rules_score = 1 - prod_g (1 - max_{i in g} weight_i * strength_i)       (in [0, 1])

so independent pieces of evidence add up without ever exceeding 1, correlated ones are not
counted twice, and one strong rule is enough. Reason codes are the fired rules ordered by
contribution (ties in table order).

Rules read the columns of intermediate.int_return_risk_features (event-time, no look-ahead)
and, where the pipeline adds them, the buyer's history as of the build (`asof_*` columns
from int_buyer_risk_features): the seller knows the whole history when it looks at a
return, so the fourth return of a serial returner also marks the first three.

Buyer-count rules trust a buyer key by its kind: an email hash is one buyer account; a
postal-area key (no PII role) lumps the buyers of a postal area together, so its counts are
weaker evidence (`AREA_KEY_DISCOUNT`); an order key is one order and says nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

RETURN = "return"  # evidence about this return itself
HISTORY = "history"  # evidence about the buyer's / address's / area's history

# The contract's reason-code vocabulary (RISK_CONTRACT.md, part B).
REASON_CODES = (
    "empty_or_wrong_item", "used_and_late_in_window", "late_in_window", "reason_contradicts_condition",
    "refund_without_return", "repeated_returnless_refunds", "many_returns_90d", "high_return_rate",
    "return_rate_above_sku_norm", "shared_address_many_buyers", "address_many_returns",
    "high_refund_value_share", "model_pattern", "area_return_rate_high",
)  # fmt: skip
MAX_REASONS = 3
AREA_KEY_DISCOUNT = 0.5


@dataclass(frozen=True)
class Rule:
    code: str
    weight: float
    family: str
    strength: Callable[[pd.DataFrame], np.ndarray]
    group: str = ""  # rules of one group count once (their largest contribution); default: the name
    name: str = ""  # unique id when two rules give the same reason code; default: the code

    @property
    def id(self) -> str:
        return self.name or self.code

    @property
    def group_name(self) -> str:
        return self.group or self.id


def _num(df: pd.DataFrame, column: str, default: float = 0.0) -> np.ndarray:
    if column not in df.columns:
        return np.full(len(df), default, dtype=float)
    return df[column].astype(float).fillna(default).to_numpy()


def _flag(df: pd.DataFrame, column: str) -> np.ndarray:
    if column not in df.columns:
        return np.zeros(len(df), dtype=bool)
    return df[column].fillna(False).astype(bool).to_numpy()


def _at_least(values: np.ndarray, low: float, full: float) -> np.ndarray:
    """0 below `low`, then a linear ramp from 0.5 at `low` to 1 at `full`."""
    ramp = 0.5 + 0.5 * np.clip((values - low) / max(full - low, 1e-9), 0.0, 1.0)
    return np.where(values >= low, ramp, 0.0)


def _key_trust(df: pd.DataFrame) -> np.ndarray:
    """How far a buyer key's counts are one buyer's: email 1, postal area AREA_KEY_DISCOUNT, order 0."""
    if "buyer_key_kind" not in df.columns:
        return np.ones(len(df))
    kind = df["buyer_key_kind"].astype(str).to_numpy()
    return np.select([kind == "buyer_email", kind == "postal_area"], [1.0, AREA_KEY_DISCOUNT], 0.0)


def _count_trust(df: pd.DataFrame) -> np.ndarray:
    """`_key_trust` for a count rule: a postal area that also returns at least half of what it
    orders is trusted fully (a busy area of many honest buyers has many returns but a low rate;
    one person behind the key has both)."""
    trust = _key_trust(df)
    area = trust == AREA_KEY_DISCOUNT
    asof_rate = _num(df, "asof_return_count") / np.maximum(_num(df, "asof_order_count"), 1.0)
    rate = np.maximum(_num(df, "buyer_return_rate"), asof_rate)
    return np.where(area & (rate >= 0.5), 1.0, trust)


def _either(df: pd.DataFrame, event_column: str, asof_column: str) -> np.ndarray:
    """The larger of the event-time count and the as-of count (when the pipeline joined one)."""
    return np.maximum(_num(df, event_column), _num(df, asof_column))


def _empty_or_wrong_item(df: pd.DataFrame) -> np.ndarray:
    # Amazon's fulfilment centre opened the returned box and found it empty or holding
    # another item: the only confirmed outcome a seller gets, so the strongest rule.
    return _flag(df, "is_empty_or_wrong_item").astype(float)


LATE_MARGIN_DAYS = 5.0


def _used_and_late(df: pd.DataFrame) -> np.ndarray:
    # Wardrobing: refund asked for in the last days of the return window and the unit
    # came back used (CUSTOMER_DAMAGED). Either alone is common; both together are not.
    # The window end is counted from Amazon's latest delivery estimate, not the actual
    # delivery, so a return a day or two before the 3-day mark is still half suspicious.
    used = _flag(df, "is_used_condition")
    late = _flag(df, "is_late_in_window")
    near = _num(df, "days_before_window_end", 99.0) <= LATE_MARGIN_DAYS
    return np.where(used & late, 1.0, np.where(used & near, 0.7, 0.0))


def _late_only(df: pd.DataFrame) -> np.ndarray:
    # Late in the window but not used: many honest buyers decide late, so a weak hint.
    return (_flag(df, "is_late_in_window") & ~_flag(df, "is_used_condition")).astype(float)


def _contradiction(df: pd.DataFrame) -> np.ndarray:
    # A seller-fault reason (defective, not as described, ...) for a unit the fulfilment
    # centre graded sellable: the reason may be picked to avoid the return shipping fee, but
    # buyers also misjudge a product, so once is a weak hint.
    return _flag(df, "is_reason_disposition_contradiction").astype(float)


def _repeated_contradictions(df: pd.DataFrame) -> np.ndarray:
    # The same buyer did it again: two or more seller-fault claims graded sellable in a year
    # is a pattern, not a misjudgement (it marks all of the buyer's returns).
    n = _either(df, "buyer_contradictions_365d", "asof_contradictions")
    return np.where(n >= 2, 1.0, 0.0) * _count_trust(df)


def _refund_without_return(df: pd.DataFrame) -> np.ndarray:
    # Refunded, not returnless, and nothing came back in 14 days: the buyer kept the item
    # (or the return was never shipped).
    return _flag(df, "is_refund_without_return").astype(float)


def _repeated_returnless(df: pd.DataFrame) -> np.ndarray:
    # Returnless refunds exist for cheap items; a buyer who collects three or more in a
    # year is using the policy rather than returning faulty goods.
    n = _either(df, "buyer_returnless_refunds_365d", "asof_returnless_refunds")
    return _at_least(n, 3, 5) * _count_trust(df)


def _many_returns(df: pd.DataFrame) -> np.ndarray:
    # The baseline signal (3 or more returns in 90 days), with the as-of count so
    # every return of a serial returner is marked, not only those after the third.
    n = _either(df, "buyer_returns_90d", "asof_returns_90d")
    return _at_least(n, 3, 5) * _count_trust(df)


def _high_return_rate(df: pd.DataFrame) -> np.ndarray:
    # Most of what this buyer ordered in a year came back (at least 3 returns, so a
    # single-order buyer with one return does not count).
    event_rate = _num(df, "buyer_return_rate")
    returns = _either(df, "buyer_returns_365d", "asof_return_count")
    asof_rate = _num(df, "asof_return_count") / np.maximum(_num(df, "asof_order_count"), 1.0)
    rate = np.maximum(event_rate, asof_rate)
    return np.where((rate >= 0.6) & (returns >= 3), 1.0, 0.0) * _key_trust(df)


def _rate_above_sku_norm(df: pd.DataFrame) -> np.ndarray:
    # Returns far above what the same products usually see (4x the SKU's rate): some
    # products are returned often for honest reasons, so compare with them.
    ratio = _num(df, "buyer_return_rate_vs_sku")
    returns = _num(df, "buyer_returns_365d")
    return np.where((ratio >= 4.0) & (returns >= 2), 1.0, 0.0) * _key_trust(df)


def _shared_address(df: pd.DataFrame) -> np.ndarray:
    # Several buyer accounts ship to one street address. Households (two or three accounts)
    # and offices (many) do that honestly; a ring of accounts spreading refunds over them
    # also has refunds on more than one of the accounts. So three or more accounts weigh
    # fully only when at least two of them returned something.
    # A business order to a shared address is an office's: a third of the weight.
    n = _either(df, "address_buyer_keys", "asof_address_buyer_keys")
    returning = _num(df, "address_buyers_with_returns")
    strength = np.select([(n >= 3) & (returning >= 2), n >= 3, n >= 2], [1.0, 0.35, 0.15], 0.0)
    return np.where(_flag(df, "is_business_order"), strength / 3.0, strength)


def _address_many_returns(df: pd.DataFrame) -> np.ndarray:
    # Many returns from one address across more than one buyer account.
    returns = _num(df, "address_returns_365d")
    buyers = _num(df, "address_buyers_with_returns")
    return np.where((returns >= 3) & (buyers >= 2), 1.0, 0.0)


def _high_refund_value_share(df: pd.DataFrame) -> np.ndarray:
    # Nearly all the money this buyer spent came back as refunds (at least two returns).
    share = _num(df, "buyer_refund_value_share")
    returns = _num(df, "buyer_returns_365d")
    return np.where((share >= 0.9) & (returns >= 2), 1.0, 0.0) * _key_trust(df)


def _area_rate_high(df: pd.DataFrame) -> np.ndarray:
    # The postal area returns three times the marketplace's rate: the only location signal
    # left without the PII role (no street address), so weak. Only where the area is the
    # buyer key and has returned more than once: one order and one return from a quiet area
    # is already "20 times the marketplace's rate".
    kind = df["buyer_key_kind"].astype(str).to_numpy() if "buyer_key_kind" in df.columns else np.full(len(df), "")
    high = _num(df, "area_return_rate_vs_marketplace", 1.0) >= 3.0
    repeat = _either(df, "buyer_returns_365d", "asof_return_count") >= 2
    return np.where(high & repeat & (kind == "postal_area"), 1.0, 0.0)


# The table, most decisive first (ties between equal contributions go to the earlier rule).
RULES: tuple[Rule, ...] = (
    Rule("empty_or_wrong_item", 0.95, RETURN, _empty_or_wrong_item),
    Rule("used_and_late_in_window", 0.75, RETURN, _used_and_late, "lateness"),
    Rule("shared_address_many_buyers", 0.70, HISTORY, _shared_address),
    Rule("reason_contradicts_condition", 0.60, HISTORY, _repeated_contradictions, "contradiction",
         "repeated_contradictions"),  # fmt: skip
    Rule("many_returns_90d", 0.55, HISTORY, _many_returns),
    Rule("repeated_returnless_refunds", 0.45, HISTORY, _repeated_returnless),
    Rule("address_many_returns", 0.40, HISTORY, _address_many_returns),
    Rule("reason_contradicts_condition", 0.35, RETURN, _contradiction, "contradiction"),
    Rule("refund_without_return", 0.20, RETURN, _refund_without_return),
    Rule("high_return_rate", 0.30, HISTORY, _high_return_rate, "return_rate"),
    Rule("return_rate_above_sku_norm", 0.25, HISTORY, _rate_above_sku_norm, "return_rate"),
    Rule("high_refund_value_share", 0.25, HISTORY, _high_refund_value_share, "return_rate"),
    Rule("area_return_rate_high", 0.20, HISTORY, _area_rate_high),
    Rule("late_in_window", 0.10, RETURN, _late_only, "lateness"),
)
assert {r.code for r in RULES} <= set(REASON_CODES)
assert len({r.id for r in RULES}) == len(RULES)
_CODE_OF = {r.id: r.code for r in RULES}


def rules_version() -> str:
    """A short hash of the rule table (codes, weights, families and the rule functions' code)."""
    digest = hashlib.sha256()
    for r in RULES:
        digest.update(f"{r.id}|{r.code}|{r.weight}|{r.family}|{r.group_name}|".encode())
        digest.update(r.strength.__code__.co_code)
        digest.update(repr(r.strength.__code__.co_consts).encode())
    return digest.hexdigest()[:12]


def contributions(df: pd.DataFrame, families: Sequence[str] | None = None) -> pd.DataFrame:
    """weight x strength per rule (columns = rule ids, in table order), one row per feature row."""
    import pandas as pd

    chosen = [r for r in RULES if families is None or r.family in families]
    data = {r.id: r.weight * np.clip(np.asarray(r.strength(df), dtype=float), 0.0, 1.0) for r in chosen}
    return pd.DataFrame(data, index=df.index, columns=[r.id for r in chosen])


def noisy_or(contrib: pd.DataFrame | np.ndarray) -> np.ndarray:
    """1 - prod(1 - c) across columns: in [0, 1] for contributions in [0, 1]."""
    values = np.clip(np.asarray(contrib, dtype=float), 0.0, 1.0)
    if values.ndim == 1:
        values = values[:, None]
    return 1.0 - np.prod(1.0 - values, axis=1)


def grouped_noisy_or(contrib: pd.DataFrame) -> np.ndarray:
    """The rules score: each group's largest contribution, groups combined by noisy-OR.

    Columns that are not rule codes (e.g. `model_pattern`) count as their own group."""
    groups: dict[str, list[str]] = {}
    by_id = {r.id: r.group_name for r in RULES}
    for column in contrib.columns:
        groups.setdefault(by_id.get(column, column), []).append(column)
    if not groups:
        return np.zeros(len(contrib))
    maxima = np.column_stack([contrib[cols].to_numpy(dtype=float).max(axis=1) for cols in groups.values()])
    return noisy_or(maxima)


def top_reasons(contrib: pd.DataFrame, limit: int = MAX_REASONS) -> list[str]:
    """Per row, up to `limit` reason codes with a positive contribution, largest first, joined
    by "|" (a code two rules share appears once, at its larger contribution)."""
    values = contrib.to_numpy(dtype=float)
    codes = [_CODE_OF.get(c, c) for c in contrib.columns]
    order = np.argsort(-values, axis=1, kind="stable")
    out = []
    for row, idx in zip(values, order, strict=True):
        picked: list[str] = []
        for i in idx:
            if row[i] <= 0 or len(picked) == limit:
                break
            if codes[i] not in picked:
                picked.append(codes[i])
        out.append("|".join(picked))
    return out


def score(df: pd.DataFrame, families: Sequence[str] | None = None) -> tuple[np.ndarray, pd.DataFrame]:
    """(rules_score per row, the contributions behind it)."""
    contrib = contributions(df, families)
    return grouped_noisy_or(contrib), contrib


def score_row(row: Mapping[str, Any]) -> tuple[float, list[str]]:
    """One feature row's rules score and its reason codes (for explanations and tests)."""
    import pandas as pd

    frame = pd.DataFrame([dict(row)])
    scores, contrib = score(frame)
    reasons = top_reasons(contrib)[0]
    return float(scores[0]), reasons.split("|") if reasons else []
