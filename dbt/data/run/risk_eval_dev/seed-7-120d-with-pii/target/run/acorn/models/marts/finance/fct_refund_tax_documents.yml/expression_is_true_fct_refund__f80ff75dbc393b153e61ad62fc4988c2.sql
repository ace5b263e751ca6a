
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select *
    from "acorn"."marts"."fct_refund_tax_documents"
    where not coalesce((is_registration_missing_or_expired = (registration_status <> 'valid')), false)

  
  
      
    ) dbt_internal_test