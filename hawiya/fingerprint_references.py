"""The simulated national record's reference fingerprints, rendered from the population.

The portal (`portal_mock`) may not import the simulator, so this composition root hands it a
source that renders a person's enrolled impressions from their synthetic fingers and extracts
ISO/IEC 19794-2 templates from them with the project's own extractor.
"""

from __future__ import annotations

from collections.abc import Sequence

from fixtures.population import finger_seed
from fixtures.records import Person
from matcher.fingerprint import process_capture
from simulator.fingerprint import MasterCache, MissingFingerError, render_impression

# Reference impressions were taken at a supervised enrolment: much cleaner than a booth capture
# (simulator.fingerprint.DEFAULT_DIFFICULTY, calibrated against the FVC2002 B sets, is 1.1).
ENROLMENT_DIFFICULTY = 0.35
IMPRESSIONS_PER_FINGER = 2
# Keeps reference impression seeds apart from the ones the scanner simulator draws for captures.
_REFERENCE_STREAM = 0x5EF_E2E4CE


class SyntheticReferenceFingerprints:
    """Renders `IMPRESSIONS_PER_FINGER` enrolment impressions of a finger and templates them."""

    def __init__(self, masters: MasterCache | None = None) -> None:
        self._masters = masters or MasterCache()

    def templates_for(self, person: Person, finger_position: int) -> Sequence[bytes]:
        try:
            master = self._masters.for_person(person, finger_position)
        except MissingFingerError:
            return ()
        seed = finger_seed(person.fingerprint_seed, finger_position)
        return [
            process_capture(
                render_impression(
                    master, (seed ^ _REFERENCE_STREAM) + impression, difficulty=ENROLMENT_DIFFICULTY
                ).image
            ).template(finger_position)
            for impression in range(IMPRESSIONS_PER_FINGER)
        ]
