{#- The instant this build judged its as-of rules at (macros/as_of.sql), for
    readers outside dbt (the daily digest). -#}
select {{ as_of_timestamp() }} as as_of_at
