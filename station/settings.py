"""The station's configuration as one typed object, read once at start and passed down.

Sources, strongest first: keyword arguments (the command line), environment variables
(`HAWIYA_STATION_...`, nested with `__`, e.g. `HAWIYA_STATION_PORTAL__URL`), then the TOML file
`<state_dir>/station.toml`. Relative file paths are taken under `state_dir`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from station.bilingual import Bilingual

ENV_PREFIX = "HAWIYA_STATION_"
DEFAULT_STATE_DIR = Path(".hawiya")
SETTINGS_FILE_NAME = "station.toml"


class PortalSettings(BaseModel):
    """How the station reaches the portal: HTTPS with mutual TLS, timeouts, retries."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str = "https://127.0.0.1:8443"
    client_cert: Path = Path("pki/station-0001.pem")
    client_key: Path = Path("pki/station-0001-key.pem")
    ca: Path = Path("pki/portal-ca.pem")
    connect_timeout_seconds: float = Field(default=3.0, gt=0)
    read_timeout_seconds: float = Field(default=10.0, gt=0)
    retry_attempts: int = Field(default=3, ge=1, le=10)
    retry_wait_initial_seconds: float = Field(default=0.2, ge=0)
    retry_wait_max_seconds: float = Field(default=2.0, ge=0)
    retry_wait_jitter_seconds: float = Field(default=0.2, ge=0)
    health_check_seconds: float = Field(default=30.0, gt=0)

    @field_validator("url")
    @classmethod
    def _https_only(cls, url: str) -> str:
        if not url.startswith("https://"):
            raise ValueError("must start with https:// (the portal is reached only over HTTPS)")
        return url.rstrip("/")


class OperatorPolicy(BaseModel):
    """Sign-in rules at this station."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    idle_sign_out_minutes: float = Field(default=5.0, gt=0)
    lockout_failures: int = Field(default=5, ge=1)
    lockout_minutes: float = Field(default=15.0, gt=0)


class DeviceSettings(BaseModel):
    """Where the devices are. Empty means "not configured" (shown as such on the home screen)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    card_reader_name: str = ""  # "" = the first PC/SC reader found
    # Trusted country signing CA(s) for the ID card's passive authentication (PEM).
    card_country_ca: Path = Path("pki/country-ca.pem")
    # A card that does not answer an APDU within this time is reported as not answering.
    card_apdu_timeout_seconds: float = Field(default=5.0, gt=0)
    fingerprint_scanner_url: str = ""
    # The CA that issues the scanners' device certificates: captures signed otherwise are refused.
    fingerprint_device_ca: Path = Path("pki/device-ca.pem")
    camera_url: str = ""
    status_check_seconds: float = Field(default=15.0, gt=0)


class CustomerDisplaySettings(BaseModel):
    """The citizen-facing screen the station serves (a web page, updated over SSE)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    # Loopback by default: the kiosk browser of the second screen runs on the station itself.
    host: str = "127.0.0.1"
    port: int = Field(default=8765, ge=0, le=65535)  # 0: any free port


class StationSettings(BaseSettings):
    """Everything configurable about one station."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
    )

    state_dir: Path = DEFAULT_STATE_DIR
    # None: taken from the station certificate's subject CN, which is what the portal expects.
    station_id: str | None = None
    portal: PortalSettings = PortalSettings()
    operators: OperatorPolicy = OperatorPolicy()
    devices: DeviceSettings = DeviceSettings()
    customer_display: CustomerDisplaySettings = CustomerDisplaySettings()
    customer_locale: Literal["ar", "en"] = "ar"
    # Binding id -> keys, e.g. {"lookup.toggle_calendar": "f2"}, for sites that remap keys.
    keymap: dict[str, str] = Field(default_factory=dict)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The TOML file lives in the state directory, which itself comes from the stronger
        # sources; so find the state directory first, then read the file.
        state_dir = (
            init_settings().get("state_dir") or env_settings().get("state_dir") or DEFAULT_STATE_DIR
        )
        toml_file = Path(state_dir) / SETTINGS_FILE_NAME
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=toml_file),
        )

    @property
    def settings_file(self) -> Path:
        return self.state_dir / SETTINGS_FILE_NAME

    def under_state_dir(self, path: Path) -> Path:
        """`path` itself if absolute, else relative to the state directory."""
        return path if path.is_absolute() else self.state_dir / path

    @property
    def client_cert_path(self) -> Path:
        return self.under_state_dir(self.portal.client_cert)

    @property
    def client_key_path(self) -> Path:
        return self.under_state_dir(self.portal.client_key)

    @property
    def portal_ca_path(self) -> Path:
        return self.under_state_dir(self.portal.ca)

    @property
    def card_country_ca_path(self) -> Path:
        return self.under_state_dir(self.devices.card_country_ca)

    @property
    def database_path(self) -> Path:
        return self.state_dir / "station.db"

    @property
    def log_path(self) -> Path:
        return self.state_dir / "logs" / "station.log"

    @property
    def receipts_dir(self) -> Path:
        return self.state_dir / "receipts"


class SettingsError(Exception):
    """The configuration cannot be used; `message` names the key and says how to fix it."""

    def __init__(self, message: Bilingual) -> None:
        super().__init__(message.en)
        self.message = message


def load_settings(**overrides: Any) -> StationSettings:
    """Read and validate the settings; raise `SettingsError` naming the first bad key."""
    clean = {key: value for key, value in overrides.items() if value is not None}
    try:
        return StationSettings(**clean)
    except ValidationError as error:
        raise SettingsError(_describe(error, clean)) from error
    except (OSError, ValueError) as error:  # an unreadable or malformed station.toml
        state_dir = Path(clean.get("state_dir", DEFAULT_STATE_DIR))
        path = state_dir / SETTINGS_FILE_NAME
        raise SettingsError(
            Bilingual(
                f"Station settings: cannot read {path} ({error}). Fix or remove the file.",
                f"إعدادات المحطة: تعذّرت قراءة {path} ({error}). أصلح الملف أو احذفه.",
            )
        ) from error


def _describe(error: ValidationError, overrides: dict[str, Any]) -> Bilingual:
    first = error.errors()[0]
    key = ".".join(str(part) for part in first["loc"]) or "(settings)"
    env_name = ENV_PREFIX + "__".join(str(part) for part in first["loc"]).upper()
    problem = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        problem = "unknown setting (misspelt?)"
    elif not isinstance(first.get("input"), dict):
        problem = f"{problem} (got {first.get('input')!r})"
    path = Path(overrides.get("state_dir", DEFAULT_STATE_DIR)) / SETTINGS_FILE_NAME
    return Bilingual(
        f"Station settings: `{key}` is invalid: {problem}. "
        f"Correct {env_name} or `{key}` in {path}.",
        f"إعدادات المحطة: القيمة `{key}` غير صحيحة: {problem}. "
        f"صحّح {env_name} أو `{key}` في {path}.",
    )
