"""Extraction: SP-API -> normalised records -> lake partitions."""
