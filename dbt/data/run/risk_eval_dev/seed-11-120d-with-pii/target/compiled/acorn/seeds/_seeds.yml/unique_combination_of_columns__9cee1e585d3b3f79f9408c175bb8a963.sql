
    select
        marketplace_code, iso_weekday,
        count(*) as row_count
    from "acorn"."seeds"."marketplace_weekend_days"
    group by marketplace_code, iso_weekday
    having count(*) > 1
