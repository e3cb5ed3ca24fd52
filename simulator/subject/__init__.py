"""The simulated person in front of the camera: a 3D head drawn with OpenCV from a face seed
(identity), moved by a script (blinks, sway, prompts from the customer display, scenarios),
rendered as camera frames, card portraits and reference photos, or presented by an attacker.
"""

from simulator.subject.attacks import AttackKind, attack_presentation
from simulator.subject.behaviour import Behaviour, Reaction, Scenario, SubjectScript, SubjectState
from simulator.subject.display_listener import DisplayListener
from simulator.subject.expression import Expression
from simulator.subject.identity import FaceIdentity, identity_for_person, make_identity
from simulator.subject.live_scene import CameraSettings, LiveScene
from simulator.subject.portrait import (
    PORTRAIT_SIZE,
    portrait_jpeg,
    render_card_portrait,
    render_reference_photo,
)
from simulator.subject.prompts import Prompt, PromptEvent, PromptQueue, PromptSource
from simulator.subject.renderer import SubjectRender, draw_subject
from simulator.subject.scene import CameraView, Lighting, SubjectPose
from simulator.subject.sensor import SensorSettings

__all__ = [
    "PORTRAIT_SIZE",
    "AttackKind",
    "Behaviour",
    "CameraSettings",
    "CameraView",
    "DisplayListener",
    "Expression",
    "FaceIdentity",
    "Lighting",
    "LiveScene",
    "Prompt",
    "PromptEvent",
    "PromptQueue",
    "PromptSource",
    "Reaction",
    "Scenario",
    "SensorSettings",
    "SubjectPose",
    "SubjectRender",
    "SubjectScript",
    "SubjectState",
    "attack_presentation",
    "draw_subject",
    "identity_for_person",
    "make_identity",
    "portrait_jpeg",
    "render_card_portrait",
    "render_reference_photo",
]
