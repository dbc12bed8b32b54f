"""Everything a running sandbox holds, shared by the gateway, the routes and the control API."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from .config import SandboxConfig
from .faults import FaultInjector
from .gateway import RequestLog
from .ratelimit import RateLimiter
from .signing import Signer
from .store import OrgStore, Store, read_state, write_state
from .webhooks import Webhooks

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """The parts of one sandbox."""

    config: SandboxConfig
    store: Store
    limiter: RateLimiter
    faults: FaultInjector
    requests: RequestLog
    signer: Signer
    webhooks: Webhooks

    @classmethod
    def build(cls, config: SandboxConfig) -> Runtime:
        """Set up a sandbox, loading the state file when there is one."""
        store = Store(config)
        state = read_state(config.state_file) if config.state_file else None
        if state is not None:
            store.load(state)
        signer = Signer(store.private_key_pem, config.rsa_key_size)
        store.private_key_pem = signer.private_pem() if config.state_file else None
        runtime = cls(
            config=config,
            store=store,
            limiter=RateLimiter(config.rps, config.burst),
            faults=FaultInjector(),
            requests=RequestLog(),
            signer=signer,
            webhooks=Webhooks(store, config, signer),
        )
        if config.seed_demo and not any(store.default.records.values()):
            from .demo import seed_demo

            seed_demo(store.default)
        return runtime

    def emit(self, org: OrgStore, event_type: str, resource_id: str) -> None:
        """Publish an event to the organization's subscriptions (delivered later)."""
        self.store.dirty = True
        self.webhooks.emit(org, event_type, resource_id)

    def save(self) -> None:
        """Write the state file now (if one is configured)."""
        if self.config.state_file is not None:
            write_state(self.config.state_file, self.store.snapshot())
            self.store.dirty = False

    async def persist_loop(self) -> None:
        """Write the state file shortly after changes, not on every request."""
        while True:
            await asyncio.sleep(self.config.persist_interval)
            if self.store.dirty:
                try:
                    self.save()
                except OSError:
                    log.exception("could not write the sandbox state file")

    async def startup(self) -> asyncio.Task[None] | None:
        await self.webhooks.start()
        if self.config.state_file is None:
            return None
        return asyncio.create_task(self.persist_loop())

    async def shutdown(self, persist_task: asyncio.Task[None] | None) -> None:
        await self.webhooks.stop()
        if persist_task is not None:
            persist_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await persist_task
        self.save()
