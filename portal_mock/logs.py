"""Structured JSON logs for the portal process: to a file under the state dir (or stderr),
never stdout, with uvicorn's own records routed through the same formatter."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

import structlog

from portal_mock.settings import PortalSettings


def configure_logging(settings: PortalSettings) -> None:
    """Configure structlog and the stdlib root logger for this process (call once, at start)."""
    stream: TextIO
    if settings.log_to_stderr:
        stream = sys.stderr
    else:
        path = settings.resolved_log_file
        path.parent.mkdir(parents=True, exist_ok=True)
        stream = path.open("a", encoding="utf-8", buffering=1)
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.dict_tracebacks,
                # ensure_ascii=False keeps Arabic readable in the log file.
                structlog.processors.JSONRenderer(ensure_ascii=False),
            ],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(settings.log_level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True
