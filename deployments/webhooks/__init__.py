"""The webhook receiver: lexoffice's callbacks in, customer flow runs out (`lexsync receiver`).

- `config`: `ReceiverSettings` and where lexoffice's public key comes from;
- `signature`: loading the key, checking `X-Lxo-Signature`;
- `public_key`: lexoffice's published key, cached on disk, with the pinned copy as fallback;
- `events`: the callback body, parsed strictly;
- `store`: the event table (stored first, deduplicated, claimed in batches);
- `dispatcher`: coalescing bursts into a bounded number of customer flow runs;
- `app`: the Starlette app (HEAD, POST); `runtime`: wiring one connection's receiver;
- `server`: uvicorn in the foreground (CLI) or in a background thread (tests).
"""
