"""The simulated national record's reference photos, rendered from the population's faces.

The portal (`portal_mock`) may not import the simulator, so this composition root hands it a
source that renders a person's reference portrait (`simulator.subject.portrait.REFERENCE_PHOTO`:
the same face as the card's, another sitting) as the portal would hold it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from fixtures.records import Person
from portal_mock.clock import riyadh_date, utc_now
from simulator.subject.identity import identity_for_person
from simulator.subject.portrait import REFERENCE_PHOTO, portrait_jpeg, render_portrait

_CACHED_PHOTOS = 32  # a manual-entry enrollment asks once or twice; rendering takes ~1 s


class SyntheticReferencePhotos:
    """Renders the reference portrait of a person as JPEG, keeping the last few in memory."""

    def __init__(self) -> None:
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def jpeg_for(self, person: Person) -> bytes | None:
        with self._lock:
            if person.id_number in self._cache:
                self._cache.move_to_end(person.id_number)
                return self._cache[person.id_number]
        # The photo was taken when the ID was issued: the face as it looked then.
        taken_on = person.id_issue_date or riyadh_date(utc_now())
        identity = identity_for_person(person, taken_on)
        jpeg = portrait_jpeg(render_portrait(identity, REFERENCE_PHOTO))
        with self._lock:
            self._cache[person.id_number] = jpeg
            while len(self._cache) > _CACHED_PHOTOS:
                self._cache.popitem(last=False)
        return jpeg
