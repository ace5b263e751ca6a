"""Pure transforms: API payloads and parsed report rows in, lake records out."""
