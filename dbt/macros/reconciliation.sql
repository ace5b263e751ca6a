{#-
    The four-way reconciliation status of a posting against the settlement
    reports, written once (fct_refund_reconciliation,
    fct_transaction_settlement_reconciliation):
      matched                 - settlement lines found, amounts equal;
      amount_mismatch         - settlement lines found, amounts differ;
      missing_from_settlement - no lines, but the settlement report of its
                                payout cycle (financial event group) has landed;
      pending_settlement      - no lines and no landed report to expect them in.
    Arguments are column expressions.
-#}
{% macro reconciliation_status(
    settlement_id, settled_amount, expected_amount, expected_settlement_id
) -%}
    case
        when {{ settlement_id }} is not null and {{ settled_amount }} = {{ expected_amount }}
            then 'matched'
        when {{ settlement_id }} is not null then 'amount_mismatch'
        when {{ expected_settlement_id }} is not null then 'missing_from_settlement'
        else 'pending_settlement'
    end
{%- endmacro %}
