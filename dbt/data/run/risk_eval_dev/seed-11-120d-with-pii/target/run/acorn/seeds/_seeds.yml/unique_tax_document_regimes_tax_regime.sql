
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    tax_regime as unique_field,
    count(*) as n_records

from "acorn"."seeds"."tax_document_regimes"
where tax_regime is not null
group by tax_regime
having count(*) > 1



  
  
      
    ) dbt_internal_test