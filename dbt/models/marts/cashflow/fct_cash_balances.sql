{#- Each night's ending balances per seller, marketplace, currency and account
    type, as Amazon reports them (listBalances, asOfDate = the local day) beside
    the deferred balance the warehouse derives from its own transactions: a
    transaction is deferred at the instant t (00:00 local of the next day) when
    posted_at < t <= its maturity. RESERVED = DEFERRED + ACCOUNT_LEVEL_RESERVE;
    the reserve itself only Amazon knows. The differences say whether the
    warehouse holds every deferred transaction Amazon counts. -#}
with

balances as (
    select * from {{ ref('stg_spapi__balances') }}
),

postings as (
    select * from {{ ref('int_cashflow_postings') }}
),

{# Amazon nests DEFERRED and ACCOUNT_LEVEL_RESERVE under RESERVED and both
   under TOTAL; a type reported at the top level is read there, else nested. #}
nights as (
    select
        seller_id,
        marketplace_id,
        currency_code,
        account_type,
        as_of_local_date,
        max(as_of_at) as as_of_at,
        coalesce(
            max(case when balance_type = 'AVAILABLE' and is_top_level then amount end),
            max(case when balance_type = 'AVAILABLE' then amount end)
        ) as amazon_available_amount,
        coalesce(
            max(case when balance_type = 'DEFERRED' and is_top_level then amount end),
            max(case when balance_type = 'DEFERRED' then amount end)
        ) as amazon_deferred_amount,
        coalesce(
            max(case when balance_type = 'ACCOUNT_LEVEL_RESERVE' and is_top_level then amount end),
            max(case when balance_type = 'ACCOUNT_LEVEL_RESERVE' then amount end)
        ) as amazon_account_level_reserve_amount,
        coalesce(
            max(case when balance_type = 'RESERVED' and is_top_level then amount end),
            max(case when balance_type = 'RESERVED' then amount end)
        ) as amazon_reserved_amount,
        coalesce(
            max(case when balance_type = 'TOTAL' and is_top_level then amount end),
            max(case when balance_type = 'TOTAL' then amount end)
        ) as amazon_total_amount
    from balances
    group by 1, 2, 3, 4, 5
),

deferred_at_night as (
    select
        nights.seller_id,
        nights.marketplace_id,
        nights.currency_code,
        nights.account_type,
        nights.as_of_local_date,
        coalesce(sum(postings.amount), 0) as deferred_amount
    from nights
    left join postings
        on
            nights.seller_id = postings.seller_id
            and nights.marketplace_id = postings.marketplace_id
            and nights.currency_code = postings.currency_code
            and postings.flow_kind = 'sale_deferred'
            and nights.as_of_at > postings.posted_at
            and nights.as_of_at <= postings.settles_at
    group by 1, 2, 3, 4, 5
),

first_postings as (
    select
        seller_id,
        marketplace_id,
        min(posted_local_date) as first_posted_local_date
    from postings
    group by 1, 2
),

compared as (
    select
        nights.*,
        deferred_at_night.deferred_amount,
        deferred_at_night.deferred_amount + coalesce(nights.amazon_account_level_reserve_amount, 0)
            as reserved_amount,
        {# A night earlier than the deferral window after the first posting the warehouse
           holds may count transactions posted before the extraction began. #}
        coalesce(
            nights.as_of_local_date
            >= {{ dbt.dateadd(
                'day', var('cash_balance_history_days', 30), 'first_postings.first_posted_local_date'
            ) }},
            false
        ) as is_history_complete
    from nights
    inner join deferred_at_night
        on
            nights.seller_id = deferred_at_night.seller_id
            and nights.marketplace_id = deferred_at_night.marketplace_id
            and nights.currency_code = deferred_at_night.currency_code
            and nights.account_type = deferred_at_night.account_type
            and nights.as_of_local_date = deferred_at_night.as_of_local_date
    left join first_postings
        on
            nights.seller_id = first_postings.seller_id
            and nights.marketplace_id = first_postings.marketplace_id
)

select
    seller_id,
    marketplace_id,
    currency_code,
    account_type,
    as_of_local_date,
    as_of_at,
    amazon_available_amount,
    amazon_deferred_amount,
    amazon_account_level_reserve_amount,
    amazon_reserved_amount,
    amazon_total_amount,
    cast(deferred_amount as decimal(20, 4)) as deferred_amount,
    cast(reserved_amount as decimal(20, 4)) as reserved_amount,
    cast(deferred_amount - amazon_deferred_amount as decimal(20, 4)) as deferred_difference_amount,
    cast(reserved_amount - amazon_reserved_amount as decimal(20, 4)) as reserved_difference_amount,
    is_history_complete,
    coalesce(
        deferred_amount = amazon_deferred_amount and reserved_amount = amazon_reserved_amount, false
    ) as is_balanced
from compared
