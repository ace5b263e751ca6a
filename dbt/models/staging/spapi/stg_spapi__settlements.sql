{#- A table, not a view: the source is hundreds of small lake files, and every
    reader (the settlement match, three marts, the key tests) would re-read them
    all. Rebuilt in full each night, from one read. -#}
{{ config(materialized='table') }}

with

source as (
    select * from {{ source('spapi', 'settlements') }}
),

renamed as (
    select
        ----------  ids
        settlement_id,
        seller_id,
        marketplace_id,
        report_id,
        report_document_id,

        ----------  strings
        upper(currency_code) as currency_code,

        ----------  numerics
        cast(total_amount as decimal(20, 4)) as total_amount,
        line_count,

        ----------  timestamps
        settlement_started_at,
        settlement_ended_at,
        deposited_at,

        ----------  metadata
        _run_id
    from source
)

select * from renamed
