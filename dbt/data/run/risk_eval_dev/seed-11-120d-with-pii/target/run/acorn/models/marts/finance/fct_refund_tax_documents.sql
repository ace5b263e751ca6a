
    
      
    

    create  table
      "acorn"."marts"."fct_refund_tax_documents__dbt_tmp"
  
  (
    transaction_id varchar,
    seller_id varchar,
    marketplace_id varchar,
    marketplace_code varchar,
    order_id varchar,
    refund_id varchar,
    refund_kind varchar,
    tax_regime varchar,
    document_type varchar,
    refund_line_count bigint,
    currency_code varchar,
    refunded_principal_amount decimal(20,4),
    promotion_reversed_amount decimal(20,4),
    taxable_principal_amount decimal(20,4),
    refunded_tax_amount decimal(20,4),
    refunded_shipping_amount decimal(20,4),
    refunded_shipping_tax_amount decimal(20,4),
    refunded_tax_total_amount decimal(20,4),
    tax_withheld_amount decimal(20,4),
    is_tax_withheld_by_amazon boolean,
    applied_tax_rate decimal(9,6),
    seed_tax_rate decimal(9,6),
    seed_tax_category varchar,
    is_tax_rate_unexpected boolean,
    registration_type varchar,
    registration_number varchar,
    registration_valid_from date,
    registration_valid_to date,
    registration_status varchar,
    is_registration_missing_or_expired boolean,
    ioss_number varchar,
    posted_local_date date,
    posted_at timestamp with time zone
    
    )
 ;
    
    
    insert into "acorn"."marts"."fct_refund_tax_documents__dbt_tmp" 
  (
    
      
      
      transaction_id ,
    
      
      
      seller_id ,
    
      
      
      marketplace_id ,
    
      
      
      marketplace_code ,
    
      
      
      order_id ,
    
      
      
      refund_id ,
    
      
      
      refund_kind ,
    
      
      
      tax_regime ,
    
      
      
      document_type ,
    
      
      
      refund_line_count ,
    
      
      
      currency_code ,
    
      
      
      refunded_principal_amount ,
    
      
      
      promotion_reversed_amount ,
    
      
      
      taxable_principal_amount ,
    
      
      
      refunded_tax_amount ,
    
      
      
      refunded_shipping_amount ,
    
      
      
      refunded_shipping_tax_amount ,
    
      
      
      refunded_tax_total_amount ,
    
      
      
      tax_withheld_amount ,
    
      
      
      is_tax_withheld_by_amazon ,
    
      
      
      applied_tax_rate ,
    
      
      
      seed_tax_rate ,
    
      
      
      seed_tax_category ,
    
      
      
      is_tax_rate_unexpected ,
    
      
      
      registration_type ,
    
      
      
      registration_number ,
    
      
      
      registration_valid_from ,
    
      
      
      registration_valid_to ,
    
      
      
      registration_status ,
    
      
      
      is_registration_missing_or_expired ,
    
      
      
      ioss_number ,
    
      
      
      posted_local_date ,
    
      
      
      posted_at 
    
  )
 (
      
    select transaction_id, seller_id, marketplace_id, marketplace_code, order_id, refund_id, refund_kind, tax_regime, document_type, refund_line_count, currency_code, refunded_principal_amount, promotion_reversed_amount, taxable_principal_amount, refunded_tax_amount, refunded_shipping_amount, refunded_shipping_tax_amount, refunded_tax_total_amount, tax_withheld_amount, is_tax_withheld_by_amazon, applied_tax_rate, seed_tax_rate, seed_tax_category, is_tax_rate_unexpected, registration_type, registration_number, registration_valid_from, registration_valid_to, registration_status, is_registration_missing_or_expired, ioss_number, posted_local_date, posted_at
    from (
        with

refunds as (
    select * from "acorn"."marts"."fct_refund_reconciliation"
),

marketplaces as (
    select * from "acorn"."seeds"."marketplaces"
),

tax_document_regimes as (
    select * from "acorn"."seeds"."tax_document_regimes"
),

tax_rates as (
    select * from "acorn"."seeds"."tax_rates"
),

seller_tax_registrations as (
    select * from "acorn"."seeds"."seller_tax_registrations"
),

currency_minor_units as (
    select * from "acorn"."seeds"."currency_minor_units"
),


refunds_aggregated_to_transaction as (
    select
        transaction_id,
        seller_id,
        marketplace_id,
        order_id,
        refund_id,
        refund_kind,
        currency_code,
        posted_local_date,
        posted_at,
        count(*) as refund_line_count,
        sum(refunded_principal_amount) as refunded_principal_amount,
        sum(coalesce(promotion_reversed_amount, 0)) as promotion_reversed_amount,
        sum(refunded_tax_amount) as refunded_tax_amount,
        sum(refunded_shipping_amount) as refunded_shipping_amount,
        sum(refunded_shipping_tax_amount) as refunded_shipping_tax_amount,
        sum(tax_withheld_amount) as tax_withheld_amount
    from refunds
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9
),


refunds_needing_documents as (
    select
        refunds_aggregated_to_transaction.*,
        marketplaces.marketplace_code,
        marketplaces.tax_regime,
        tax_document_regimes.document_type,
        tax_document_regimes.registration_type,
        currency_minor_units.minor_unit_exponent,
        refunds_aggregated_to_transaction.refunded_tax_amount
        + refunds_aggregated_to_transaction.refunded_shipping_tax_amount
            as refunded_tax_total_amount,
        refunds_aggregated_to_transaction.tax_withheld_amount <> 0
            as is_tax_withheld_by_amazon
    from refunds_aggregated_to_transaction
    inner join marketplaces
        on refunds_aggregated_to_transaction.marketplace_id = marketplaces.marketplace_id
    inner join tax_document_regimes
        on marketplaces.tax_regime = tax_document_regimes.tax_regime
    left join currency_minor_units
        on
            refunds_aggregated_to_transaction.currency_code
            = currency_minor_units.currency_code
    where
        tax_document_regimes.needs_tax_document
        and refunds_aggregated_to_transaction.posted_local_date
        >= tax_document_regimes.effective_from
        and refunds_aggregated_to_transaction.refunded_tax_amount
        + refunds_aggregated_to_transaction.refunded_shipping_tax_amount <> 0
        and (
            refunds_aggregated_to_transaction.tax_withheld_amount = 0
            or tax_document_regimes.needs_document_when_tax_withheld
        )
),


with_applied_rate as (
    select
        *,
        refunded_principal_amount - promotion_reversed_amount
            as taxable_principal_amount,
        cast(round(
            refunded_tax_amount
            / nullif(refunded_principal_amount - promotion_reversed_amount, 0),
            6
        ) as decimal(9, 6)) as applied_tax_rate
    from refunds_needing_documents
),


joined_to_seed_rate as (
    select
        with_applied_rate.*,
        tax_rates.tax_rate as seed_tax_rate,
        tax_rates.tax_category as seed_tax_category
    from with_applied_rate
    left join tax_rates
        on
            with_applied_rate.marketplace_code = tax_rates.marketplace_code
            and with_applied_rate.posted_local_date >= tax_rates.effective_from
            and with_applied_rate.posted_local_date
            <= coalesce(tax_rates.effective_to, cast('9999-12-31' as date))
    qualify row_number() over (
        partition by with_applied_rate.transaction_id
        order by
            abs(coalesce(with_applied_rate.applied_tax_rate, 0) - tax_rates.tax_rate),
            case when tax_rates.tax_category = 'standard' then 0 else 1 end
    ) = 1
),


joined_to_registration as (
    select
        joined_to_seed_rate.*,
        seller_tax_registrations.registration_number,
        seller_tax_registrations.valid_from as registration_valid_from,
        seller_tax_registrations.valid_to as registration_valid_to,
        case
            when seller_tax_registrations.seller_tax_registration_id is null
                then 'missing'
            when joined_to_seed_rate.posted_local_date < seller_tax_registrations.valid_from
                then 'not_yet_valid'
            when
                joined_to_seed_rate.posted_local_date
                > coalesce(seller_tax_registrations.valid_to, cast('9999-12-31' as date))
                then 'expired'
            else 'valid'
        end as registration_status
    from joined_to_seed_rate
    left join seller_tax_registrations
        on
            joined_to_seed_rate.seller_id = seller_tax_registrations.seller_id
            and joined_to_seed_rate.marketplace_code
            = seller_tax_registrations.jurisdiction_code
            and joined_to_seed_rate.registration_type
            = seller_tax_registrations.registration_type
    qualify row_number() over (
        partition by joined_to_seed_rate.transaction_id
        order by
            case
                when
                    joined_to_seed_rate.posted_local_date
                    between seller_tax_registrations.valid_from
                    and coalesce(
                        seller_tax_registrations.valid_to, cast('9999-12-31' as date)
                    )
                    then 0
                else 1
            end,
            seller_tax_registrations.valid_from desc
    ) = 1
),


ioss_registrations as (
    select
        seller_id,
        registration_number,
        valid_from,
        coalesce(valid_to, cast('9999-12-31' as date)) as valid_to
    from seller_tax_registrations
    where jurisdiction_code = 'EU' and registration_type = 'ioss_number'
),

joined_to_ioss as (
    select
        joined_to_registration.*,
        ioss_registrations.registration_number as ioss_number
    from joined_to_registration
    left join ioss_registrations
        on
            joined_to_registration.seller_id = ioss_registrations.seller_id
            and joined_to_registration.tax_regime = 'eu_vat'
            and joined_to_registration.posted_local_date
            between ioss_registrations.valid_from and ioss_registrations.valid_to
    qualify row_number() over (
        partition by joined_to_registration.transaction_id
        order by ioss_registrations.valid_from desc
    ) = 1
)

select
    transaction_id,
    seller_id,
    marketplace_id,
    marketplace_code,
    order_id,
    refund_id,
    refund_kind,
    tax_regime,
    document_type,
    refund_line_count,
    currency_code,
    cast(refunded_principal_amount as decimal(20, 4)) as refunded_principal_amount,
    cast(promotion_reversed_amount as decimal(20, 4)) as promotion_reversed_amount,
    cast(taxable_principal_amount as decimal(20, 4)) as taxable_principal_amount,
    cast(refunded_tax_amount as decimal(20, 4)) as refunded_tax_amount,
    cast(refunded_shipping_amount as decimal(20, 4)) as refunded_shipping_amount,
    cast(refunded_shipping_tax_amount as decimal(20, 4)) as refunded_shipping_tax_amount,
    cast(refunded_tax_total_amount as decimal(20, 4)) as refunded_tax_total_amount,
    cast(tax_withheld_amount as decimal(20, 4)) as tax_withheld_amount,
    is_tax_withheld_by_amazon,
    applied_tax_rate,
    cast(seed_tax_rate as decimal(9, 6)) as seed_tax_rate,
    seed_tax_category,
    
    coalesce(
        abs(refunded_tax_amount - taxable_principal_amount * seed_tax_rate)
        > case minor_unit_exponent
        when 0 then cast(1 as decimal(20, 4))
        when 1 then cast(0.1 as decimal(20, 4))
        when 2 then cast(0.01 as decimal(20, 4))
        when 3 then cast(0.001 as decimal(20, 4))
        else cast(0.0001 as decimal(20, 4))
    end * refund_line_count,
        true
    ) as is_tax_rate_unexpected,
    registration_type,
    registration_number,
    registration_valid_from,
    registration_valid_to,
    registration_status,
    registration_status <> 'valid' as is_registration_missing_or_expired,
    ioss_number,
    posted_local_date,
    posted_at
from joined_to_ioss
    ) as model_subq
    );
  