
    select *
    from "acorn"."marts"."fct_money_owed"
    where not coalesce((amount > 0), false)
