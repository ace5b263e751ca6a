with

mfn_return_deadlines as (
    select * from "acorn"."intermediate"."int_mfn_returns_joined_to_refund_deadlines"
),

mfn_returns as (
    select * from "acorn"."staging"."stg_spapi__mfn_returns"
),


transactions as (
    select * from "acorn"."staging"."stg_spapi__transactions"
    where
        is_buyer_refund
        and order_id in (select mfn_return_deadlines.order_id from mfn_return_deadlines)
        and posted_at <= cast('2026-11-30 00:00:00' as timestamp with time zone)
),

transaction_types as (
    select * from "acorn"."seeds"."transaction_types"
    where refund_kind in ('refund', 'a_to_z_claim')
),

policy_rules as (
    select * from "acorn"."seeds"."policy_rules"
    where rule_name = 'a_to_z_seller_response_hours'
),

seller_return_qc_notes as (
    select * from "acorn"."seeds"."seller_return_qc_notes"
),


order_refunds as (
    select
        transactions.seller_id,
        transactions.order_id,
        min(
            case
                when transaction_types.refund_kind = 'refund'
                    then transactions.posted_at
            end
        ) as refunded_at,
        min(
            case
                when transaction_types.refund_kind = 'a_to_z_claim'
                    then transactions.posted_at
            end
        ) as claim_posted_at
    from transactions
    inner join transaction_types
        on transactions.transaction_type = transaction_types.transaction_type
    group by 1, 2
),

order_refund_transactions as (
    select
        order_refunds.seller_id,
        order_refunds.order_id,
        order_refunds.refunded_at,
        order_refunds.claim_posted_at,
        max(
            case
                when
                    transactions.transaction_type = 'Refund'
                    and transactions.posted_at = order_refunds.refunded_at
                    then transactions.transaction_id
            end
        ) as refund_transaction_id,
        max(
            case
                when
                    transactions.transaction_type = 'GuaranteeClaim'
                    and transactions.posted_at = order_refunds.claim_posted_at
                    then transactions.transaction_id
            end
        ) as claim_transaction_id,
        sum(
            case
                when transactions.transaction_type = 'GuaranteeClaim'
                    then transactions.total_amount
            end
        ) as claim_amount
    from order_refunds
    inner join transactions
        on
            order_refunds.seller_id = transactions.seller_id
            and order_refunds.order_id = transactions.order_id
    group by 1, 2, 3, 4
),

response_terms as (
    select
        marketplace_code,
        effective_from,
        coalesce(effective_to, cast('9999-12-31' as date)) as effective_to,
        cast(rule_value as integer) as response_hours
    from policy_rules
),

returns_joined_to_refunds as (
    select
        mfn_return_deadlines.*,
        order_refund_transactions.refund_transaction_id,
        order_refund_transactions.refunded_at,
        order_refund_transactions.claim_transaction_id,
        order_refund_transactions.claim_posted_at,
        order_refund_transactions.claim_amount,
        mfn_returns.currency_code,
        response_terms.response_hours,
        seller_return_qc_notes.qc_note,
        cast(seller_return_qc_notes.noted_at as timestamp with time zone)
            as qc_noted_at
    from mfn_return_deadlines
    inner join mfn_returns
        on mfn_return_deadlines.return_id = mfn_returns.return_id
    left join order_refund_transactions
        on
            mfn_return_deadlines.seller_id = order_refund_transactions.seller_id
            and mfn_return_deadlines.order_id
            = order_refund_transactions.order_id
    left join response_terms
        on
            mfn_return_deadlines.marketplace_code
            = response_terms.marketplace_code
            and cast(timezone(mfn_return_deadlines.time_zone, mfn_return_deadlines.return_requested_at) as date)
            between response_terms.effective_from and response_terms.effective_to
    left join seller_return_qc_notes
        on mfn_return_deadlines.amazon_rma_id = seller_return_qc_notes.amazon_rma_id
),


