
    select
        code_type, code,
        count(*) as row_count
    from "acorn"."seeds"."return_fault_rules"
    group by code_type, code
    having count(*) > 1
