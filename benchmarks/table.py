"""The benchmark table every benchmark prints: figure, value, same-process baseline, ratio.

A row is a dict with `benchmark`, `figure`, `value` and `unit`, and optionally `baseline` (a
reference measured in the same process, so the ratio means something on any machine) and `note`.
"""

from __future__ import annotations

from typing import Any


def format_table(rows: list[dict[str, Any]]) -> str:
    header = ("benchmark", "figure", "value", "unit", "baseline", "ratio", "note")
    lines = [header]
    for row in rows:
        value = row["value"]
        baseline = row.get("baseline")
        ratio = f"{value / baseline:.2f}" if baseline else ""
        lines.append(
            (
                str(row["benchmark"]),
                str(row["figure"]),
                _number(value),
                str(row["unit"]),
                _number(baseline) if baseline is not None else "",
                ratio,
                str(row.get("note", "")),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for index, line in enumerate(lines):
        out.append(
            "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        )
        if index == 0:
            out.append("  ".join("-" * width for width in widths))
    return "\n".join(out)


def _number(value: float) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}" if abs(value) >= 10 else f"{value:.3f}"
