"""A bounded least-recently-used cache of masters: a population of 100,000 people renders only
the fingers somebody actually touches a sensor with, each once while it is in use."""

from __future__ import annotations

import threading
from collections import OrderedDict

from fixtures.population import finger_seed
from fixtures.population.biometrics import parse_positions
from fixtures.records import Person
from simulator.fingerprint.master import MasterFingerprint, render_master

# A master holds about 0.7 MB of ridges: 64 of them about 45 MB.
DEFAULT_CACHE_SIZE = 64

_Key = tuple[int, int, bool]


class MissingFingerError(ValueError):
    """The person's record says this finger is missing: there is nothing to render."""

    arabic_summary = "الإصبع غير موجود حسب السجل. اختر إصبعاً آخر أو اطلب استثناءً من المشرف."

    def __init__(self, position: int) -> None:
        super().__init__(
            f"finger {position} is missing according to the person's record: choose another "
            "finger or ask a supervisor for an exception"
        )
        self.position = position


class MasterCache:
    """Masters by (finger seed, position, scarred), at most `maxsize` of them; safe to share
    between threads (two threads asking for the same new finger may both render it)."""

    def __init__(self, maxsize: int = DEFAULT_CACHE_SIZE) -> None:
        if maxsize < 1:
            raise ValueError(f"a master cache holds at least one master, got maxsize={maxsize}")
        self.maxsize = maxsize
        self.hits = 0
        self.misses = 0
        self._masters: OrderedDict[_Key, MasterFingerprint] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._masters)

    def get(self, seed: int, position: int = 0, scarred: bool = False) -> MasterFingerprint:
        """The master of finger seed `seed`, rendered now if it is not cached."""
        key = (seed, position, scarred)
        with self._lock:
            master = self._masters.get(key)
            if master is not None:
                self._masters.move_to_end(key)
                self.hits += 1
                return master
            self.misses += 1
        # Render outside the lock: other fingers stay available meanwhile.
        master = render_master(seed, position, scarred)
        with self._lock:
            self._masters[key] = master
            self._masters.move_to_end(key)
            while len(self._masters) > self.maxsize:
                self._masters.popitem(last=False)
        return master

    def for_person(self, person: Person, position: int) -> MasterFingerprint:
        """The master of one of a person's fingers (ISO/IEC 19794-2 position 1-10), with the
        scars their record gives that finger."""
        if position in parse_positions(person.missing_fingers):
            raise MissingFingerError(position)
        scarred = position in parse_positions(person.scarred_fingers)
        return self.get(finger_seed(person.fingerprint_seed, position), position, scarred)

    def clear(self) -> None:
        with self._lock:
            self._masters.clear()
