{#- A table, not a view: one lake file per marketplace and day, and every
    reader (the key tests, the cash-flow marts) would re-read them all.
    Rebuilt in full each night, from one read. The lake merges a balance by
    its natural key, so no dedupe is needed here. -#}
{{ config(materialized='table') }}

with

source as (
    select * from {{ source('spapi', 'balances') }}
),

renamed as (
    select
        ----------  ids
        seller_id,
        marketplace_id,

        ----------  strings
        account_type,
        balance_type,
        parent_balance_type,
        upper(currency_code) as currency_code,

        ----------  numerics
        cast(amount as decimal(20, 4)) as amount,

        ----------  booleans
        parent_balance_type is null as is_top_level,

        ----------  dates
        cast(as_of_date as date) as as_of_local_date,

        ----------  timestamps
        as_of_at,
        last_updated_at,

        ----------  metadata
        _run_id,
        _request_id
    from source
)

select * from renamed
