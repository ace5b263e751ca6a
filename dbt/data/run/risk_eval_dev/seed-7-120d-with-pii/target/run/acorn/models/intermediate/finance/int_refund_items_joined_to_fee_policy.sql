
    

    create  table
      "acorn"."intermediate"."int_refund_items_joined_to_fee_policy__dbt_tmp"
  
    
    as (
      with

refund_breakdowns as (
    select * from "acorn"."intermediate"."int_transaction_breakdowns_classified"
    where transaction_type = 'Refund'
),

marketplaces as (
    select * from "acorn"."seeds"."marketplaces"
),

policy_rules as (
    select * from "acorn"."seeds"."policy_rules"
    where rule_name in ('refund_admin_fee_rate', 'refund_admin_fee_cap')
),

currency_minor_units as (
    select * from "acorn"."seeds"."currency_minor_units"
),

refund_items as (
    select
        transaction_id,
        item_index,
        seller_id,
        marketplace_id,
        order_id,
        refund_id,
        sku,
        currency_code,
        posted_local_date,
        
        sum(
            case
                when money_component in ('commission', 'commission_tax') then amount
                else 0
            end
        ) as commission_credited_amount,
        -sum(
            case
                when money_component in ('refund_admin_fee', 'refund_admin_fee_tax') then amount
                else 0
            end
        ) as refund_admin_fee_amount
    from refund_breakdowns
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9
),


fee_terms as (
    select
        marketplace_code,
        effective_from,
        coalesce(effective_to, cast('9999-12-31' as date)) as effective_to,
        rule_name,
        rule_value
    from policy_rules
),

refund_items_joined_to_fee_terms as (
    select
        refund_items.*,
        marketplaces.marketplace_code,
        fee_rates.rule_value as refund_admin_fee_rate,
        fee_caps.rule_value as refund_admin_fee_cap_amount,
        currency_minor_units.minor_unit_exponent
    from refund_items
    left join marketplaces
        on refund_items.marketplace_id = marketplaces.marketplace_id
    left join fee_terms as fee_rates
        on
            marketplaces.marketplace_code = fee_rates.marketplace_code
            and fee_rates.rule_name = 'refund_admin_fee_rate'
            and refund_items.posted_local_date
            between fee_rates.effective_from and fee_rates.effective_to
    left join fee_terms as fee_caps
        on
            marketplaces.marketplace_code = fee_caps.marketplace_code
            and fee_caps.rule_name = 'refund_admin_fee_cap'
            and refund_items.posted_local_date
            between fee_caps.effective_from and fee_caps.effective_to
    left join currency_minor_units
        on refund_items.currency_code = currency_minor_units.currency_code
),

expected_fees as (
    select
        transaction_id || '-' || cast(item_index as string) as refund_item_id,
        *,
        
        
        case
            when refund_admin_fee_rate is not null
                then cast(
                    least(
                        coalesce(refund_admin_fee_cap_amount, cast(1e12 as decimal(20, 4))),
                        case minor_unit_exponent
        when 0 then cast(round(commission_credited_amount * refund_admin_fee_rate, 0) as decimal(38, 4))
        when 1 then cast(round(commission_credited_amount * refund_admin_fee_rate, 1) as decimal(38, 4))
        when 2 then cast(round(commission_credited_amount * refund_admin_fee_rate, 2) as decimal(38, 4))
        when 3 then cast(round(commission_credited_amount * refund_admin_fee_rate, 3) as decimal(38, 4))
        else cast(round(commission_credited_amount * refund_admin_fee_rate, 4) as decimal(38, 4))
    end
                    ) as decimal(20, 4)
                )
        end as expected_refund_admin_fee_amount
    from refund_items_joined_to_fee_terms
)

select * from expected_fees
    );
    
  