"""Great Expectations at the ingestion boundary: validate each batch before it lands."""
