"""The national record's reference photos, behind a small interface.

A real portal holds the photo taken when the ID was issued. The simulated one gets it from a
`ReferencePhotos` source chosen where the portal is assembled (`hawiya portal serve` renders it
from the population's synthetic faces), so `portal_mock` never imports the simulator.
"""

from __future__ import annotations

from typing import Protocol

from fixtures.records import Person


class ReferencePhotos(Protocol):
    """Makes the reference portrait (JPEG bytes) of a person, or None if there is none."""

    def jpeg_for(self, person: Person) -> bytes | None: ...


class NoReferencePhotos:
    """The source of a portal that holds no photos: every person has none."""

    def jpeg_for(self, person: Person) -> bytes | None:
        return None
