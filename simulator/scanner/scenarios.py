"""What the simulated person at the scanner does, and what can go wrong with the device.

Scenarios are about the finger (the person); faults are about the device and its service.
"""

from __future__ import annotations

from enum import StrEnum


class Scenario(StrEnum):
    RIGHT_FINGER = "right_finger"  # the finger asked for, placed well
    WRONG_FINGER = "wrong_finger"  # the neighbouring finger instead of the one asked for
    MOVED = "moved"  # the finger slid while the image was taken
    TOO_LIGHT = "too_light"  # barely touching: pale, small contact
    TOO_HARD = "too_hard"  # pressed hard: ridges flattened and merged, skin dragged
    WET = "wet"  # sweat or water: ridges run together
    DRY = "dry"  # dry skin: faint, broken ridges
    NO_FINGER = "no_finger"  # nobody puts a finger down before the timeout
    FAKE_FINGER = "fake_finger"  # a moulded replica of the person's finger (PAD must flag it)
    SCARRED_FINGER = "scarred_finger"  # the finger asked for, with scars across the ridges
    # Scarred since the record was taken, wide scars across the core: sent, rarely matching.
    HEAVILY_SCARRED_FINGER = "heavily_scarred_finger"


class Fault(StrEnum):
    BUSY = "busy"  # the device is in use by another client
    NOT_READY = "not_ready"  # the sensor is unplugged or initialising
    DISCONNECT = "disconnect"  # the connection drops in the middle of the answer
    TIMEOUT = "timeout"  # the service never answers the capture
    MALFORMED = "malformed"  # the answer is not the API's JSON
    BAD_SIGNATURE = "bad_signature"  # the capture is signed with a key not the certificate's
    FOREIGN_CERTIFICATE = "foreign_certificate"  # signed by a device no trusted CA vouches for
    TAMPERED = "tampered"  # the image was changed after the device signed it
    REPLAY = "replay"  # the previous capture's answer is sent again, verbatim
