"""Structured JSON logs in a file under the state directory: stdout belongs to the TUI."""

from __future__ import annotations

import logging
from pathlib import Path

import structlog


def configure_logging(log_path: Path, level: int = logging.INFO) -> None:
    """Send every structlog event, as one JSON object a line, to `log_path` (appended)."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # Line-buffered, kept open for the life of the process: a crash still leaves whole lines.
    log_file = log_path.open("a", encoding="utf-8", buffering=1)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.WriteLoggerFactory(file=log_file),
        cache_logger_on_first_use=False,
    )
