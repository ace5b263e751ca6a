{#-
    Flatten the item-level `breakdowns` of Finances 2024-06-19 Transaction JSON
    (`payload_json`) into one row per (transaction, item, leaf breakdown).

    A breakdown is a tree (`breakdownType`, `breakdownAmount`, `breakdowns`) and
    a node's amount is the sum of its children's, so only leaves are emitted,
    whatever their depth: `ProductCharges/Principal` (depth 2, our simplified
    shape), `AmazonFees/Commission/Tax` (depth 3, the fee VAT of real
    responses). Levels are walked down to breakdown_max_depth() (4, one more
    than any shape seen); a node still holding children there is emitted as a
    leaf (its amount is the sum of its children, so no money is lost) with
    `/*` appended to its path, which no seed row matches: it surfaces as
    unclassified money instead of vanishing.

    Transaction-level `breakdowns` (`Sales`/`Expenses` roll-ups in real
    responses) repeat the items' money and are never read here: summing both
    would double count.

    Input: a relation with payload_json; all its other columns are carried through.
    Added columns: item_index (1-based), item_sku, item_asin, item_quantity,
    order_adjustment_item_id, breakdown_bucket (top level, e.g. AmazonFees),
    breakdown_type (the leaf's own type, e.g. RefundCommission or Tax),
    breakdown_path (`/`-joined types from the bucket down to the leaf),
    amount_text, breakdown_currency_code. A bucket without children is emitted
    as its own leaf. Amounts come out as JSON number text so the caller casts
    them exactly (no detour through DOUBLE).
-#}
{% macro breakdown_max_depth() -%}
    {{ return(4) }}
{%- endmacro %}

{#- A field of the deepest node present (the leaf) among node_1..node_<depth>. -#}
{% macro breakdown_leaf_field(depth, field, relation) -%}
    case
        {%- for level in range(depth, 1, -1) %}
        when {{ relation }}.node_{{ level }} is not null then {{ relation }}.node_{{ level }}.{{ field }}
        {%- endfor %}
        else {{ relation }}.node_1.{{ field }}
    end
{%- endmacro %}

{% macro flatten_transaction_item_breakdowns(relation) -%}
    {{ return(adapter.dispatch('flatten_transaction_item_breakdowns', 'acorn')(relation)) }}
{%- endmacro %}

{% macro duckdb__flatten_transaction_item_breakdowns(relation) -%}
    {%- set depth = breakdown_max_depth() | int -%}
    {%- set amount_type = '{"currencyAmount": "VARCHAR", "currencyCode": "VARCHAR"}' -%}
    {#- innermost level first: its children stay raw JSON (counted, not parsed) -#}
    {%- set ns = namespace(node='{"breakdownType": "VARCHAR", "breakdownAmount": '
        ~ amount_type ~ ', "breakdowns": "JSON"}') -%}
    {%- for _ in range(depth - 1) -%}
        {%- set ns.node = '{"breakdownType": "VARCHAR", "breakdownAmount": '
            ~ amount_type ~ ', "breakdowns": [' ~ ns.node ~ ']}' -%}
    {%- endfor -%}
    {%- set item_type -%}
        {"items": [{
            "contexts": [{"sku": "VARCHAR", "asin": "VARCHAR", "quantityShipped": "BIGINT"}],
            "relatedIdentifiers": [{"itemRelatedIdentifierName": "VARCHAR", "itemRelatedIdentifierValue": "VARCHAR"}],
            "breakdowns": [{{ ns.node }}]
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

        level_1 as (
            select
                items.* exclude (item),
                items.item.contexts[1].sku as item_sku,
                items.item.contexts[1].asin as item_asin,
                items.item.contexts[1].quantityShipped as item_quantity,
                list_filter(
                    items.item.relatedIdentifiers,
                    lambda x: x.itemRelatedIdentifierName = 'ORDER_ADJUSTMENT_ITEM_ID'
                )[1].itemRelatedIdentifierValue as order_adjustment_item_id,
                unnest(items.item.breakdowns) as node_1,
            from items
        ),
        {%- for level in range(2, depth + 1) %}

        {# a leaf above this level continues as one row with a null node #}
        level_{{ level }} as (
            select
                level_{{ level - 1 }}.*,
                unnest(
                    case
                        when coalesce(len(level_{{ level - 1 }}.node_{{ level - 1 }}.breakdowns), 0) = 0
                            then [null]
                        else level_{{ level - 1 }}.node_{{ level - 1 }}.breakdowns
                    end
                ) as node_{{ level }},
            from level_{{ level - 1 }}
        ),
        {%- endfor %}

        leaves as (
            select
                level_{{ depth }}.* exclude (
                    {%- for level in range(1, depth + 1) %}node_{{ level }}{{ ", " if not loop.last }}{% endfor -%}
                ),
                node_1.breakdownType as breakdown_bucket,
                {{ breakdown_leaf_field(depth, 'breakdownType', 'level_' ~ depth) }} as breakdown_type,
                {{ breakdown_leaf_field(depth, 'breakdownAmount', 'level_' ~ depth) }} as leaf_amount,
                concat_ws(
                    '/'
                    {%- for level in range(1, depth + 1) %},
                    node_{{ level }}.breakdownType
                    {%- endfor %},
                    case when json_array_length(node_{{ depth }}.breakdowns) > 0 then '*' end
                ) as breakdown_path,
            from level_{{ depth }}
        )

        select
            leaves.* exclude (leaf_amount),
            leaf_amount.currencyAmount as amount_text,
            upper(leaf_amount.currencyCode) as breakdown_currency_code,
        from leaves
    )
{%- endmacro %}

{#-
    Spark: from_json with a DDL schema, then posexplode/explode (lateral views),
    explode_outer below the bucket (a leaf continues as one row with a null
    node). Spark keeps the relation's columns (no `* exclude`): the caller
    selects the columns it needs. Amounts are parsed as DECIMAL(38,10), not as
    text: Spark's JSON reader re-prints a number read into a string through a
    DOUBLE (1234567890123.4567 -> 1.2345678901234568E12); a decimal is read
    exactly and printed back as text for the caller's cast. The deepest level's
    children are read as a string (Spark keeps the raw JSON text). List
    positions are 1-based and out of range gives null, as in DuckDB
    (try_element_at).
-#}
{% macro spark__flatten_transaction_item_breakdowns(relation) -%}
    {%- set depth = breakdown_max_depth() | int -%}
    {%- set amount_type = 'struct<currencyAmount: decimal(38, 10), currencyCode: string>' -%}
    {%- set ns = namespace(node='struct<breakdownType: string, breakdownAmount: '
        ~ amount_type ~ ', breakdowns: string>') -%}
    {%- for _ in range(depth - 1) -%}
        {%- set ns.node = 'struct<breakdownType: string, breakdownAmount: '
            ~ amount_type ~ ', breakdowns: array<' ~ ns.node ~ '>>' -%}
    {%- endfor -%}
    {%- set payload_type -%}
        struct<items: array<struct<
            contexts: array<struct<sku: string, asin: string, quantityShipped: bigint>>,
            relatedIdentifiers: array<struct<
                itemRelatedIdentifierName: string, itemRelatedIdentifierValue: string
            >>,
            breakdowns: array<{{ ns.node }}>
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

        level_1 as (
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
                node_1
            from items
                lateral view explode(items.item.breakdowns) node_1_rows as node_1
        ),
        {%- for level in range(2, depth + 1) %}

        level_{{ level }} as (
            select
                level_{{ level - 1 }}.*,
                node_{{ level }}
            from level_{{ level - 1 }}
                lateral view explode_outer(
                    level_{{ level - 1 }}.node_{{ level - 1 }}.breakdowns
                ) node_{{ level }}_rows as node_{{ level }}
        ),
        {%- endfor %}

        leaves as (
            select
                level_{{ depth }}.*,
                level_{{ depth }}.node_1.breakdownType as breakdown_bucket,
                {{ breakdown_leaf_field(depth, 'breakdownType', 'level_' ~ depth) }} as breakdown_type,
                {{ breakdown_leaf_field(depth, 'breakdownAmount', 'level_' ~ depth) }} as leaf_amount,
                concat_ws(
                    '/'
                    {%- for level in range(1, depth + 1) %},
                    level_{{ depth }}.node_{{ level }}.breakdownType
                    {%- endfor %},
                    case
                        when coalesce(level_{{ depth }}.node_{{ depth }}.breakdowns, '[]')
                            not in ('[]', 'null')
                            then '*'
                    end
                ) as breakdown_path
            from level_{{ depth }}
        )

        select
            leaves.*,
            cast(leaves.leaf_amount.currencyAmount as string) as amount_text,
            upper(leaves.leaf_amount.currencyCode) as breakdown_currency_code
        from leaves
    )
{%- endmacro %}

{% macro default__flatten_transaction_item_breakdowns(relation) -%}
    {{ exceptions.raise_compiler_error(
        "flatten_transaction_item_breakdowns is implemented for duckdb and spark only"
    ) }}
{%- endmacro %}
