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

{#-
    Spark: from_json with a DDL schema, then posexplode/explode (lateral views).
    Spark keeps the relation's columns (no `* exclude`): the caller selects the
    columns it needs. Amounts are parsed as DECIMAL(38,10), not as text: Spark's
    JSON reader re-prints a number read into a string through a DOUBLE
    (1234567890123.4567 -> 1.2345678901234568E12); a decimal is read exactly and
    printed back as text for the caller's cast. List positions are 1-based and
    out of range gives null, as in DuckDB (try_element_at).
-#}
{% macro spark__flatten_transaction_item_breakdowns(relation) -%}
    {%- set amount_type = 'struct<currencyAmount: decimal(38, 10), currencyCode: string>' -%}
    {%- set payload_type -%}
        struct<items: array<struct<
            contexts: array<struct<sku: string, asin: string, quantityShipped: bigint>>,
            relatedIdentifiers: array<struct<
                itemRelatedIdentifierName: string, itemRelatedIdentifierValue: string
            >>,
            breakdowns: array<struct<
                breakdownType: string,
                breakdownAmount: {{ amount_type }},
                breakdowns: array<struct<breakdownType: string, breakdownAmount: {{ amount_type }}>>
            >>
        >>>
    {%- endset -%}
    (
        with parsed as (
            select
                flattened_relation.*,
                from_json(
                    flattened_relation.payload_json,
                    '{{ payload_type | replace("\n", " ") }}'
                ).items as _items
            from {{ relation }} as flattened_relation
        ),

        items as (
            select
                parsed.*,
                cast(item_position + 1 as bigint) as item_index,
                item
            from parsed
                lateral view posexplode(parsed._items) item_rows as item_position, item
        ),

        buckets as (
            select
                items.*,
                try_element_at(items.item.contexts, 1).sku as item_sku,
                try_element_at(items.item.contexts, 1).asin as item_asin,
                try_element_at(items.item.contexts, 1).quantityShipped as item_quantity,
                try_element_at(
                    filter(
                        items.item.relatedIdentifiers,
                        identifier -> identifier.itemRelatedIdentifierName = 'ORDER_ADJUSTMENT_ITEM_ID'
                    ),
                    1
                ).itemRelatedIdentifierValue as order_adjustment_item_id,
                bucket
            from items
                lateral view explode(items.item.breakdowns) bucket_rows as bucket
        ),

        leaves as (
            select
                buckets.*,
                buckets.bucket.breakdownType as breakdown_bucket,
                leaf
            from buckets
                lateral view explode(
                    case
                        when coalesce(size(buckets.bucket.breakdowns), 0) <= 0
                            then array(named_struct(
                                'breakdownType', buckets.bucket.breakdownType,
                                'breakdownAmount', buckets.bucket.breakdownAmount
                            ))
                        else buckets.bucket.breakdowns
                    end
                ) leaf_rows as leaf
        )

        select
            leaves.*,
            leaves.leaf.breakdownType as breakdown_type,
            cast(leaves.leaf.breakdownAmount.currencyAmount as string) as amount_text,
            upper(leaves.leaf.breakdownAmount.currencyCode) as breakdown_currency_code
        from leaves
    )
{%- endmacro %}

{% macro default__flatten_transaction_item_breakdowns(relation) -%}
    {{ exceptions.raise_compiler_error(
        "flatten_transaction_item_breakdowns is implemented for duckdb and spark only"
    ) }}
{%- endmacro %}
