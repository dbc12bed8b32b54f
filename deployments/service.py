"""The whole service on one machine: Prefect server, deployments, a worker, the receiver.

`lexsync up` (`make up`) starts each part in the background, its pid in var/run/NAME.pid
and its output in var/log/NAME.log; `lexsync down` (`make down`) stops them by those pids.
Without LEXOFFICE_API_KEY the lexoffice sandbox, seeded with demo data, stands in for
lexoffice, and the system database gets the demo business.
"""

from __future__ import annotations

import importlib.util
import secrets
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from deployments.processes import StartError, log_file, running, start, stop, wait_http

PROJECT = Path(__file__).resolve().parents[1]
PREFECT = str(Path(sys.executable).with_name("prefect"))
LEXSYNC = [sys.executable, "-m", "deployments.cli"]
# Started in this order, stopped in the reverse one.
PARTS = ("prefect-server", "sandbox", "worker", "receiver")
SANDBOX_PUBLIC_KEY = "/webhookSignature/public/public_key.pub"
CALLBACK_PATH = "/webhooks/lexoffice"  # the receiver's (deployments/webhooks/config.py)


@dataclass
class Service:
    """Where the local service runs; `env` is what every part is started with."""

    var: Path = Path("var")
    host: str = "127.0.0.1"
    prefect_port: int = 4200
    sandbox_port: int = 8765
    receiver_port: int = 8787
    sandbox_rps: float = 10.0  # the sandbox runs faster than lexoffice's 2/s, like the demo
    env: dict[str, str] = field(default_factory=dict)

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.prefect_port}/api"

    @property
    def ui_url(self) -> str:
        return f"http://{self.host}:{self.prefect_port}"


def up(service: Service, environ: Mapping[str, str]) -> int:
    """Start every part; on a failure stop what was started. Returns an exit code."""
    service.var = service.var.resolve()
    already = running(service.var)
    if already:
        print(f"läuft schon: {', '.join(already)} (zuerst `make down` ausführen)")
        return 2
    service.env = _base_env(service, environ)
    try:
        _start_all(service, sandbox=not environ.get("LEXOFFICE_API_KEY"))
    except (StartError, subprocess.CalledProcessError) as failure:
        print(f"lexsync up fehlgeschlagen: {failure}", file=sys.stderr)
        down(service.var)
        return 2
    env_file = _write_cli_environment(service)
    print(f"\nPrefect-UI: {service.ui_url}   Protokolle: {service.var / 'log'}   Stopp: make down")
    print(f"die lexsync-CLI mit diesem Dienst: set -a; . {env_file}; set +a")
    return 0


def down(var: Path) -> int:
    """Stop every part recorded in var/run, the last started first."""
    var = var.resolve()
    names = [p.stem for p in sorted((var / "run").glob("*.pid"))]
    for name in sorted(names, key=lambda n: PARTS.index(n) if n in PARTS else -1, reverse=True):
        print(f"{name}: {'gestoppt' if stop(var, name) else 'lief nicht'}", flush=True)
    if not names:
        print("es lief nichts")
    return 0


def _write_cli_environment(service: Service) -> Path:
    """var/service.env: what `lexsync check/sync/status` need to reach this service's parts."""
    names = ["PREFECT_API_URL", "LEXOFFICE_BASE_URL", "LEXOFFICE_RATE_PER_SECOND"]
    names.append("LEXSYNC_DATABASE_URL")
    if service.env.get("LEXOFFICE_BASE_URL", "").startswith(f"http://{service.host}"):
        names.append("LEXOFFICE_API_KEY")  # only the sandbox's key; a real key stays where it is
    path = service.var / "service.env"
    lines = [f"{name}={service.env[name]}" for name in names if name in service.env]
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)
    return path


def _base_env(service: Service, environ: Mapping[str, str]) -> dict[str, str]:
    env = dict(environ) | {"PREFECT_API_URL": service.api_url, "PWD": str(PROJECT)}
    # Ad-hoc runs start within seconds; Prefect's default poll is every 10 s.
    env.setdefault("PREFECT_WORKER_QUERY_SECONDS", "5")
    # No telemetry from any part (offline it also logs an ERROR); an admin may turn it on.
    env.setdefault("DO_NOT_TRACK", "1")
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    return env


