
    select
        claim_type, claim_key,
        count(*) as row_count
    from "acorn"."intermediate"."int_money_owed_claims"
    group by claim_type, claim_key
    having count(*) > 1
