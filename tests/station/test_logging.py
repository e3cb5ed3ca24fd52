"""Station logs: one JSON object a line, in a file under the state directory."""

from __future__ import annotations

import json
from pathlib import Path

import structlog

from station.logging import configure_logging


def test_events_are_written_as_json_lines_to_the_file(tmp_path: Path) -> None:
    log_path = tmp_path / "logs" / "station.log"
    configure_logging(log_path)

    structlog.get_logger("test").info("operator.signed_in", operator_id="op-x", name="عبدالله")

    record = json.loads(log_path.read_text(encoding="utf-8").splitlines()[-1])
    assert record["event"] == "operator.signed_in"
    assert record["operator_id"] == "op-x"
    assert record["name"] == "عبدالله"  # readable, not \\u-escaped
    assert record["level"] == "info"
    assert record["timestamp"].endswith("Z")
