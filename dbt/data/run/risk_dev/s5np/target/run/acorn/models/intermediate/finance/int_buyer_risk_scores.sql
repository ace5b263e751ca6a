
    

    create  table
      "acorn"."intermediate"."int_buyer_risk_scores__dbt_tmp"
  
    
    as (
      select
    cast(null as TEXT) as seller_id,
    cast(null as TEXT) as order_id,
    cast(null as decimal(9, 4)) as buyer_risk_score
where 1 = 0
    );
    
  