
    
      
    

    create  table
      "acorn"."marts"."fct_buyer_risk__dbt_tmp"
  
  (
    buyer_risk_id varchar,
    seller_id varchar,
    marketplace_id varchar,
    marketplace_code varchar,
    buyer_key varchar,
    buyer_key_kind varchar,
    order_count integer,
    return_count integer,
    returns_90d integer,
    returns_365d integer,
    refund_amount_365d decimal(20,4),
    currency_code varchar,
    reporting_refund_amount_365d decimal(20,4),
    reporting_currency_code varchar,
    risk_score decimal(9,4),
    rules_score decimal(9,4),
    model_score decimal(9,4),
    risk_band varchar,
    reason_code_1 varchar,
    reason_code_2 varchar,
    reason_code_3 varchar,
    last_return_at timestamp with time zone,
    model_version varchar,
    scored_at timestamp with time zone
    
    )
 ;
    
    
    insert into "acorn"."marts"."fct_buyer_risk__dbt_tmp" 
  (
    
      
      
      buyer_risk_id ,
    
      
      
      seller_id ,
    
      
      
      marketplace_id ,
    
      
      
      marketplace_code ,
    
      
      
      buyer_key ,
    
      
      
      buyer_key_kind ,
    
      
      
      order_count ,
    
      
      
      return_count ,
    
      
      
      returns_90d ,
    
      
      
      returns_365d ,
    
      
      
      refund_amount_365d ,
    
      
      
      currency_code ,
    
      
      
      reporting_refund_amount_365d ,
    
      
      
      reporting_currency_code ,
    
      
      
      risk_score ,
    
      
      
      rules_score ,
    
      
      
      model_score ,
    
      
      
      risk_band ,
    
      
      
      reason_code_1 ,
    
      
      
      reason_code_2 ,
    
      
      
      reason_code_3 ,
    
      
      
      last_return_at ,
    
      
      
      model_version ,
    
      
      
      scored_at 
    
  )
 (
      
    select buyer_risk_id, seller_id, marketplace_id, marketplace_code, buyer_key, buyer_key_kind, order_count, return_count, returns_90d, returns_365d, refund_amount_365d, currency_code, reporting_refund_amount_365d, reporting_currency_code, risk_score, rules_score, model_score, risk_band, reason_code_1, reason_code_2, reason_code_3, last_return_at, model_version, scored_at
    from (
        with

features as (
    select * from "acorn"."intermediate"."int_buyer_risk_features"
),

scores as (
    select * from "acorn"."staging"."stg_risk__buyer_risk_scores"
),

marketplaces as (
    select * from "acorn"."seeds"."marketplaces"
),

as_of as (
    select
        as_of_at,
        cast(timezone('UTC', as_of_at) as date) as as_of_date
    from "acorn"."intermediate"."int_as_of"
),

fx_rates as (
    select * from "acorn"."intermediate"."int_fx_rates"
)

select
    features.buyer_risk_id,
    features.seller_id,
    features.marketplace_id,
    marketplaces.marketplace_code,
    features.buyer_key,
    features.buyer_key_kind,
    features.order_count,
    features.return_count,
    features.returns_90d,
    features.returns_365d,
    features.refund_amount_365d,
    features.currency_code,
    cast(case fx_rates.reporting_minor_unit_exponent
        when 0 then cast(round(features.refund_amount_365d * fx_rates.fx_rate, 0) as decimal(38, 4))
        when 1 then cast(round(features.refund_amount_365d * fx_rates.fx_rate, 1) as decimal(38, 4))
        when 2 then cast(round(features.refund_amount_365d * fx_rates.fx_rate, 2) as decimal(38, 4))
        when 3 then cast(round(features.refund_amount_365d * fx_rates.fx_rate, 3) as decimal(38, 4))
        else cast(round(features.refund_amount_365d * fx_rates.fx_rate, 4) as decimal(38, 4))
    end as decimal(20, 4)) as reporting_refund_amount_365d,
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
    features.last_return_at,
    scores.model_version,
    scores.scored_at
from features
cross join as_of
left join scores
    on features.buyer_risk_id = scores.buyer_risk_id
left join marketplaces
    on features.marketplace_id = marketplaces.marketplace_id
left join fx_rates
    on
        features.currency_code = fx_rates.from_currency_code
        and as_of.as_of_date >= fx_rates.valid_from
        and (fx_rates.valid_to is null or as_of.as_of_date < fx_rates.valid_to)
    ) as model_subq
    );
  