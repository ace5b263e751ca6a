with

claims as (
    select * from "acorn"."intermediate"."int_money_owed_claims"
),

claim_types as (
    select * from "acorn"."seeds"."claim_types"
),

policy_rules as (
    select * from "acorn"."seeds"."policy_rules"
),

marketplaces as (
    select * from "acorn"."seeds"."marketplaces"
),

fx_rates as (
    select * from "acorn"."intermediate"."int_fx_rates"
),

seller_product_names as (
    select * from "acorn"."seeds"."seller_product_names"
),


claims_localized as (
    select
        claims.*,
        marketplaces.marketplace_code,
        seller_product_names.seller_product_name,
        claim_types.anchor_event,
        claim_types.window_opens_rule_name,
        claim_types.file_after_rule_name,
        claim_types.window_closes_rule_name,
        cast('2026-11-30 00:00:00' as timestamp with time zone) as as_of_at,
        cast(timezone(marketplaces.time_zone, claims.anchor_at) as date) as anchor_local_date,
        cast(timezone(marketplaces.time_zone, cast('2026-11-30 00:00:00' as timestamp with time zone)) as date) as as_of_local_date
    from claims
    left join marketplaces
        on claims.marketplace_id = marketplaces.marketplace_id
    left join claim_types
        on claims.claim_type = claim_types.claim_type
    left join seller_product_names
        on
            claims.seller_id = seller_product_names.seller_id
            and claims.sku = seller_product_names.sku
),


claims_joined_to_policy as (
    select
        claims_localized.*,
        cast(opens.rule_value as integer) as window_opens_days,
        cast(file_after.rule_value as integer) as file_after_days,
        cast(closes.rule_value as integer) as window_closes_days
    from claims_localized
    left join policy_rules as opens
        on
            claims_localized.marketplace_code = opens.marketplace_code
            and claims_localized.window_opens_rule_name = opens.rule_name
            and claims_localized.anchor_local_date >= opens.effective_from
            and (
                opens.effective_to is null
                or claims_localized.anchor_local_date <= opens.effective_to
            )
    left join policy_rules as file_after
        on
            claims_localized.marketplace_code = file_after.marketplace_code
            and claims_localized.file_after_rule_name = file_after.rule_name
            and claims_localized.anchor_local_date >= file_after.effective_from
            and (
                file_after.effective_to is null
                or claims_localized.anchor_local_date <= file_after.effective_to
            )
    left join policy_rules as closes
        on
            claims_localized.marketplace_code = closes.marketplace_code
            and claims_localized.window_closes_rule_name = closes.rule_name
            and claims_localized.anchor_local_date >= closes.effective_from
            and (
                closes.effective_to is null
                or claims_localized.anchor_local_date <= closes.effective_to
            )
),

windowed as (
    select
        *,
        cast(

    (anchor_local_date + cast(coalesce(window_opens_days, 0) as bigint) * interval 1 day) as date) as eligible_from_date,
        cast(

    (anchor_local_date + cast(coalesce(window_opens_days, 0) + coalesce(file_after_days, 0) as bigint) * interval 1 day) as date) as file_from_date,
        cast(

    (anchor_local_date + cast(window_closes_days as bigint) * interval 1 day) as date)
            as deadline_date
    from claims_joined_to_policy
),


statused as (
    select
        windowed.*,
        case
            when windowed.is_reimbursed then 'reimbursed'
            when windowed.as_of_local_date < windowed.file_from_date then 'waiting'
            when windowed.as_of_local_date > windowed.deadline_date then 'expired'
            else 'eligible'
        end as status,
        fx_rates.reporting_currency_code,
        fx_rates.reporting_minor_unit_exponent,
        cast(coalesce(cast(null as decimal(20, 8)), fx_rates.fx_rate) as decimal(20, 8)) as fx_rate,
    case
        when cast(null as decimal(20, 8)) is not null then 'amazon_applied'
        when fx_rates.fx_rate is not null then 'fx_rates_seed'
    end as fx_rate_source,
    case when cast(null as decimal(20, 8)) is null then fx_rates.valid_from end as fx_rate_date,
    coalesce(
        cast(null as decimal(20, 8)) is null
        and (
            fx_rates.fx_rate is null
            or 
        (date_diff('day', fx_rates.valid_from::timestamp, windowed.as_of_local_date::timestamp ))
    
            > 7
        ),
        false
    ) as is_fx_rate_stale
    from windowed
    left join fx_rates
        on
            windowed.currency_code = fx_rates.from_currency_code
            and windowed.as_of_local_date >= fx_rates.valid_from
            and (fx_rates.valid_to is null or windowed.as_of_local_date < fx_rates.valid_to)
)

select
    claim_type || ':' || claim_key as money_owed_id,
    claim_type,
    status,
    seller_id,
    marketplace_id,
    marketplace_code,
    order_id,
    sku,
    seller_product_name,
    refund_id,
    transaction_id,
    license_plate_number,
    reimbursement_id,
    original_reimbursement_id,
    currency_code,
    cast(amount as decimal(20, 4)) as amount,
    cast(reimbursed_amount as decimal(20, 4)) as reimbursed_amount,
    reporting_currency_code,
    cast(case reporting_minor_unit_exponent
        when 0 then cast(round(amount * fx_rate, 0) as decimal(38, 4))
        when 1 then cast(round(amount * fx_rate, 1) as decimal(38, 4))
        when 2 then cast(round(amount * fx_rate, 2) as decimal(38, 4))
        when 3 then cast(round(amount * fx_rate, 3) as decimal(38, 4))
        else cast(round(amount * fx_rate, 4) as decimal(38, 4))
    end as decimal(20, 4))
        as reporting_amount,
    fx_rate,
    fx_rate_source,
    fx_rate_date,
    is_fx_rate_stale,
    anchor_event,
    anchor_local_date,
    eligible_from_date,
    file_from_date,
    deadline_date,
    as_of_local_date,
    anchor_at,
    cast(as_of_at as timestamp with time zone) as as_of_at,
    
    regexp_replace(evidence, ', SP-API request [A-Za-z0-9/_-]+', '', 'g') as evidence,
    evidence as _evidence_with_request_ids
from statused