"""Choosing a population face's shape by the matcher's template: deterministic, per person,
remembered in memory and on disk, the same at every age."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from fixtures.records import Person
from matcher.face import MODEL_NAME
from simulator.subject import identity_selection as selection
from simulator.subject.identity import identity_for_person, make_identity
from simulator.subject.identity_selection import (
    CACHE_FILE,
    candidate_identity,
    choose,
    chosen_candidate,
    load_anchors,
    reshaped_model,
)
from simulator.subject.subject_model import subject_model

# A face whose choice several tests share (judged once per session, in memory).
_SEED, _SEX, _NATIONALITY, _CANDIDATES = 4242, "female", "EGY", 3


def _person(birth: date) -> Person:
    return Person(
        id_number="1000000008",
        kind="citizen",
        sex=_SEX,
        given_name_ar="سارة",
        father_name_ar="أحمد",
        grandfather_name_ar="محمد",
        family_name_ar="المصري",
        given_name_en="Sara",
        father_name_en="Ahmed",
        grandfather_name_en="Mohamed",
        family_name_en="Al-Masri",
        nationality=_NATIONALITY,
        birth_date=birth,
        birth_date_hijri="1410-06-04",
        id_expiry=date(2030, 1, 1),
        family_id="F00000002",
        face_seed=_SEED,
        fingerprint_seed=_SEED + 1,
    )


def test_candidate_zero_is_the_raw_draw_and_the_others_change_only_the_shape() -> None:
    raw = make_identity(_SEED, _SEX, 35.0, _NATIONALITY)
    assert candidate_identity(_SEED, _SEX, _NATIONALITY, 0) == raw
    shapes = {raw.shape}
    for number in (1, 2, 7):
        other = candidate_identity(_SEED, _SEX, _NATIONALITY, number)
        assert other == candidate_identity(_SEED, _SEX, _NATIONALITY, number)
        assert replace(other, shape=raw.shape) == raw  # scale, skin, hijab ... all kept
        shapes.add(other.shape)
    assert len(shapes) == 4
    with pytest.raises(ValueError, match="shape_candidate"):
        make_identity(_SEED, _SEX, 35.0, _NATIONALITY, shape_candidate=-1)


def test_the_candidate_farthest_from_its_nearest_anchor_is_kept() -> None:
    anchors = np.array([[0.0, 0.0], [1.0, 0.0]], dtype=np.float32)
    near = np.array([0.1, 0.0], dtype=np.float32)  # 0.1 from the first anchor
    between = np.array([0.5, 0.0], dtype=np.float32)  # 0.5 from both
    aside = np.array([1.0, 0.3], dtype=np.float32)  # 0.3 from the second
    assert choose([near, between, aside], anchors) == 1
    assert choose([None, near, aside], anchors) == 2  # no face found: never chosen
    assert choose([None, None], anchors) == 0  # nothing to judge: the raw draw
    assert choose([between, between], anchors) == 0  # ties to the lower number


def test_the_committed_anchors_are_templates_of_the_production_model() -> None:
    anchors = load_anchors()
    assert anchors.ndim == 2
    assert anchors.shape[1] == 128
    assert len(anchors) >= 1
    assert np.all(np.isfinite(anchors))
    with np.load(selection.ANCHORS_PATH) as data:
        assert str(data["model"]) == MODEL_NAME
        assert float(data["canonical_age"]) == selection.CANONICAL_AGE


def test_a_reshaped_model_is_the_model_built_for_that_shape() -> None:
    first = candidate_identity(_SEED, _SEX, _NATIONALITY, 0)
    second = candidate_identity(_SEED, _SEX, _NATIONALITY, 2)
    reshaped = reshaped_model(subject_model(first), second)
    built = subject_model(second)
    assert reshaped.identity == built.identity
    np.testing.assert_allclose(reshaped.rest, built.rest)
    np.testing.assert_allclose(reshaped.occlusion, built.occlusion)
    np.testing.assert_allclose(reshaped.eyes.centers, built.eyes.centers)
    np.testing.assert_allclose(reshaped.carriage, built.carriage)
    assert reshaped.texture is subject_model(first).texture  # shared, not painted again


def test_the_choice_is_deterministic_and_remembered_on_disk(tmp_path: Path) -> None:
    choice = chosen_candidate(_SEED, _SEX, _NATIONALITY, _CANDIDATES, cache_dir=tmp_path)
    assert 0 <= choice < _CANDIDATES
    remembered = json.loads((tmp_path / CACHE_FILE).read_text(encoding="utf-8"))
    assert list(remembered.values()) == [choice]
    key = next(iter(remembered))

    # Judged afresh (no memory), the same candidate wins.
    selection._chosen_in_memory.cache_clear()
    assert chosen_candidate(_SEED, _SEX, _NATIONALITY, _CANDIDATES) == choice

    # What the file says is taken without judging again.
    other = (choice + 1) % _CANDIDATES
    (tmp_path / CACHE_FILE).write_text(json.dumps({key: other}), encoding="utf-8")
    assert chosen_candidate(_SEED, _SEX, _NATIONALITY, _CANDIDATES, cache_dir=tmp_path) == other

    # A damaged file is replaced, never a crash.
    (tmp_path / CACHE_FILE).write_text("{not json", encoding="utf-8")
    assert chosen_candidate(_SEED, _SEX, _NATIONALITY, _CANDIDATES, cache_dir=tmp_path) == choice
    assert json.loads((tmp_path / CACHE_FILE).read_text(encoding="utf-8")) == {key: choice}
    assert [p.name for p in tmp_path.iterdir()] == [CACHE_FILE]  # no temporary file left


def test_a_person_keeps_the_chosen_shape_at_every_age() -> None:
    person = _person(date(1990, 3, 1))
    choice = chosen_candidate(_SEED, _SEX, _NATIONALITY, _CANDIDATES)
    at_issue = identity_for_person(person, date(2015, 1, 1), candidates=_CANDIDATES)
    years_later = identity_for_person(person, date(2025, 1, 1), candidates=_CANDIDATES)
    assert at_issue.shape == years_later.shape
    assert at_issue.age < years_later.age
    assert years_later == make_identity(
        _SEED, _SEX, years_later.age, _NATIONALITY, shape_candidate=choice
    )
    raw = identity_for_person(person, date(2025, 1, 1), candidates=1)
    assert raw == make_identity(_SEED, _SEX, years_later.age, _NATIONALITY)


def test_one_candidate_means_no_judging() -> None:
    assert chosen_candidate(_SEED, _SEX, _NATIONALITY, 1) == 0
