"""Return-fraud risk: rules and a learned layer over the warehouse's risk features.

The scores land as Parquet files (`scores.py`) that dbt reads back as the `risk`
source, so the warehouse keeps its one writer.
"""
