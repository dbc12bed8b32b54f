"""The English words lexsync used to write into texts for people, to check they stay out."""

from __future__ import annotations

import re
from collections.abc import Iterable

ENGLISH = re.compile(
    r"\b(failed|skipped|conflicts?|not|could|invoices?|customers?|should|must|has|have|"
    r"entries|gave up|attempts?|the|row|batch|required|refused|unknown|outcome|run again)\b",
    re.IGNORECASE,
)
# A lexoffice error names the request it made ("POST /v1/invoices"): a technical address.
REQUEST = re.compile(r"\b(GET|POST|PUT|DELETE) /v1/\S+")


def english_in(texts: Iterable[str]) -> list[tuple[str, str]]:
    """(word, text) for each English word found, request addresses left out."""
    return [(word, text) for text in texts for word in ENGLISH.findall(REQUEST.sub("", text))]
