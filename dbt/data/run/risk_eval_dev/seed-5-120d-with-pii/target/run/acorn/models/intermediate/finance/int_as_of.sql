
    

    create  table
      "acorn"."intermediate"."int_as_of__dbt_tmp"
  
    
    as (
      select cast('2026-11-30 00:00:00' as timestamp with time zone) as as_of_at
    );
    
  