
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select
        claim_type, claim_key,
        count(*) as row_count
    from "acorn"."intermediate"."int_money_owed_claims"
    group by claim_type, claim_key
    having count(*) > 1

  
  
      
    ) dbt_internal_test