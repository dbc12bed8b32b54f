"""A stateful simulator of the lexoffice (Lexware Office) public REST API (see README.md)."""

from __future__ import annotations

from .app import create_app
from .config import OrganizationConfig, SandboxConfig
from .server import SandboxServer, serve

__all__ = ["OrganizationConfig", "SandboxConfig", "SandboxServer", "create_app", "serve"]
