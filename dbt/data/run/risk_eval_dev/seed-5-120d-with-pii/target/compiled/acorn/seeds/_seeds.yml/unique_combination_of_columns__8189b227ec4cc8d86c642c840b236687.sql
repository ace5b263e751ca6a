
    select
        marketplace_code, holiday_date,
        count(*) as row_count
    from "acorn"."seeds"."marketplace_public_holidays"
    group by marketplace_code, holiday_date
    having count(*) > 1
