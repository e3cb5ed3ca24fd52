"""The `hawiya` command line: the interfaces other tools rely on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hawiya.cli import build_parser

REQUIRED_KEYS = {
    "id_number",
    "kind",
    "birth_date",
    "name_ar",
    "name_en",
    "family_id",
    "sponsor_id_number",
    "mobile",
}


def hawiya(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hawiya", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        timeout=120,
    )


def test_help_lists_every_subcommand() -> None:
    result = hawiya("--help")
    assert result.returncode == 0, result.stderr
    for command in ("population", "portal", "simulator", "station", "booth"):
        assert command in result.stdout


def test_a_simulated_device_builds_only_its_own_arguments() -> None:
    """Each rehearsed citizen starts a virtual card: it must not import the camera's vision
    stack to parse its arguments (3.6 s against 1.2 s on the shared machine)."""
    card = ["simulator", "card", "--population-db", "sqlite:///p.db", "--person", "1"]
    args = build_parser(card).parse_args(card)
    assert args.person == "1"
    probe = (
        "import sys; from hawiya.cli import build_parser; "
        f"build_parser({card!r}).parse_args({card!r}); "
        "print(sorted(m for m in ('simulator.camera', 'matcher.face') if m in sys.modules))"
    )
    imported = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert imported.stdout.strip() == "[]"
    with pytest.raises(SystemExit):
        build_parser(card).parse_args(["simulator", "camera"])  # not built for this command
    everything = ["simulator", "--no-pcscd"]
    assert build_parser(everything).parse_args(everything).no_pcscd
    assert build_parser(everything).parse_args(["simulator", "pcscd"]).device == "pcscd"


def test_population_generate_then_export_is_byte_identical_for_the_same_seed(
    tmp_path: Path,
) -> None:
    exports = []
    for run in ("a", "b"):
        db_url = f"sqlite:///{tmp_path / run}.db"
        generated = hawiya(
            "population", "generate", "--seed", "11", "--size", "150", "--db", db_url
        )
        assert generated.returncode == 0, generated.stderr
        out = tmp_path / f"{run}.jsonl"
        exported = hawiya("population", "export", "--db", db_url, "--out", str(out))
        assert exported.returncode == 0, exported.stderr
        exports.append(out.read_bytes())
    assert exports[0] == exports[1]
    people = [json.loads(line) for line in exports[0].decode("utf-8").splitlines()]
    assert len(people) == 150
    assert all(person.keys() >= REQUIRED_KEYS for person in people)
    assert [p["id_number"] for p in people] == sorted(p["id_number"] for p in people)
    assert {p["kind"] for p in people} == {"citizen", "resident"}


def test_generating_into_a_database_that_holds_a_population_fails_clearly(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'pop.db'}"
    assert (
        hawiya("population", "generate", "--seed", "1", "--size", "20", "--db", db_url).returncode
        == 0
    )
    again = hawiya("population", "generate", "--seed", "1", "--size", "20", "--db", db_url)
    assert again.returncode == 1
    assert "population" in again.stderr.lower()


def test_population_generate_requires_seed_size_and_db() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["population", "generate", "--size", "10"])


FVC2002 = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "fvc" / "fvc2002"


def test_bench_fingerprint_on_templates_writes_the_keys_other_tools_read(tmp_path: Path) -> None:
    if not FVC2002.is_dir():
        pytest.skip(f"FVC data not found at {FVC2002} (../shared/data/fvc)")
    out = tmp_path / "fvc.json"
    result = hawiya(
        "bench", "fingerprint", "--fvc", str(FVC2002), "--json", str(out), "--templates"
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert set(report) >= {"DB1_B", "DB2_B", "matches_per_second"}
    for name in ("DB1_B", "DB2_B"):
        figures = report[name]
        assert {"eer", "fmr100", "fmr1000", "zerofmr"} <= figures.keys()
        assert (figures["genuine"], figures["impostor"]) == (280, 45)
        assert 0 <= figures["eer"] <= figures["zerofmr"] <= 1
