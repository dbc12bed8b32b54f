"""The embedded default connection comes from the environment, secrets kept secret."""

from __future__ import annotations

import pytest

from tasks.connection import MissingApiKeyError, connection_from_environment


def test_default_connection_reads_key_rate_callback_and_shared_pacing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LEXOFFICE_API_KEY", "geheim-123")
    monkeypatch.setenv("LEXOFFICE_RATE_PER_SECOND", "1.5")
    monkeypatch.setenv("LEXSYNC_DATABASE_URL", "sqlite:///:memory:")
    monkeypatch.setenv("LEXSYNC_WEBHOOK_CALLBACK_URL", "https://lexsync.example.de/webhooks")
    monkeypatch.setenv("LEXSYNC_PACING_REDIS_URL", "redis://127.0.0.1:6379/0")

    connection = connection_from_environment()
    settings = connection.lexoffice_settings()

    assert settings.rate_per_second == 1.5
    assert settings.pacing_redis_url == "redis://127.0.0.1:6379/0"
    assert connection.webhook_callback_url == "https://lexsync.example.de/webhooks"
    assert "geheim-123" not in repr(connection) + repr(settings)


def test_missing_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LEXOFFICE_API_KEY", raising=False)
    monkeypatch.setenv("LEXSYNC_DATABASE_URL", "sqlite:///:memory:")

    with pytest.raises(MissingApiKeyError, match="LEXOFFICE_API_KEY"):
        connection_from_environment().lexoffice_settings()
