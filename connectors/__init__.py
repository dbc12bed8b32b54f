"""Connectors: the only code that speaks HTTP (lexoffice) or SQL (the field-service system)."""
