"""The LFW benchmark's reading of pairs.txt and its skip when LFW is absent (no photos needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from benchmarks.bench_face import main, read_lfw, run

PAIRS = """2\t2
Ann\t1\t2
Bob\t1\t3
Ann\t1\tBob\t2
Cy\t1\tAnn\t3
Bob\t2\t3
Cy\t1\t2
Ann\t2\tCy\t2
Bob\t1\tCy\t1
"""


@pytest.fixture
def tiny_lfw(tmp_path: Path) -> Path:
    (tmp_path / "pairs.txt").write_text(PAIRS, encoding="utf-8")
    for person, count in (("Ann", 3), ("Bob", 3), ("Cy", 2)):
        (tmp_path / "images" / person).mkdir(parents=True)
        for number in range(1, count + 1):
            (tmp_path / "images" / person / f"{person}_{number:04d}.jpg").write_bytes(b"")
    return tmp_path


def test_pairs_are_read_fold_by_fold_as_image_indices(tiny_lfw: Path) -> None:
    lfw = read_lfw(tiny_lfw)
    assert len(lfw.images) == 8
    assert lfw.identities.count("Ann") == 3
    assert lfw.fold.tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    assert lfw.same.tolist() == [True, True, False, False] * 2
    first_a, first_b = lfw.images[lfw.pair_a[0]], lfw.images[lfw.pair_b[0]]
    assert (first_a, first_b) == ("Ann/Ann_0001.jpg", "Ann/Ann_0002.jpg")
    assert lfw.images[lfw.pair_b[3]] == "Ann/Ann_0003.jpg"
    assert np.all(lfw.pair_a != lfw.pair_b)


def test_a_pairs_file_shorter_than_its_header_is_refused(tiny_lfw: Path) -> None:
    (tiny_lfw / "pairs.txt").write_text(PAIRS.replace("2\t2", "3\t2"), encoding="utf-8")
    with pytest.raises(ValueError, match="expected 12 pairs, found 8"):
        read_lfw(tiny_lfw)


def test_without_lfw_the_benchmark_says_it_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path / "nowhere") == []
    assert main(["--lfw", str(tmp_path / "nowhere"), "--json", str(tmp_path / "out.json")]) == 0
    assert "face benchmark skipped: no LFW folds" in capsys.readouterr().err
    assert not (tmp_path / "out.json").exists()
