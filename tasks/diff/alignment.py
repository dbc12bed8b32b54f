"""Which link, system record and lexoffice record belong together.

The merges run on the keys and row positions only (outer, with an indicator and
`validate="one_to_one"`, so a duplicated key raises `pandas.errors.MergeError`); the wide
columns are then taken once by position, which keeps 100,000-row diffs fast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tasks.diff.frames import LOCAL_KEY, REMOTE_KEY, py
from tasks.diff.plan import MissingLink


@dataclass
class Aligned:
    triples: pd.DataFrame  # linked and present on both sides: link, sys_ and lex_ columns
    unlinked_local: pd.DataFrame
    unlinked_remote: pd.DataFrame
    vanished: list[MissingLink]


def align(links: pd.DataFrame, local: pd.DataFrame, remote: pd.DataFrame) -> Aligned:
    """links ⟗ system records on local_id, then the linked part ⟗ lexoffice on lexoffice_id."""
    keys = _merge_keys(links, local, remote)
    on_both = (keys["_sys"] == "both") & (keys["_lex"] == "both")
    triples = pd.concat(
        [
            _take(links, keys.loc[on_both, "link_row"]),
            _take(local.drop(columns=LOCAL_KEY), keys.loc[on_both, "local_row"]),
            _take(remote.drop(columns=REMOTE_KEY), keys.loc[on_both, "remote_row"]),
        ],
        axis=1,
    )
    return Aligned(
        triples=triples,
        unlinked_local=_take(local, keys.loc[keys["_sys"] == "right_only", "local_row"]),
        unlinked_remote=_take(remote, keys.loc[keys["_lex"] == "right_only", "remote_row"]),
        vanished=_vanished(keys),
    )


def _merge_keys(links: pd.DataFrame, local: pd.DataFrame, remote: pd.DataFrame) -> pd.DataFrame:
    _check_key_types(links[LOCAL_KEY], local[LOCAL_KEY], LOCAL_KEY)
    _check_key_types(links[REMOTE_KEY], remote[REMOTE_KEY], REMOTE_KEY)
    link_keys = pd.DataFrame(
        {LOCAL_KEY: links[LOCAL_KEY], REMOTE_KEY: links[REMOTE_KEY], "link_row": _rows(links)}
    )
    local_keys = pd.DataFrame({LOCAL_KEY: local[LOCAL_KEY], "local_row": _rows(local)})
    remote_keys = pd.DataFrame({REMOTE_KEY: remote[REMOTE_KEY], "remote_row": _rows(remote)})
    with_local = link_keys.merge(
        local_keys, on=LOCAL_KEY, how="outer", indicator="_sys", validate="one_to_one"
    )
    unlinked = with_local["_sys"] == "right_only"
    # Unlinked system records have no lexoffice_id: merging them would match null to null.
    linked = with_local.loc[~unlinked].merge(
        remote_keys, on=REMOTE_KEY, how="outer", indicator="_lex", validate="one_to_one"
    )
    keys = pd.concat([linked, with_local.loc[unlinked].assign(_lex="absent")], ignore_index=True)
    return keys.astype({"_sys": object, "_lex": object})


def _check_key_types(links: pd.Series, records: pd.Series, key: str) -> None:
    """1 never equals "1": mixed key types would silently unlink everything and duplicate it."""
    link_types = {type(value) for value in links.head(1000).tolist()}
    record_types = {type(value) for value in records.head(1000).tolist()}
    if link_types and record_types and not link_types & record_types:
        names = sorted(t.__name__ for t in link_types | record_types)
        raise TypeError(f"{key} has different types in links and records: {names}")


def _rows(frame: pd.DataFrame) -> np.ndarray:
    return np.arange(len(frame))


def _take(frame: pd.DataFrame, rows: pd.Series) -> pd.DataFrame:
    return frame.take(rows.to_numpy(dtype=np.int64)).reset_index(drop=True)


def _vanished(keys: pd.DataFrame) -> list[MissingLink]:
    from_lexoffice = keys.loc[keys["_lex"] == "left_only", [LOCAL_KEY, REMOTE_KEY]]
    from_system = keys.loc[
        (keys["_sys"] == "left_only") & (keys["_lex"] == "both"), [LOCAL_KEY, REMOTE_KEY]
    ]
    return [
        MissingLink(py(local_id), py(remote_id), "lexoffice")
        for local_id, remote_id in from_lexoffice.itertuples(index=False)
    ] + [
        MissingLink(py(local_id), py(remote_id), "system")
        for local_id, remote_id in from_system.itertuples(index=False)
    ]
