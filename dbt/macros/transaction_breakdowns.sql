{#-
    Flatten the item-level `breakdowns` of Finances 2024-06-19 Transaction JSON
    (`payload_json`) into one row per (transaction, item, leaf breakdown).

    Input: a relation with payload_json; all its other columns are carried through.
    Added columns: item_index (1-based), item_sku, item_asin,
    item_quantity, order_adjustment_item_id, breakdown_bucket (top level, e.g.
    AmazonFees), breakdown_type (leaf, e.g. RefundCommission), amount_text,
    currency_code. A bucket without children is emitted as its own leaf.
    Amounts come out as JSON number text so the caller casts them exactly
    (no detour through DOUBLE).
-#}
{% macro flatten_transaction_item_breakdowns(relation) -%}
    {{ return(adapter.dispatch('flatten_transaction_item_breakdowns', 'acorn')(relation)) }}
{%- endmacro %}

{% macro duckdb__flatten_transaction_item_breakdowns(relation) -%}
    {%- set amount_type = '{"currencyAmount": "VARCHAR", "currencyCode": "VARCHAR"}' -%}
    {%- set item_type -%}
        {"items": [{
            "contexts": [{"sku": "VARCHAR", "asin": "VARCHAR", "quantityShipped": "BIGINT"}],
            "relatedIdentifiers": [{"itemRelatedIdentifierName": "VARCHAR", "itemRelatedIdentifierValue": "VARCHAR"}],
            "breakdowns": [{
                "breakdownType": "VARCHAR",
                "breakdownAmount": {{ amount_type }},
                "breakdowns": [{"breakdownType": "VARCHAR", "breakdownAmount": {{ amount_type }}}]
            }]
        }]}
    {%- endset -%}
    (
        with parsed as (
            select
                * exclude (payload_json),
                from_json(payload_json, '{{ item_type | replace("\n", " ") }}').items as items,
            from {{ relation }}
        ),

        items as (
            select
                parsed.* exclude (items),
                item_index,
                parsed.items[item_index] as item,
            from parsed,
                range(1, coalesce(len(parsed.items), 0) + 1) as item_range(item_index)
        ),

        buckets as (
            select
                items.* exclude (item),
                items.item.contexts[1].sku as item_sku,
                items.item.contexts[1].asin as item_asin,
                items.item.contexts[1].quantityShipped as item_quantity,
                list_filter(
                    items.item.relatedIdentifiers,
                    lambda x: x.itemRelatedIdentifierName = 'ORDER_ADJUSTMENT_ITEM_ID'
                )[1].itemRelatedIdentifierValue as order_adjustment_item_id,
                unnest(items.item.breakdowns) as bucket,
            from items
        ),

        leaves as (
            select
                buckets.* exclude (bucket),
                buckets.bucket.breakdownType as breakdown_bucket,
                unnest(
                    case
                        when coalesce(len(buckets.bucket.breakdowns), 0) = 0
                            then [{
                                'breakdownType': buckets.bucket.breakdownType,
                                'breakdownAmount': buckets.bucket.breakdownAmount
                            }]
                        else buckets.bucket.breakdowns
                    end
                ) as leaf,
            from buckets
        )

        select
            leaves.* exclude (leaf, breakdown_bucket),
            breakdown_bucket,
            leaf.breakdownType as breakdown_type,
            leaf.breakdownAmount.currencyAmount as amount_text,
            upper(leaf.breakdownAmount.currencyCode) as breakdown_currency_code,
        from leaves
    )
{%- endmacro %}

{% macro default__flatten_transaction_item_breakdowns(relation) -%}
    {{ exceptions.raise_compiler_error(
        "flatten_transaction_item_breakdowns is implemented for duckdb only (Spark: from_json + explode, a later slice)"
    ) }}
{%- endmacro %}
