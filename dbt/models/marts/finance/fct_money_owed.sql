with

claims as (
    select * from {{ ref('int_money_owed_claims') }}
),

claim_types as (
    select * from {{ ref('claim_types') }}
),

policy_rules as (
    select * from {{ ref('policy_rules') }}
),

marketplaces as (
    select * from {{ ref('marketplaces') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates') }}
),

seller_product_names as (
    select * from {{ ref('seller_product_names') }}
),

{# Dates in the marketplace's time zone: Amazon counts claim windows in days
   after the refund, return or reimbursement as the marketplace sees them. #}
claims_localized as (
    select
        claims.*,
        marketplaces.marketplace_code,
        seller_product_names.seller_product_name,
        claim_types.anchor_event,
        claim_types.window_opens_rule_name,
        claim_types.file_after_rule_name,
        claim_types.window_closes_rule_name,
        {{ as_of_timestamp() }} as as_of_at,
        {{ to_local_date('claims.anchor_at', 'marketplaces.time_zone') }} as anchor_local_date,
        {{ to_local_date(as_of_timestamp(), 'marketplaces.time_zone') }} as as_of_local_date
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

{# The rule in force on the anchor date: a refund on the day before a change
   keeps the old window, on the day itself gets the new one. #}
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
        cast({{ dbt.dateadd(
            'day', 'coalesce(window_opens_days, 0)', 'anchor_local_date',
        ) }} as date) as eligible_from_date,
        cast({{ dbt.dateadd(
            'day', 'coalesce(window_opens_days, 0) + coalesce(file_after_days, 0)', 'anchor_local_date',
        ) }} as date) as file_from_date,
        cast({{ dbt.dateadd('day', 'window_closes_days', 'anchor_local_date') }} as date)
            as deadline_date
    from claims_joined_to_policy
),

{# reimbursed: Amazon paid it (the row stays as the verification); waiting:
   the window has not opened, or Amazon's own reimbursement may still land;
   expired: the deadline (inclusive) has passed; eligible otherwise. #}
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
        {{ fx_rate_columns(
            'cast(null as decimal(20, 8))', 'fx_rates.fx_rate', 'fx_rates.valid_from',
            'windowed.as_of_local_date',
        ) }}
    from windowed
    left join fx_rates
        on
            windowed.currency_code = fx_rates.from_currency_code
            and windowed.as_of_local_date >= fx_rates.valid_from
            and (fx_rates.valid_to is null or windowed.as_of_local_date < fx_rates.valid_to)
)

select
    {{ dbt.concat(['claim_type', "':'", 'claim_key']) }} as money_owed_id,
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
    {{ to_reporting_amount('amount', 'fx_rate', 'reporting_minor_unit_exponent') }}
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
    cast(as_of_at as {{ type_timestamp_tz() }}) as as_of_at,
    {# The facts, the same on every re-run; the request ids are lineage: a
       re-extraction of the same line has a new one. #}
    {{ strip_request_citations('evidence') }} as evidence,
    evidence as _evidence_with_request_ids
from statused
