
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select tax_regime
from "acorn"."seeds"."tax_document_regimes"
where tax_regime is null



  
  
      
    ) dbt_internal_test