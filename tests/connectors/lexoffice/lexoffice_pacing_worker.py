"""A separate process that sends `count` paced GET /v1/profile requests (pacing test helper).

Usage: python lexoffice_pacing_worker.py BASE_URL PACING_DIR COUNT
It warms up, prints `ready`, starts the race when a line arrives on stdin, and at the end
prints when its first and its last request of the race went out (epoch seconds). The API
key comes from the LEXOFFICE_API_KEY environment variable (never argv); with
LEXSYNC_PACING_REDIS_URL set, the budget is shared through Redis (as on several machines).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from pydantic import SecretStr

from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.settings import LexofficeSettings


def main(base_url: str, pacing_dir: str, count: int) -> None:
    settings = LexofficeSettings(
        api_key=SecretStr(os.environ["LEXOFFICE_API_KEY"]),
        base_url=base_url,
        pacing_dir=Path(pacing_dir),
        pacing_redis_url=os.environ.get("LEXSYNC_PACING_REDIS_URL") or None,
        max_attempts=1,  # a 429 must fail the test, not be retried away
    )
    with LexofficeClient(settings) as client:
        client.get_profile()  # warm up the connection before the race starts
        print("ready", flush=True)
        sys.stdin.readline()  # the go of the test, once every worker is ready
        sent = []
        for _ in range(count):
            sent.append(time.time())
            client.get_profile()
        print(f"{sent[0]} {sent[-1]}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
