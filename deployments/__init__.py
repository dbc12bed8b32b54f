"""How lexsync runs in production: CLI, settings, the webhook receiver."""
