"""The simulated IP camera: MJPEG over HTTP on loopback, showing the simulated subject (or an
attack), with admin endpoints; `python -m simulator.camera` or mount `add_arguments` /
`run_camera` under `hawiya simulator`."""

from simulator.camera.choice import ChoiceError, SubjectChoice
from simulator.camera.cli import add_arguments, camera_from_arguments, run_camera
from simulator.camera.mjpeg_server import BOUNDARY, CameraConfig, CameraServer

__all__ = [
    "BOUNDARY",
    "CameraConfig",
    "CameraServer",
    "ChoiceError",
    "SubjectChoice",
    "add_arguments",
    "camera_from_arguments",
    "run_camera",
]
