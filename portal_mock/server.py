"""Runs the portal under uvicorn on HTTPS with mutual TLS: the station CA is checked at the
handshake, so a certificate from any other CA never reaches the app."""

from __future__ import annotations

import json
import os
import socket
import ssl
import tempfile
from collections.abc import Callable
from pathlib import Path

import structlog
import uvicorn
from sqlalchemy.engine import make_url

from fixtures.pki import ensure_test_pki
from portal_mock.app import create_app
from portal_mock.fingerprint_records import ReferenceFingerprints
from portal_mock.logs import configure_logging
from portal_mock.reference_photos import ReferencePhotos
from portal_mock.settings import PortalSettings

_log = structlog.get_logger("portal_mock.server")


class MissingCertificateError(RuntimeError):
    """The portal's TLS files are absent and this is not a simulation that may create them."""

    def __init__(self, missing: list[str]) -> None:
        names = ", ".join(missing)
        self.message = (
            f"The portal cannot start: missing {names}. Put the portal certificate, its key "
            "and the station CA there, or set HAWIYA_PORTAL_SIMULATION=1 to create test ones."
        )
        self.message_ar = (
            f"تعذر تشغيل البوابة: الملفات التالية غير موجودة: {names}. ضع شهادة البوابة ومفتاحها "
            "وشهادة جهة المحطات هناك، أو اضبط HAWIYA_PORTAL_SIMULATION=1 لإنشاء شهادات اختبار."
        )
        super().__init__(self.message)


def serve(
    settings: PortalSettings,
    *,
    reference_fingerprints: ReferenceFingerprints | None = None,
    reference_photos: ReferencePhotos | None = None,
) -> None:
    """Serve until SIGTERM or SIGINT, then finish the requests in flight and stop.

    uvicorn re-raises the signal once shut down, so the process ends as killed by it.
    """
    configure_logging(settings)
    _ensure_tls_files(settings)
    listener = _bind(settings.host, settings.port)
    port = listener.getsockname()[1]
    config = uvicorn.Config(
        create_app(
            settings,
            reference_fingerprints=reference_fingerprints,
            reference_photos=reference_photos,
        ),
        ssl_certfile=settings.server_cert,
        ssl_keyfile=settings.server_key,
        ssl_ca_certs=settings.station_ca,
        ssl_cert_reqs=ssl.CERT_REQUIRED,
        ssl_context_factory=_hardened,
        log_config=None,  # our structlog set-up owns logging; uvicorn's would print to stderr
        access_log=False,
        server_header=False,
        proxy_headers=False,
        timeout_graceful_shutdown=settings.graceful_shutdown_seconds,
    )
    server = uvicorn.Server(config)
    _log.info("portal_listening", host=settings.host, port=port, db=_redacted(settings.db_url))
    if settings.ready_file is not None:
        # The socket already listens, so a client that reads the port may connect at once:
        # the kernel queues it until uvicorn starts accepting.
        _write_ready_file(settings.ready_file, port)
    # uvicorn installs its own SIGTERM/SIGINT handlers: they stop accepting, let requests in
    # flight finish (up to the graceful timeout), run the lifespan shutdown, then return.
    server.run(sockets=[listener])


def _ensure_tls_files(settings: PortalSettings) -> None:
    needed = (settings.server_cert, settings.server_key, settings.station_ca)
    if settings.simulation:
        ensure_test_pki(settings.pki_dir)
    missing = [str(path) for path in needed if not path.is_file()]
    if missing:
        raise MissingCertificateError(missing)


def _hardened(
    _config: uvicorn.Config, default_factory: Callable[[], ssl.SSLContext]
) -> ssl.SSLContext:
    context = default_factory()
    # TLS 1.2 only, on purpose. In TLS 1.3 the client finishes its handshake before the server
    # has checked the client certificate, and asyncio drops the server's alert when it aborts,
    # so a refused station saw "server disconnected" after sending its request. In TLS 1.2
    # the server checks the certificate before its Finished message, so the station gets an
    # SSL error from the handshake itself, as docs/portal-api.md promises.
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    return context


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must say TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose proto is
    # IPPROTO_TCP, and accepted sockets inherit the listener's. With proto 0 (what
    # socket.create_server gives) every answer, sent as headers then body, waited for the
    # client's delayed ACK: 40+ ms per request on loopback instead of about 2.
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(128)
    except OSError:
        listener.close()
        raise
    return listener


def _write_ready_file(path: Path, port: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(descriptor, "w") as file:
        json.dump({"port": port, "pid": os.getpid()}, file)
    # Atomic, so a reader never sees a half-written file.
    Path(temporary).replace(path)


def _redacted(db_url: str) -> str:
    return make_url(db_url).render_as_string(hide_password=True)
