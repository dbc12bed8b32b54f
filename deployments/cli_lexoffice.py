"""Asking lexoffice once, quickly, before a command starts work: is the account reachable?

One attempt with short timeouts: an unreachable host or a refused key is reported in a few
seconds with the host named, instead of after the run's full retry budget.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from deployments.cli_support import ConfigurationError

PROBE_SETTINGS: dict[str, Any] = {"max_attempts": 1, "connect_timeout": 5.0, "read_timeout": 15.0}


def profile_of(connection_block: Any) -> Any:
    """lexoffice's /v1/profile for the connection's key, or a ConfigurationError saying why."""
    from connectors.lexoffice.client import LexofficeClient
    from connectors.lexoffice.errors import (
        ConnectionFailedError,
        CredentialsError,
        LexofficeError,
        NotFoundError,
    )
    from tasks.connection import MissingApiKeyError
    from tasks.error_text import lexoffice_error

    base_url = connection_block.lexoffice_base_url
    try:
        with LexofficeClient(connection_block.lexoffice_settings(**PROBE_SETTINGS)) as client:
            return client.get_profile()
    except MissingApiKeyError:
        raise ConfigurationError(
            "Kein lexoffice-API-Schlüssel: LEXOFFICE_API_KEY setzen oder die Verbindung mit "
            "`lexsync connections add` anlegen."
        ) from None
    except ConnectionFailedError as failure:
        reason = failure.reason or "keine Antwort"
        raise ConfigurationError(
            f"lexoffice ist unter {host_of(base_url)} nicht erreichbar ({reason}): Netzwerk "
            f"und Basis-URL {base_url} prüfen."
        ) from None
    except CredentialsError:
        raise ConfigurationError(
            f"lexoffice ({host_of(base_url)}) lehnt den API-Schlüssel ab: einen neuen Schlüssel "
            "erzeugen und eintragen."
        ) from None
    except NotFoundError:
        raise ConfigurationError(
            f"Unter {base_url} antwortet keine lexoffice-API (/v1/profile: HTTP 404): die "
            "Basis-URL prüfen, z. B. https://api.lexware.io."
        ) from None
    except LexofficeError as failure:
        raise ConfigurationError(
            f"lexoffice ({host_of(base_url)}) antwortet nicht wie erwartet: "
            f"{lexoffice_error(failure)}."
        ) from None


def host_of(url: str) -> str:
    return urlsplit(url).netloc or url
