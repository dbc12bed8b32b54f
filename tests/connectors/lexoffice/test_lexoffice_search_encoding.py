"""lexoffice's search-string encoding and query building, without I/O."""

from __future__ import annotations

import pytest

from connectors.lexoffice.search import (
    html_encode_search,
    query_string,
    require_search_length,
)


def test_search_values_are_html_encoded_then_url_encoded_like_the_docs_example() -> None:
    query = query_string({"name": html_encode_search("johnson & partner")})
    assert query == "name=johnson%20%26amp%3B%20partner"


def test_html_encodes_angle_brackets() -> None:
    assert html_encode_search("<Müller & Söhne>") == "&lt;Müller &amp; Söhne&gt;"


def test_query_string_url_encodes_html_encoded_search_values() -> None:
    query = query_string({"name": html_encode_search("a&b <c>"), "customer": True})
    assert query == "name=a%26amp%3Bb%20%26lt%3Bc%26gt%3B&customer=true"


def test_query_string_joins_lists_with_commas_and_drops_unset_filters() -> None:
    query = query_string({"voucherType": ["invoice", "creditnote"], "archived": None, "page": 0})
    assert query == "voucherType=invoice,creditnote&page=0"


def test_query_string_encodes_umlauts_and_wildcards() -> None:
    assert query_string({"email": "jürgen_%@x.de"}) == "email=j%C3%BCrgen_%25%40x.de"


@pytest.mark.parametrize("text", ["", "a", "ab"])
def test_refuses_contact_filters_shorter_than_three_characters(text: str) -> None:
    with pytest.raises(ValueError, match="at least 3 characters"):
        require_search_length("name", text)


def test_accepts_contact_filters_of_three_characters() -> None:
    require_search_length("name", "abc")
