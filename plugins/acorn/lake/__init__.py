"""The Parquet lake: explicit schemas, atomic partition writes, merge on natural keys."""
