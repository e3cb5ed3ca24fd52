"""Thresholds and deadlines of a liveness session, with the measurements they rest on (see
docs/liveness.md for the figures)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LivenessSettings:
    min_challenges: int = 2
    max_challenges: int = 3
    # "Look at the camera" before the first challenge: frames for the person's neutral face
    # (eye opening, mouth width, pose) and for the best frame.
    look_s: float = 1.2
    look_min_frames: int = 6
    # Frames count as "looking at the camera" within these angles; pitch is wider because a
    # camera above or below the screen tilts every face (the neutral pose absorbs it).
    look_max_yaw_deg: float = 10.0
    look_max_pitch_deg: float = 20.0
    # Nobody looked at the camera for this long after the first frame: give up.
    look_max_s: float = 8.0
    # Each challenge must be done within this many seconds of its prompt. People react in
    # 0.3-0.9 s, some 1-3 s late; a turn takes another half second.
    challenge_deadline_s: float = 5.0
    # A challenge not done by its deadline (and not contradicted) is asked once more: about 3%
    # of prompts are simply missed, which over 2-3 challenges would fail 7% of honest people.
    retries: int = 1
    overall_deadline_s: float = 30.0
    # After a challenge is done the prompt clears, and the next one is asked once the face is
    # back at rest (head straight, eyes open, mouth at rest): each check wants to see the rest
    # after its prompt, and people asked while still turned often go straight into the next
    # movement and fail the first ask. Asked anyway after this many seconds.
    rest_max_s: float = 3.0
    # An action that shows sooner than this after its prompt was not a reaction to it (human
    # simple reaction time is 0.15-0.3 s): it was already under way, as in a replayed video.
    min_reaction_s: float = 0.2
    # Head turn: yaw past this many degrees in the asked direction (the person's own left or
    # right), starting from within `neutral_deg` of the neutral pose.
    turn_deg: float = 20.0
    neutral_deg: float = 10.0
    # Look up: pitch this many degrees above the neutral pose. People look up 15-22 degrees
    # when asked, but FaceMesh read only 10.5-28 degrees of it (less behind glasses) over six
    # simulated people; the neutral pose sways about 1 degree.
    look_up_deg: float = 7.0
    # Blink: eye aspect ratio below this share of the neutral one, then open again past
    # `blink_open`. Open eyes measure 0.2-0.3, a shut eye under 0.1; narrow eyes read 0.1 open
    # and not much under 0.07 shut (FaceMesh never closes the lids fully); frame-to-frame
    # noise is about 5% of the open value.
    blink_closed: float = 0.7
    blink_open: float = 0.8
    # Smile: mouth width (per inter-eye distance) this much wider than neutral, with the head
    # within `neutral_deg` of straight (turning changes the apparent width). Six simulated
    # people smiling: +0.085 to +0.23; a neutral mouth varies by about 0.01 frame to frame.
    smile_gain: float = 0.055
    # Passive depth: least-squares homography between the frontal and a turned set of rigid
    # landmarks; RMS residual per inter-eye distance. Live heads turned 20-30 degrees measured
    # 0.057-0.092 on the simulator; a flat picture leaves FaceMesh's jitter, and a print bowed
    # 28 mm has about a quarter of a face's relief (nose 27 mm, cheeks 40 mm deep).
    depth_turn_deg: float = 20.0
    min_depth_residual: float = 0.04
    # Screen cue: high-frequency colour (chroma) energy over high-frequency grey energy inside
    # the face. Skin detail is nearly all grey; a camera filming a screen aliases its red,
    # green and blue subpixel stripes into colour moire.
    max_colour_moire: float = 0.7
    moire_every_n_frames: int = 3
    moire_max_flagged_share: float = 0.15
    # Held-up edges (held_up_edges.py): every `edges_every_n_frames`-th frame with a face, the
    # straight outline of a print or device moving with the face, judged only in frames whose
    # face had moved against an earlier one (so edges of the booth that stay put can be told
    # apart). Fails when at least `edges_min_decided` frames were judged and more than
    # `edges_max_outline_share` of them showed the outline. Figures: docs/liveness.md.
    edges_every_n_frames: int = 3
    edges_min_decided: int = 4
    edges_max_outline_share: float = 0.2
    # Best frame: the quality report is computed at most this often (it costs 2-6 ms).
    best_frame_every_s: float = 0.2
    # A second face counts as a second person (guidance) unless the first is this much larger.
    dominant_face_ratio: float = 1.6
    # Faces smaller than this (inter-eye px) get "move closer" guidance.
    min_inter_eye_px: float = 60.0
