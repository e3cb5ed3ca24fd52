"""Configuration of the simulated portal, read from `HAWIYA_PORTAL_*` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class PortalSettings(BaseSettings):
    """Everything the portal needs to start; passed down, never read from a global."""

    model_config = SettingsConfigDict(
        env_prefix="HAWIYA_PORTAL_", env_nested_delimiter="__", extra="forbid"
    )

    db_url: str = "sqlite:///.hawiya/population.db"
    host: str = "127.0.0.1"
    port: int = Field(default=8443, ge=0, le=65535, description="0 picks a free port")
    pki_dir: Path = Path(".hawiya/pki")
    state_dir: Path = Path(".hawiya")
    # In simulation the portal creates the test PKI it needs if it is missing; a portal on
    # real certificates refuses to start without them.
    simulation: bool = True
    # Simulation endpoints (/v1/simulation/...: the SMS outbox and the enrollment clock). Off
    # unless asked for: a production portal never shows the codes it sends. The booth and the
    # tests turn it on (HAWIYA_PORTAL_SIMULATION_ENDPOINTS=1).
    simulation_endpoints: bool = False
    # AES-256-GCM key (base64, 32 bytes) sealing biometric data at rest (enrollment portraits).
    # Unset in simulation: a random one is kept in <state_dir>/portal-data.key (mode 0600).
    data_key: SecretStr | None = None
    clock_skew_seconds: int = Field(default=60, ge=1)
    lockout_threshold: int = Field(default=5, ge=1)
    lockout_minutes: int = Field(default=15, ge=1)
    session_hours: int = Field(default=8, ge=1)
    graceful_shutdown_seconds: int = Field(default=5, ge=1)
    log_file: Path | None = Field(
        default=None, description="JSON log file; default <state_dir>/logs/portal.log"
    )
    log_to_stderr: bool = False
    log_level: str = "INFO"
    ready_file: Path | None = Field(
        default=None,
        description="Once listening, the server writes its port here (lets callers use port 0)",
    )

    @property
    def resolved_log_file(self) -> Path:
        return self.log_file or self.state_dir / "logs" / "portal.log"

    @property
    def server_cert(self) -> Path:
        return self.pki_dir / "portal-server.pem"

    @property
    def server_key(self) -> Path:
        return self.pki_dir / "portal-server-key.pem"

    @property
    def station_ca(self) -> Path:
        return self.pki_dir / "station-ca.pem"
