
    
    

select
    tax_regime as unique_field,
    count(*) as n_records

from "acorn"."seeds"."tax_document_regimes"
where tax_regime is not null
group by tax_regime
having count(*) > 1


