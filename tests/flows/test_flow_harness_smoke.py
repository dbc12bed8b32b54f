"""The connection block round-trips through the Prefect API, secret included."""

from __future__ import annotations

from tasks.connection import LexsyncConnection, load_connection


def test_connection_block_loads_by_name_with_its_secret(
    connection_block: LexsyncConnection,
) -> None:
    name = connection_block._block_document_name
    assert name is not None
    loaded = load_connection(name)
    assert loaded.database_url == connection_block.database_url
    assert loaded.lexoffice_api_key is not None
    assert connection_block.lexoffice_api_key is not None
    secret = loaded.lexoffice_api_key.get_secret_value()
    assert secret == connection_block.lexoffice_api_key.get_secret_value()
    assert secret not in repr(loaded)
