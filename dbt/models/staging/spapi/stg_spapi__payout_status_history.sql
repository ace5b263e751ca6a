{{ config(materialized='table') }}

{#- One row per status a payout went through; lands with its payout (same
    partition, same merge), so no dedupe is needed here. -#}
with

source as (
    select * from {{ source('spapi', 'payout_status_history') }}
),

renamed as (
    select
        ----------  ids
        payout_id || '-' || cast(sequence as string) as payout_status_id,
        payout_id,
        seller_id,
        marketplace_id,

        ----------  strings
        status as payout_status,
        failure_reason,

        ----------  numerics
        sequence as status_sequence,

        ----------  timestamps
        status_at,
        created_at as payout_created_at,

        ----------  metadata
        _run_id,
        _request_id
    from source
)

select * from renamed
