"""The person's finger on the platen: which finger touches it and how, rendered as the sensor
sees it. The finger is the population's own synthetic finger (the same master the portal's
national record renders its references from), so a genuine capture verifies."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from fixtures.population import finger_seed
from fixtures.population.biometrics import parse_positions
from fixtures.records import Person
from simulator.fingerprint import (
    FVC2002_DB1,
    ImpressionConditions,
    MasterCache,
    MissingFingerError,
    draw_conditions,
    render_impression,
)
from simulator.scanner.fingers import neighbour_finger
from simulator.scanner.heavy_scars import heavily_scarred
from simulator.scanner.scenarios import Scenario

# A booth capture is less careful than a supervised enrolment but people are guided by the
# operator: the same level the portal's own verification tests use (1.1 = FVC2002 B sets).
BOOTH_DIFFICULTY = 0.6
PLATEN_GREY = 228  # an empty optical platen: light, with a little sensor noise

_ROUND = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))


@dataclass(frozen=True, eq=False)
class Placement:
    """What the sensor saw. `image` is None when no finger touched the platen."""

    image: NDArray[np.uint8] | None
    placed_position: int | None  # the finger that actually touched, ISO/IEC 19794-2
    artificial: bool  # a replica, not skin (the device's PAD sensing can tell)


def empty_platen(seed: int) -> NDArray[np.uint8]:
    rng = np.random.default_rng(seed)
    noise = rng.normal(0.0, 2.0, (FVC2002_DB1.height, FVC2002_DB1.width))
    return np.clip(PLATEN_GREY + noise, 0, 255).astype(np.uint8)


def place_finger(
    masters: MasterCache,
    person: Person | None,
    scenario: Scenario,
    requested_position: int,
    impression_seed: int,
) -> Placement:
    """Render what the sensor sees when `person` acts out `scenario` for `requested_position`."""
    if person is None or scenario is Scenario.NO_FINGER:
        return Placement(None, None, artificial=False)
    missing = set(parse_positions(person.missing_fingers))
    position: int | None = requested_position
    if scenario is Scenario.WRONG_FINGER:
        position = neighbour_finger(requested_position, missing)
    if position is None:
        return Placement(None, None, artificial=False)
    try:
        if scenario is Scenario.SCARRED_FINGER:
            if position in missing:
                raise MissingFingerError(position)
            master = masters.get(finger_seed(person.fingerprint_seed, position), position, True)
        else:
            master = masters.for_person(person, position)
    except MissingFingerError:
        # Nothing to put down: the sensor stays empty until the capture times out.
        return Placement(None, None, artificial=False)
    base = draw_conditions(impression_seed, BOOTH_DIFFICULTY)
    image = render_impression(master, impression_seed, _conditions(scenario, base)).image
    if scenario is Scenario.HEAVILY_SCARRED_FINGER:
        image = heavily_scarred(image, finger_seed(person.fingerprint_seed, position))
    return Placement(
        _after_contact(scenario, image), position, artificial=scenario is Scenario.FAKE_FINGER
    )


def _conditions(scenario: Scenario, base: ImpressionConditions) -> ImpressionConditions:
    change = dataclasses.replace
    if scenario is Scenario.MOVED:
        return change(
            base,
            blur=3.5,
            distortion_x=base.distortion_x + 14.0,
            local_distortion=base.local_distortion + 6.0,
        )
    if scenario is Scenario.TOO_LIGHT:
        return change(base, pressure=0.0, contact=0.55)
    if scenario is Scenario.TOO_HARD:
        return change(
            base,
            pressure=1.0,
            moisture=max(base.moisture, 0.6),
            contact=0.98,
            distortion_x=base.distortion_x + 10.0,
        )
    if scenario is Scenario.WET:
        return change(base, moisture=1.0, pressure=0.9)
    if scenario is Scenario.DRY:
        return change(base, moisture=-1.0, pressure=0.25)
    if scenario is Scenario.FAKE_FINGER:
        # A gelatine or silicone cast is smoother than skin and prints a little soft.
        return change(base, blur=base.blur + 0.7, noise=base.noise * 0.5)
    return base


def _after_contact(scenario: Scenario, image: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """Effects the impression model does not go far enough with for a capture a scanner
    rejects: water bridging the valleys, a pale barely-there touch, a slide during exposure."""
    if scenario in (Scenario.WET, Scenario.TOO_HARD):
        merged = cv2.erode(image, _ROUND, iterations=4)
        return np.asarray(cv2.GaussianBlur(merged, (0, 0), 2.5), dtype=np.uint8)
    if scenario is Scenario.TOO_LIGHT:
        pale = 255.0 - (255.0 - image.astype(np.float32)) * 0.35
        return pale.astype(np.uint8)
    if scenario is Scenario.MOVED:
        streak = np.full((1, 9), 1.0 / 9.0, np.float32)
        return np.asarray(cv2.filter2D(image, -1, streak), dtype=np.uint8)
    return image
