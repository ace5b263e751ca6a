
    select *
    from "acorn"."marts"."fct_refund_tax_documents"
    where not coalesce((refunded_tax_total_amount = refunded_tax_amount + refunded_shipping_tax_amount), false)
