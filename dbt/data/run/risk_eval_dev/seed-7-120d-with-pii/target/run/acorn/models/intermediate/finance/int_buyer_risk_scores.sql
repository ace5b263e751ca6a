
    

    create  table
      "acorn"."intermediate"."int_buyer_risk_scores__dbt_tmp"
  
    
    as (
      with

orders as (
    select * from "acorn"."intermediate"."int_risk_orders"
),

buyer_risk_scores as (
    select * from "acorn"."staging"."stg_risk__buyer_risk_scores"
)

select
    orders.seller_id,
    orders.order_id,
    cast(buyer_risk_scores.risk_score as decimal(9, 4)) as buyer_risk_score
from orders
inner join buyer_risk_scores
    on
        orders.seller_id = buyer_risk_scores.seller_id
        and orders.marketplace_id = buyer_risk_scores.marketplace_id
        and orders.buyer_key = buyer_risk_scores.buyer_key
    );
    
  