
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select *
    from "acorn"."marts"."fct_refund_tax_documents"
    where not coalesce((refunded_tax_total_amount = refunded_tax_amount + refunded_shipping_tax_amount), false)

  
  
      
    ) dbt_internal_test