def _start_all(service: Service, sandbox: bool) -> None:
    _start_prefect_server(service)
    if sandbox:
        _start_sandbox(service)
    _prepare_database(service, demo=sandbox)
    _deploy(service)
    _save_default_connection(service)
    worker = start(
        "worker",
        [PREFECT, "worker", "start", "--pool", "lexsync"],
        service.env,
        service.var,
        PROJECT,
    )
    print(f"Worker: Pool lexsync (PID {worker.pid})", flush=True)
    if _start_receiver(service, sandbox) and sandbox:
        _subscribe(service)


def _start_prefect_server(service: Service) -> None:
    command = [
        PREFECT,
        "server",
        "start",
        "--host",
        service.host,
        "--port",
        str(service.prefect_port),
    ]
    server = start("prefect-server", command, service.env, service.var, PROJECT)
    wait_http("prefect-server", f"{service.api_url}/health", server, service.var, timeout=120)
    database = (
        "PostgreSQL" if service.env.get("PREFECT_SERVER_DATABASE_CONNECTION_URL") else "SQLite"
    )
    print(f"Prefect-Server: {service.ui_url} ({database}, PID {server.pid})", flush=True)


def _start_sandbox(service: Service) -> None:
    url = f"http://{service.host}:{service.sandbox_port}"
    command = [
        *LEXSYNC, "sandbox", "--demo", "--host", service.host, "--port", str(service.sandbox_port),
        "--rps", f"{service.sandbox_rps:g}", "--api-key", _sandbox_key(service.var),
        "--state-file", str(service.var / "sandbox.json"),
    ]  # fmt: skip
    sandbox = start("sandbox", command, service.env, service.var, PROJECT)
    wait_http("sandbox", f"{url}{SANDBOX_PUBLIC_KEY}", sandbox, service.var, timeout=60)
    service.env |= {
        "LEXOFFICE_API_KEY": _sandbox_key(service.var),
        "LEXOFFICE_BASE_URL": url,
        "LEXOFFICE_RATE_PER_SECOND": f"{service.sandbox_rps:g}",
    }
    service.env.setdefault("LEXSYNC_DATABASE_URL", f"sqlite:///{service.var / 'lexsync.db'}")
    print(
        f"lexoffice-Sandbox (kein LEXOFFICE_API_KEY gesetzt): {url}, Demodaten (PID {sandbox.pid})"
    )


def _sandbox_key(var: Path) -> str:
    """The sandbox's API key, kept across restarts (its state file is kept too)."""
    path = var / "sandbox.key"
    if not path.exists():
        path.write_text(f"sandbox-{secrets.token_hex(16)}\n")
        path.chmod(0o600)
    return path.read_text().strip()


def _prepare_database(service: Service, demo: bool) -> None:
    """In the demo, a new system database is migrated and gets the demo business.

    A real one is only checked: migrating a company's database is the admin's decision.
    """
    from connectors.fieldservice.db import current_revision, migrate
    from deployments.cli_support import ConfigurationError, require_database_at_head, safe_url
    from tasks.connection import DEFAULT_DATABASE_URL

    url = service.env.get("LEXSYNC_DATABASE_URL", DEFAULT_DATABASE_URL)
    if not demo:
        try:
            require_database_at_head(url)
            print(f"Systemdatenbank: {safe_url(url)} (auf dem neuesten Schema)")
        except ConfigurationError as problem:
            print(f"Systemdatenbank: WARNUNG: {problem}")
        return
    new = current_revision(url) is None
    migrate(url)
    if new:
        _seed_demo_business(url)
    print(f"Systemdatenbank: {safe_url(url)}{' (Demo-Betrieb angelegt)' if new else ''}")


def _seed_demo_business(url: str) -> None:
    from connectors.fieldservice.db import make_engine, session_factory
    from connectors.fieldservice.demo import seed_demo

    engine = make_engine(url)
    with session_factory(engine).begin() as session:
        seed_demo(session)
    engine.dispose()


