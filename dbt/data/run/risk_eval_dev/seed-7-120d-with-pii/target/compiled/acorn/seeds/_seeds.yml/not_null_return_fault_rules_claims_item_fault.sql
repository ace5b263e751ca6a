
    
    



select claims_item_fault
from "acorn"."seeds"."return_fault_rules"
where claims_item_fault is null


