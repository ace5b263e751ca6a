{#- Return-policy rules written once: fct_refund_decisions (open MFN requests),
    int_money_owed_claims (returnless FBA refunds) and the risk features
    (intermediate/risk) read the same policy_rules rows the same way. -#}

{#- Join condition: a policy_rules row (`rule_alias`, already filtered to its
    rule_name) of the marketplace in force on a local date. -#}
{% macro policy_rule_in_force(rule_alias, marketplace_code, local_date) -%}
    {{ marketplace_code }} = {{ rule_alias }}.marketplace_code
    and {{ local_date }} >= {{ rule_alias }}.effective_from
    and {{ local_date }} <= coalesce({{ rule_alias }}.effective_to, cast('9999-12-31' as date))
{%- endmacro %}

{#- Join condition: a holiday_return_deadline_days row covers the purchase (its
    period is the purchase window, POLICIES.md section 3). -#}
{% macro holiday_extension_covers(rule_alias, marketplace_code, ordered_local_date) -%}
    {{ marketplace_code }} = {{ rule_alias }}.marketplace_code
    and {{ ordered_local_date }} >= {{ rule_alias }}.effective_from
    and {{ ordered_local_date }} <= {{ rule_alias }}.effective_to
{%- endmacro %}

{#- Last local date of a window of rule_value days after a local date. -#}
{% macro policy_window_end_local_date(rule_alias, start_local_date) -%}
    cast({{ dbt.dateadd('day', rule_alias ~ '.rule_value', start_local_date) }} as date)
{%- endmacro %}

{#- Last local date to return an item bought in a holiday extension's period:
    rule_value days after the period's end. -#}
{% macro holiday_extension_end_local_date(rule_alias) -%}
    cast({{ dbt.dateadd('day', rule_alias ~ '.rule_value', rule_alias ~ '.effective_to') }} as date)
{%- endmacro %}

{#- A unit cheap enough for Amazon to refund without a return: priced at or under
    the marketplace's fba_returnless_refund_max_unit_price (no SP-API field marks a
    returnless refund, POLICIES.md section 5). False when either side is unknown. -#}
{% macro is_returnless_unit_price(unit_price_amount, max_unit_price) -%}
    coalesce({{ unit_price_amount }} <= {{ max_unit_price }}, false)
{%- endmacro %}

{#- The per-order-line aggregation of the FBA customer returns report (one row per
    seller, marketplace, order and SKU): a line can come back in several returns
    (one per unit or LPN); the latest return speaks for the line. -#}
{% macro fba_returns_aggregated_to_order_lines(fba_returns) -%}
    select
        seller_id,
        marketplace_id,
        order_id,
        sku,
        count(*) as return_count,
        sum(returned_quantity) as returned_quantity,
        min(returned_at) as first_returned_at,
        max(returned_at) as returned_at,
        max_by(return_status, returned_at) as return_status,
        max_by(detailed_disposition, returned_at) as return_disposition,
        max_by(return_reason, returned_at) as return_reason
    from {{ fba_returns }}
    group by 1, 2, 3, 4
{%- endmacro %}

{#- The same for the MFN returns report; its reasons carry a "CR-" prefix the FBA
    report's do not: stripped, so one reason vocabulary serves both. -#}
{% macro mfn_returns_aggregated_to_order_lines(mfn_returns) -%}
    select
        seller_id,
        marketplace_id,
        order_id,
        sku,
        count(*) as return_count,
        sum(return_quantity) as returned_quantity,
        min(return_requested_at) as first_requested_at,
        max(return_delivered_at) as returned_at,
        max_by(return_request_status, return_requested_at) as return_status,
        max_by(
            case
                when return_reason like 'CR-%' then substring(return_reason, 4)
                else return_reason
            end,
            return_requested_at
        ) as return_reason
    from {{ mfn_returns }}
    group by 1, 2, 3, 4
{%- endmacro %}

{#- A risk score's band (vars risk_band_high, risk_band_medium); null when unscored. -#}
{% macro risk_band(score) -%}
    case
        when {{ score }} >= {{ var('risk_band_high', 0.7) }} then 'high'
        when {{ score }} >= {{ var('risk_band_medium', 0.4) }} then 'medium'
        when {{ score }} is not null then 'low'
    end
{%- endmacro %}