def _deploy(service: Service) -> None:
    pool = [PREFECT, "work-pool", "create", "lexsync", "--type", "process"]
    created = _run(pool, service, check=False)
    if created.returncode != 0 and "already exists" not in created.stdout:
        raise StartError(f"Work-Pool nicht angelegt; siehe {log_file(service.var, 'deploy')}")
    _run([PREFECT, "--no-prompt", "deploy", "--all"], service, check=True)
    print("Deployments aus prefect.yaml übernommen (Work-Pool lexsync)", flush=True)


def _run(
    command: list[str], service: Service, check: bool, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        command,
        env=service.env,
        cwd=PROJECT,
        input=stdin or "",
        capture_output=True,
        text=True,
        timeout=300,
    )
    log_file(service.var, "deploy").parent.mkdir(parents=True, exist_ok=True)
    with log_file(service.var, "deploy").open("a") as log:
        log.write(f"$ {' '.join(command[1:])}\n{done.stdout}{done.stderr}\n")
    if check and done.returncode != 0:
        raise StartError(
            f"{' '.join(command[1:])} fehlgeschlagen; siehe {log_file(service.var, 'deploy')}"
        )
    return done


def _save_default_connection(service: Service) -> None:
    """The `default` connection block the admin guide points to (Blocks → lexsync connection).

    Made once from the environment (key checked with lexoffice); an existing block is the
    admin's and stays as it is. Without a key there is nothing to save yet.
    """
    from tasks.connection import DEFAULT_DATABASE_URL
    from tasks.connection_registry import NAME_TAKEN

    key = service.env.get("LEXOFFICE_API_KEY")
    if not key:
        print("Verbindungsblock default: nicht angelegt (kein LEXOFFICE_API_KEY)")
        return
    command = [*LEXSYNC, "connections", "add", "default", "--api-key-file", "-"]
    command += ["--database-url", service.env.get("LEXSYNC_DATABASE_URL", DEFAULT_DATABASE_URL)]
    options = {
        "--base-url": "LEXOFFICE_BASE_URL",
        "--rate": "LEXOFFICE_RATE_PER_SECOND",
        "--webhook-callback-url": "LEXSYNC_WEBHOOK_CALLBACK_URL",
    }
    for option, name in options.items():
        if service.env.get(name):
            command += [option, service.env[name]]
    done = _run(command, service, check=False, stdin=key + "\n")
    if done.returncode == 0:
        print("Verbindungsblock default: angelegt (Prefect-UI: Blocks → lexsync connection)")
    elif NAME_TAKEN in done.stderr:
        print("Verbindungsblock default: bleibt, wie er ist")
    else:
        print(f"Verbindungsblock default: NICHT angelegt; siehe {log_file(service.var, 'deploy')}")


def _start_receiver(service: Service, sandbox: bool) -> bool:
    if importlib.util.find_spec("deployments.cli_receiver") is None:
        print("Webhook-Empfänger: nicht gestartet (deployments/cli_receiver.py fehlt)")
        return False
    command = [*LEXSYNC, "receiver", "--host", service.host, "--port", str(service.receiver_port)]
    if sandbox:
        command += ["--public-key", service.env["LEXOFFICE_BASE_URL"] + SANDBOX_PUBLIC_KEY]
    receiver = start("receiver", command, service.env, service.var, PROJECT)
    url = f"http://{service.host}:{service.receiver_port}{CALLBACK_PATH}"
    try:
        wait_http("receiver", url, receiver, service.var, timeout=60)
    except StartError as failure:
        stop(service.var, "receiver")
        print(f"Webhook-Empfänger: nicht gestartet: {failure}")
        return False
    print(f"Webhook-Empfänger: {url} (PID {receiver.pid})", flush=True)
    return True


def _subscribe(service: Service) -> None:
    if importlib.util.find_spec("deployments.cli_subscribe") is None:
        print("Webhook-Abonnements: nicht angelegt (deployments/cli_subscribe.py fehlt)")
        return
    url = f"http://{service.host}:{service.receiver_port}{CALLBACK_PATH}"
    done = _run([*LEXSYNC, "subscribe", "--callback-url", url], service, check=False)
    outcome = (
        "abonniert" if done.returncode == 0 else f"FEHLGESCHLAGEN (Exit-Code {done.returncode})"
    )
    log = log_file(service.var, "deploy")
    print(f"Kontakt-Ereignisse Sandbox → Empfänger: {outcome}; siehe {log}")
