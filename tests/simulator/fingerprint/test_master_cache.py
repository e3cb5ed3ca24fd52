"""The master cache renders lazily, keeps at most its size, and serves a person's fingers with
the scars and missing fingers of their record."""

from __future__ import annotations

from datetime import date

import pytest

from fixtures.population import finger_seed
from fixtures.records import Person
from simulator.fingerprint import MasterCache, MissingFingerError


def _person(missing: str = "", scarred: str = "") -> Person:
    return Person(
        id_number="1000000008",
        kind="citizen",
        sex="male",
        given_name_ar="محمد",
        father_name_ar="عبدالله",
        grandfather_name_ar="سعد",
        family_name_ar="القحطاني",
        given_name_en="Mohammed",
        father_name_en="Abdullah",
        grandfather_name_en="Saad",
        family_name_en="Alqahtani",
        nationality="SAU",
        birth_date=date(1990, 1, 1),
        birth_date_hijri="1410-06-04",
        id_expiry=date(2030, 1, 1),
        family_id="F00000001",
        face_seed=1,
        fingerprint_seed=31337,
        missing_fingers=missing,
        scarred_fingers=scarred,
    )


def test_the_cache_renders_nothing_until_asked() -> None:
    cache = MasterCache(maxsize=2)
    assert len(cache) == 0
    assert cache.misses == 0


def test_the_cache_keeps_the_most_recently_used_masters_only() -> None:
    cache = MasterCache(maxsize=2)
    first = cache.get(101, 1)
    cache.get(102, 1)
    assert cache.get(101, 1) is first  # a hit: the same master, not re-rendered
    cache.get(103, 1)  # evicts 102, the least recently used
    assert len(cache) == 2
    assert (cache.hits, cache.misses) == (1, 3)
    assert cache.get(101, 1) is first
    cache.get(102, 1)
    assert cache.misses == 4
    assert len(cache) == 2


def test_a_persons_finger_comes_with_its_scars() -> None:
    cache = MasterCache(maxsize=4)
    person = _person(scarred="3,8")
    scarred = cache.for_person(person, 3)
    assert scarred.scarred
    assert scarred.finger_seed == finger_seed(31337, 3)
    assert not cache.for_person(person, 4).scarred


def test_a_missing_finger_cannot_be_rendered() -> None:
    cache = MasterCache(maxsize=1)
    with pytest.raises(MissingFingerError, match="supervisor") as raised:
        cache.for_person(_person(missing="6"), 6)
    assert "المشرف" in raised.value.arabic_summary
    assert len(cache) == 0


def test_a_cache_holds_at_least_one_master() -> None:
    with pytest.raises(ValueError, match="at least one"):
        MasterCache(maxsize=0)