refund_deadline_alerts as (
    select
        'mfn_return_not_refunded' as alert_type,
        returns_joined_to_refunds.*,
        returns_joined_to_refunds.due_at as alert_due_at,
        case
            when returns_joined_to_refunds.refunded_at is not null
                then 'resolved_late'
            when returns_joined_to_refunds.claim_posted_at is not null
                then 'claim_granted'
            when returns_joined_to_refunds.due_at <= cast('2026-11-30 00:00:00' as timestamp with time zone)
                then 'breached'
            else 'open'
        end as status
    from returns_joined_to_refunds
    where
        returns_joined_to_refunds.return_received_at is not null
        and (
            returns_joined_to_refunds.refunded_at is null
            or returns_joined_to_refunds.refunded_at
            >= returns_joined_to_refunds.due_at
        )
),


a_to_z_alerts as (
    select
        'a_to_z_risk' as alert_type,
        returns_joined_to_refunds.*,
        

    (returns_joined_to_refunds.due_at + cast(returns_joined_to_refunds.response_hours as bigint) * interval 1 hour) as alert_due_at,
        case
            when returns_joined_to_refunds.claim_posted_at is not null
                then 'claim_granted'
            when
                

    (returns_joined_to_refunds.due_at + cast(returns_joined_to_refunds.response_hours as bigint) * interval 1 hour) <= cast('2026-11-30 00:00:00' as timestamp with time zone)
                then 'breached'
            else 'open'
        end as status
    from returns_joined_to_refunds
    where
        returns_joined_to_refunds.claim_posted_at is not null
        or (
            returns_joined_to_refunds.refunded_at is null
            and returns_joined_to_refunds.due_at <= cast('2026-11-30 00:00:00' as timestamp with time zone)
        )
),


outside_policy_alerts as (
    select
        'refund_outside_policy' as alert_type,
        returns_joined_to_refunds.*,
        

    (returns_joined_to_refunds.return_requested_at + cast(returns_joined_to_refunds.response_hours as bigint) * interval 1 hour) as alert_due_at,
        case
            when
                

    (returns_joined_to_refunds.return_requested_at + cast(returns_joined_to_refunds.response_hours as bigint) * interval 1 hour) <= cast('2026-11-30 00:00:00' as timestamp with time zone)
                then 'breached'
            else 'open'
        end as status
    from returns_joined_to_refunds
    where
        not returns_joined_to_refunds.is_in_policy
        and returns_joined_to_refunds.refunded_at is null
        and returns_joined_to_refunds.claim_posted_at is null
),

alerts as (
    select * from refund_deadline_alerts
    union all
    select * from a_to_z_alerts
    union all
    select * from outside_policy_alerts
),

final as (
    select
        alerts.alert_type || '-' || alerts.return_id
            as alert_id,
        alerts.alert_type,
        alerts.status,
        alerts.status in ('open', 'breached') as is_open,
        case
            when alerts.status in ('breached', 'claim_granted') then 'critical'
            when alerts.status = 'resolved_late' then 'low'
            when
                alerts.alert_due_at
                <= 

    (cast('2026-11-30 00:00:00' as timestamp with time zone) + cast(24 as bigint) * interval 1 hour)
                then 'high'
            else 'medium'
        end as severity,
        alerts.seller_id,
        alerts.marketplace_id,
        alerts.marketplace_code,
        alerts.order_id,
        alerts.sku,
        alerts.return_id,
        alerts.amazon_rma_id,
        cast(alerts.alert_due_at as timestamp with time zone) as due_at,
        case
            when alerts.alert_type = 'mfn_return_not_refunded'
                then alerts.due_local_date
            else cast(timezone(alerts.time_zone, alerts.alert_due_at) as date)
        end as due_local_date,
        alerts.time_zone,
        alerts.refund_deadline_business_days,
        alerts.skipped_holiday_count,
        alerts.return_requested_at,
        alerts.return_received_at,
        alerts.received_local_date,
        alerts.refund_transaction_id,
        alerts.refunded_at,
        alerts.claim_transaction_id,
        alerts.claim_posted_at,
        cast(alerts.claim_amount as decimal(20, 4)) as claim_amount,
        alerts.currency_code,
        alerts.tracking_id,
        alerts.return_carrier,
        alerts.return_received_at is not null as has_delivery_confirmation,
        alerts.qc_note,
        alerts.qc_noted_at,
        cast(cast('2026-11-30 00:00:00' as timestamp with time zone) as timestamp with time zone) as as_of_at
    from alerts
)

select * from final