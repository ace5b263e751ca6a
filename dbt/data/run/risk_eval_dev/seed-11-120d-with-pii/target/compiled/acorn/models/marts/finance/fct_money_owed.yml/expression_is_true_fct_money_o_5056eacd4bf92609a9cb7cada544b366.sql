
    select *
    from "acorn"."marts"."fct_money_owed"
    where not coalesce((deadline_date is null or deadline_date >= eligible_from_date), false)
