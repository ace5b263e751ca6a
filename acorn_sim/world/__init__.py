"""Synthetic cross-border seller worlds that the local SP-API sandbox serves."""
