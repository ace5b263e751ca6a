

with


transaction_types as (
    select transaction_type from "acorn"."seeds"."transaction_types"
),

transactions as (
    select
        transaction_id,
        seller_id,
        marketplace_id,
        order_id,
        refund_id,
        transaction_type,
        currency_code,
        posted_local_date,
        posted_at,
        _run_id,
        _lake_file,
        _warehouse_loaded_at
    from "acorn"."staging"."stg_spapi__transactions"
    where transaction_type in (select transaction_types.transaction_type from transaction_types)
    
),

payloads as (
    select
        transaction_id,
        _run_id,
        filename as _lake_file,
        payload_json
    from read_parquet('/work/wt-scoring/data/run/risk_eval_dev/seed-7-120d-with-pii/lake/transactions/*/*/*/data.parquet', hive_partitioning = false, union_by_name = true, filename = true)
),


transactions_with_payload as (
    select
        transactions.*,
        payloads.payload_json
    from transactions
    inner join payloads
        on
            transactions.transaction_id = payloads.transaction_id
            and transactions._lake_file = payloads._lake_file
            and transactions._run_id = payloads._run_id
),

flattened as (
    select *
    from (
        with parsed as (
            select
                * exclude (payload_json),
                from_json(payload_json, '{"items": [{             "contexts": [{"sku": "VARCHAR", "asin": "VARCHAR", "quantityShipped": "BIGINT"}],             "relatedIdentifiers": [{"itemRelatedIdentifierName": "VARCHAR", "itemRelatedIdentifierValue": "VARCHAR"}],             "breakdowns": [{"breakdownType": "VARCHAR", "breakdownAmount": {"currencyAmount": "VARCHAR", "currencyCode": "VARCHAR"}, "breakdowns": [{"breakdownType": "VARCHAR", "breakdownAmount": {"currencyAmount": "VARCHAR", "currencyCode": "VARCHAR"}, "breakdowns": [{"breakdownType": "VARCHAR", "breakdownAmount": {"currencyAmount": "VARCHAR", "currencyCode": "VARCHAR"}, "breakdowns": [{"breakdownType": "VARCHAR", "breakdownAmount": {"currencyAmount": "VARCHAR", "currencyCode": "VARCHAR"}, "breakdowns": "JSON"}]}]}]}]         }]}').items as items,
            from transactions_with_payload
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

        
        level_2 as (
            select
                level_1.*,
                unnest(
                    case
                        when coalesce(len(level_1.node_1.breakdowns), 0) = 0
                            then [null]
                        else level_1.node_1.breakdowns
                    end
                ) as node_2,
            from level_1
        ),

        
        level_3 as (
            select
                level_2.*,
                unnest(
                    case
                        when coalesce(len(level_2.node_2.breakdowns), 0) = 0
                            then [null]
                        else level_2.node_2.breakdowns
                    end
                ) as node_3,
            from level_2
        ),

        
        level_4 as (
            select
                level_3.*,
                unnest(
                    case
                        when coalesce(len(level_3.node_3.breakdowns), 0) = 0
                            then [null]
                        else level_3.node_3.breakdowns
                    end
                ) as node_4,
            from level_3
        ),

        leaves as (
            select
                level_4.* exclude (node_1, node_2, node_3, node_4),
                node_1.breakdownType as breakdown_bucket,
                case
        when level_4.node_4 is not null then level_4.node_4.breakdownType
        when level_4.node_3 is not null then level_4.node_3.breakdownType
        when level_4.node_2 is not null then level_4.node_2.breakdownType
        else level_4.node_1.breakdownType
    end as breakdown_type,
                case
        when level_4.node_4 is not null then level_4.node_4.breakdownAmount
        when level_4.node_3 is not null then level_4.node_3.breakdownAmount
        when level_4.node_2 is not null then level_4.node_2.breakdownAmount
        else level_4.node_1.breakdownAmount
    end as leaf_amount,
                concat_ws(
                    '/',
                    node_1.breakdownType,
                    node_2.breakdownType,
                    node_3.breakdownType,
                    node_4.breakdownType,
                    case when json_array_length(node_4.breakdowns) > 0 then '*' end
                ) as breakdown_path,
            from level_4
        )

        select
            leaves.* exclude (leaf_amount),
            leaf_amount.currencyAmount as amount_text,
            upper(leaf_amount.currencyCode) as breakdown_currency_code,
        from leaves
    ) as breakdown_rows
),

renamed as (
    select
        ----------  ids
        md5(cast(transaction_id || '|' || cast(item_index as string) || '|' || breakdown_path as TEXT)) as transaction_breakdown_id,
        transaction_id,
        seller_id,
        marketplace_id,
        order_id,
        refund_id,
        order_adjustment_item_id,

        ----------  strings
        transaction_type,
        item_sku as sku,
        item_asin as asin,
        breakdown_bucket,
        breakdown_type,
        breakdown_path,
        coalesce(breakdown_currency_code, currency_code) as currency_code,

        ----------  numerics
        item_index,
        item_quantity,
        cast(amount_text as decimal(20, 4)) as amount,

        ----------  dates
        posted_local_date,

        ----------  timestamps
        posted_at,

        ----------  metadata
        _warehouse_loaded_at
    from flattened
)

select * from renamed