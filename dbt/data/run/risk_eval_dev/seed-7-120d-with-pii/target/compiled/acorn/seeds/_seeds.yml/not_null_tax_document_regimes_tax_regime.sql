
    
    



select tax_regime
from "acorn"."seeds"."tax_document_regimes"
where tax_regime is null


