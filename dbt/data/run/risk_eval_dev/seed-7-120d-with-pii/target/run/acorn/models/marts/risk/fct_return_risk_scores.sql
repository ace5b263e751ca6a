
    
      
    

    create  table
      "acorn"."marts"."fct_return_risk_scores__dbt_tmp"
  
  (
    return_id varchar,
    seller_id varchar,
    marketplace_id varchar,
    marketplace_code varchar,
    order_id varchar,
    sku varchar,
    seller_product_name varchar,
    buyer_key varchar,
    buyer_key_kind varchar,
    fulfillment_channel varchar,
    return_reason varchar,
    return_disposition varchar,
    return_status varchar,
    event_at timestamp with time zone,
    event_local_date date,
    refund_amount decimal(20,4),
    currency_code varchar,
    reporting_refund_amount decimal(20,4),
    reporting_currency_code varchar,
    risk_score decimal(9,4),
    rules_score decimal(9,4),
    model_score decimal(9,4),
    risk_band varchar,
    reason_code_1 varchar,
    reason_code_2 varchar,
    reason_code_3 varchar,
    model_version varchar,
    scored_at timestamp with time zone
    
    )
 ;
    
    
    insert into "acorn"."marts"."fct_return_risk_scores__dbt_tmp" 
  (
    
      
      
      return_id ,
    
      
      
      seller_id ,
    
      
      
      marketplace_id ,
    
      
      
      marketplace_code ,
    
      
      
      order_id ,
    
      
      
      sku ,
    
      
      
      seller_product_name ,
    
      
      
      buyer_key ,
    
      
      
      buyer_key_kind ,
    
      
      
      fulfillment_channel ,
    
      
      
      return_reason ,
    
      
      
      return_disposition ,
    
      
      
      return_status ,
    
      
      
      event_at ,
    
      
      
      event_local_date ,
    
      
      
      refund_amount ,
    
      
      
      currency_code ,
    
      
      
      reporting_refund_amount ,
    
      
      
      reporting_currency_code ,
    
      
      
      risk_score ,
    
      
      
      rules_score ,
    
      
      
      model_score ,
    
      
      
      risk_band ,
    
      
      
      reason_code_1 ,
    
      
      
      reason_code_2 ,
    
      
      
      reason_code_3 ,
    
      
      
      model_version ,
    
      
      
      scored_at 
    
  )
 (
      
    select return_id, seller_id, marketplace_id, marketplace_code, order_id, sku, seller_product_name, buyer_key, buyer_key_kind, fulfillment_channel, return_reason, return_disposition, return_status, event_at, event_local_date, refund_amount, currency_code, reporting_refund_amount, reporting_currency_code, risk_score, rules_score, model_score, risk_band, reason_code_1, reason_code_2, reason_code_3, model_version, scored_at
    from (
        with

features as (
    select * from "acorn"."intermediate"."int_return_risk_features"
),

scores as (
    select * from "acorn"."staging"."stg_risk__return_risk_scores"
),

seller_product_names as (
    select * from "acorn"."seeds"."seller_product_names"
),

fx_rates as (
    select * from "acorn"."intermediate"."int_fx_rates"
)

select
    features.return_id,
    features.seller_id,
    features.marketplace_id,
    features.marketplace_code,
    features.order_id,
    features.sku,
    seller_product_names.seller_product_name,
    features.buyer_key,
    features.buyer_key_kind,
    features.fulfillment_channel,
    features.return_reason,
    features.return_disposition,
    features.return_status,
    features.event_at,
    features.event_local_date,
    cast(features.refund_amount as decimal(20, 4)) as refund_amount,
    features.currency_code,
    cast(case fx_rates.reporting_minor_unit_exponent
        when 0 then cast(round(features.refund_amount * fx_rates.fx_rate, 0) as decimal(38, 4))
        when 1 then cast(round(features.refund_amount * fx_rates.fx_rate, 1) as decimal(38, 4))
        when 2 then cast(round(features.refund_amount * fx_rates.fx_rate, 2) as decimal(38, 4))
        when 3 then cast(round(features.refund_amount * fx_rates.fx_rate, 3) as decimal(38, 4))
        else cast(round(features.refund_amount * fx_rates.fx_rate, 4) as decimal(38, 4))
    end as decimal(20, 4)) as reporting_refund_amount,
    coalesce(fx_rates.reporting_currency_code, 'CNY')
        as reporting_currency_code,
    scores.risk_score,
    scores.rules_score,
    scores.model_score,
    case
        when scores.risk_score >= 0.7 then 'high'
        when scores.risk_score >= 0.4 then 'medium'
        when scores.risk_score is not null then 'low'
    end as risk_band,
    scores.reason_code_1,
    scores.reason_code_2,
    scores.reason_code_3,
    scores.model_version,
    scores.scored_at
from features
left join scores
    on features.return_id = scores.return_id
left join seller_product_names
    on
        features.seller_id = seller_product_names.seller_id
        and features.sku = seller_product_names.sku
left join fx_rates
    on
        features.currency_code = fx_rates.from_currency_code
        and features.event_local_date >= fx_rates.valid_from
        and (fx_rates.valid_to is null or features.event_local_date < fx_rates.valid_to)
    ) as model_subq
    );
  