
    select *
    from "acorn"."marts"."fct_refund_tax_documents"
    where not coalesce((is_registration_missing_or_expired = (registration_status <> 'valid')), false)
