{#-
    The reconciliation status of a posting against the settlement reports,
    written once (fct_refund_reconciliation,
    fct_transaction_settlement_reconciliation):
      matched                 - settlement lines found, amounts equal;
      amount_mismatch         - settlement lines found, amounts differ;
      missing_from_settlement - no lines, but the settlement report of its
                                payout cycle (financial event group) has landed;
      report_missing          - no lines and no report, but its group is closed
                                and the fund transfer succeeded: the money was
                                paid, only the report never landed (a missing
                                report line, not missing money);
      deferred                - no lines: Amazon holds the transaction
                                (transactionStatus DEFERRED) until its maturity
                                date, in no payout cycle yet;
      pending_settlement      - no lines and no landed report or paid group to
                                expect them in (an open or unpaid cycle).
    Arguments are column expressions; is_report_missing and is_deferred are
    boolean expressions (null counts as false).
-#}
{% macro reconciliation_status(
    settlement_id, settled_amount, expected_amount, expected_settlement_id,
    is_report_missing='false', is_deferred='false'
) -%}
    case
        when {{ settlement_id }} is not null and {{ settled_amount }} = {{ expected_amount }}
            then 'matched'
        when {{ settlement_id }} is not null then 'amount_mismatch'
        when {{ expected_settlement_id }} is not null then 'missing_from_settlement'
        when {{ is_deferred }} then 'deferred'
        when {{ is_report_missing }} then 'report_missing'
        else 'pending_settlement'
    end
{%- endmacro %}
