"""First-time linking of records that exist on both sides but have no link yet.

Keys are tried in the spec's order (customers: customer number, then e-mail; products: article
number, then EAN; activities: exact name). A key value found exactly once on each side links
the two records. A value found on both sides but more than once on either is ambiguous: those
records are reported with their candidates and kept out of everything else (no link, no
create), because guessing would merge two customers or duplicate one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from tasks import report_text
from tasks.diff.frames import LOCAL_KEY, REMOTE_KEY, py
from tasks.diff.plan import Skip
from tasks.mapping.records import EntitySpec

MATCHED_BY = "matched_by"


@dataclass
class Matches:
    pairs: pd.DataFrame  # local_id, lexoffice_id, matched_by
    skips: list[Skip] = field(default_factory=list)
    held_local: set[Any] = field(default_factory=set)  # neither linked nor created
    held_remote: set[Any] = field(default_factory=set)


def match_unlinked(spec: EntitySpec, local: pd.DataFrame, remote: pd.DataFrame) -> Matches:
    """Pairs of unlinked local and remote records that are the same record, and the doubtful."""
    matches = Matches(pairs=pd.DataFrame(columns=[LOCAL_KEY, REMOTE_KEY, MATCHED_BY]))
    found = []
    for key in spec.match_keys:
        left = _open_keys(local, LOCAL_KEY, f"sys_{key}", matches.held_local)
        right = _open_keys(remote, REMOTE_KEY, f"lex_{key}", matches.held_remote)
        pairs = _match_on(key, left, right, matches)
        matches.held_local |= set(pairs[LOCAL_KEY])
        matches.held_remote |= set(pairs[REMOTE_KEY])
        found.append(pairs)
    matched = pd.concat(found, ignore_index=True) if found else matches.pairs
    matches.pairs = _without_excluded(matched, local, matches)
    return matches


def _open_keys(frame: pd.DataFrame, id_column: str, key: str, held: set[Any]) -> pd.DataFrame:
    """Records still looking for a partner that have a value for `key`."""
    open_rows = frame[key].notna() & ~frame[id_column].isin(held)
    return pd.DataFrame(
        {id_column: frame.loc[open_rows, id_column], "key": frame.loc[open_rows, key]}
    )


def _match_on(key: str, left: pd.DataFrame, right: pd.DataFrame, matches: Matches) -> pd.DataFrame:
    # many-to-many on purpose: these are candidates, and duplicates are what we look for.
    candidates = left.merge(right, on="key", how="inner", validate="many_to_many")
    candidates["left_count"] = candidates["key"].map(left["key"].value_counts())
    candidates["right_count"] = candidates["key"].map(right["key"].value_counts())
    unique = (candidates["left_count"] == 1) & (candidates["right_count"] == 1)
    _report_ambiguous(key, candidates.loc[~unique], matches)
    pairs = candidates.loc[unique, [LOCAL_KEY, REMOTE_KEY]]
    return pairs.assign(**{MATCHED_BY: key})


def _report_ambiguous(key: str, candidates: pd.DataFrame, matches: Matches) -> None:
    for value, group in candidates.groupby("key", sort=True):
        local_ids = tuple(py(v) for v in group[LOCAL_KEY].unique())
        remote_ids = tuple(py(v) for v in group[REMOTE_KEY].unique())
        reason = (
            f"nicht eindeutig über {report_text.field(key)} {value!r}: {len(local_ids)} "
            f"Datensätze im System und {len(remote_ids)} in lexoffice; bitte von Hand verknüpfen"
        )
        matches.skips += [Skip(reason, local_id=i, candidates=remote_ids) for i in local_ids]
        matches.skips += [Skip(reason, lexoffice_id=i, candidates=local_ids) for i in remote_ids]
        matches.held_local |= set(local_ids)
        matches.held_remote |= set(remote_ids)


def _without_excluded(pairs: pd.DataFrame, local: pd.DataFrame, matches: Matches) -> pd.DataFrame:
    """An excluded product blocks its lexoffice twin from being imported, but is not linked."""
    excluded_ids = set(local.loc[local["sys_excluded"], LOCAL_KEY])
    excluded = pairs[LOCAL_KEY].isin(excluded_ids)
    for local_id, remote_id in pairs.loc[excluded, [LOCAL_KEY, REMOTE_KEY]].itertuples(index=False):
        reason = (
            "passt zu einem im System vom Abgleich ausgeschlossenen Datensatz; "
            "nicht verknüpft, nicht importiert"
        )
        matches.skips.append(Skip(reason, local_id=py(local_id), lexoffice_id=py(remote_id)))
    return pairs.loc[~excluded].reset_index(drop=True)
