"""Builds simulator/assets/head_mesh.npz: the base head every simulated subject is deformed from.

The face is MediaPipe FaceMesh (its 468 points and FACEMESH_TESSELATION) run on the public-domain
portrait of Grace Hopper that matplotlib ships, made symmetric and scaled to a 63 mm distance
between the eyes. Around it: a scalp closing the head, ears, neck, torso, and optional parts an
identity switches on (long hair, ghutra and agal, hijab, cap). Run
`python -m simulator.subject.make_head_mesh` and commit the npz; nothing is read at run time but
the npz.

Frame (as matcher.face.reference_face): x to the person's left, y down, z away from the camera,
millimetres, origin at the nasion.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Sequence

import cv2
import mediapipe as mp
import numpy as np
import numpy.typing as npt
from matplotlib import cbook
from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]

from matcher.face import FaceLandmarker, LandmarkMode
from simulator.subject import face_regions as fr
from simulator.subject.head_mesh import HEAD_MESH_FILE, Part

Array = npt.NDArray[np.float64]

SOURCE = "grace_hopper.jpg"
INTERPUPILLARY_MM = 63.0
# Head centre and semi-axes (x, y up, y down, z) of the cranium ellipsoid, from adult head
# breadth ~152 mm, length ~190 mm, nasion-to-vertex ~110 mm.
HEAD_CENTER = np.array([0.0, 8.0, 92.0])
HEAD_AXES_UP = np.array([76.0, 118.0, 98.0])
HEAD_AXES_DOWN = np.array([72.0, 95.0, 92.0])
# The head turns about the top of the neck, behind and below the ears.
NECK_PIVOT = np.array([0.0, 75.0, 85.0])


class MeshBuilder:
    """Accumulates vertices and triangles part by part."""

    def __init__(self) -> None:
        self.vertices: list[Array] = []
        self.surface: list[Array] = []
        self.vertex_part: list[int] = []
        self.head_weight: list[float] = []
        self.triangles: list[tuple[int, int, int]] = []
        self.triangle_part: list[int] = []
        self.double_sided: list[bool] = []

    @property
    def count(self) -> int:
        return len(self.vertices)

    def add_vertices(
        self, points: Array, surface: Array, part: Part, head_weight: Array | float = 1.0
    ) -> int:
        start = self.count
        weights = np.broadcast_to(np.asarray(head_weight, dtype=np.float64), (len(points),))
        for point, coord, weight in zip(points, surface, weights, strict=True):
            self.vertices.append(np.asarray(point, dtype=np.float64))
            self.surface.append(np.asarray(coord, dtype=np.float64))
            self.vertex_part.append(int(part))
            self.head_weight.append(float(weight))
        return start

    def add_triangle(self, a: int, b: int, c: int, part: Part, double_sided: bool = False) -> None:
        self.triangles.append((a, b, c))
        self.triangle_part.append(int(part))
        self.double_sided.append(double_sided)

    def add_grid(
        self,
        index: npt.NDArray[np.int64],
        part: Part,
        *,
        wrap: bool = False,
        double_sided: npt.NDArray[np.bool_] | None = None,
        keep: npt.NDArray[np.bool_] | None = None,
    ) -> None:
        """Two triangles per cell of a (rows, cols) grid of vertex indices."""
        rows, cols = index.shape
        for i in range(rows - 1):
            for j in range(cols if wrap else cols - 1):
                k = (j + 1) % cols
                if keep is not None and not keep[i, j]:
                    continue
                both = bool(double_sided[i, j]) if double_sided is not None else False
                a, b, c, d = index[i, j], index[i, k], index[i + 1, k], index[i + 1, j]
                self.add_triangle(int(a), int(b), int(c), part, both)
                self.add_triangle(int(a), int(c), int(d), part, both)


def cylinder_angle(points: Array) -> Array:
    """Angle about the vertical axis through the head centre: 0 in front, + to the left."""
    angle: Array = np.arctan2(points[..., 0] - HEAD_CENTER[0], HEAD_CENTER[2] - points[..., 2])
    return angle


def head_surface_coords(points: Array) -> Array:
    """Cylindrical (u, v) in mm for the face and scalp: arc length at 85 mm, and height."""
    return np.stack([cylinder_angle(points) * 85.0, points[..., 1]], axis=-1)


def face_from_portrait() -> Array:
    """The 468 FaceMesh points of the portrait, in the head frame, made mirror-symmetric."""
    image = np.asarray(cv2.imread(str(cbook.get_sample_data(SOURCE, asfileobj=False))), np.uint8)
    with FaceLandmarker(LandmarkMode.STILL, max_faces=1) as landmarker:
        faces = landmarker.detect(image)
    if len(faces) != 1:
        raise SystemExit(f"expected one face in {SOURCE}, found {len(faces)}")
    points = faces[0].points[: fr.FACE_POINTS]
    # Rough frame: x from the eye corners, y from the nasion to the chin.
    x = (points[263] + points[362]) / 2 - (points[33] + points[133]) / 2
    x /= np.linalg.norm(x)
    y = points[fr.CHIN] - points[fr.NASION]
    y -= x * float(y @ x)
    y /= np.linalg.norm(y)
    frame = np.stack([x, y, np.cross(x, y)])
    local = (points - points[fr.NASION]) @ frame.T
    mirror = mirror_indices(local)
    # Refine x by symmetry: the mean left-minus-right vector over every mirrored pair.
    pairs = [(i, int(j)) for i, j in enumerate(mirror) if i < j]
    x = np.sum(
        [
            local[i] - local[j] if local[i, 0] > local[j, 0] else local[j] - local[i]
            for i, j in pairs
        ],
        axis=0,
    )
    x /= np.linalg.norm(x)
    y = local[fr.CHIN] - local[fr.NASION]
    y -= x * float(y @ x)
    y /= np.linalg.norm(y)
    local = local @ np.stack([x, y, np.cross(x, y)]).T
    flip = np.array([-1.0, 1.0, 1.0])
    symmetric = (local + local[mirror] * flip) / 2
    eyes = (symmetric[263] + symmetric[362]) / 2 - (symmetric[33] + symmetric[133]) / 2
    scaled: Array = symmetric * (INTERPUPILLARY_MM / float(np.linalg.norm(eyes)))
    return scaled


def mirror_indices(points: Array) -> npt.NDArray[np.int64]:
    """For each point, the index of its mirror image across x = 0 (an optimal assignment)."""
    flipped = points * np.array([-1.0, 1.0, 1.0])
    cost = np.linalg.norm(points[:, None, :] - flipped[None, :, :], axis=2)
    rows, cols = linear_sum_assignment(cost)
    mirror = np.empty(len(points), dtype=np.int64)
    mirror[rows] = cols
    if not np.array_equal(mirror[mirror], np.arange(len(points))):
        raise SystemExit("the mirror assignment is not an involution")
    return mirror


def face_triangles() -> list[tuple[int, int, int]]:
    """FACEMESH_TESSELATION's 852 triangles: its edges' 3-cliques, less the two that are not
    faces (cliques all of whose edges already border two faces)."""
    edges = {tuple(sorted(e)) for e in mp.solutions.face_mesh_connections.FACEMESH_TESSELATION}
    neighbours: dict[int, set[int]] = defaultdict(set)
    for a, b in edges:
        neighbours[a].add(b)
        neighbours[b].add(a)
    cliques = {tuple(sorted((a, b, c))) for a, b in edges for c in neighbours[a] & neighbours[b]}
    uses: dict[tuple[int, int], int] = defaultdict(int)
    for t in cliques:
        for edge in ((t[0], t[1]), (t[1], t[2]), (t[0], t[2])):
            uses[edge] += 1
    faces = [
        (t[0], t[1], t[2])
        for t in sorted(cliques)
        if not all(uses[e] > 2 for e in ((t[0], t[1]), (t[1], t[2]), (t[0], t[2])))
    ]
    if len(faces) != 852:
        raise SystemExit(f"expected 852 FaceMesh triangles, found {len(faces)}")
    return faces


def ellipsoid_point(direction: Array) -> Array:
    """The point of the cranium ellipsoid in a unit direction from the head centre."""
    axes = np.where(direction[..., 1:2] < 0, HEAD_AXES_UP, HEAD_AXES_DOWN)
    scaled = direction / axes
    radius = 1.0 / np.linalg.norm(scaled, axis=-1, keepdims=True)
    result: Array = HEAD_CENTER + direction * radius
    return result


def add_scalp(builder: MeshBuilder, face: Array) -> None:
    """Rings from the face outline to a pole at the back of the head, on the ellipsoid."""
    loop = np.array(fr.FACE_OVAL_LOOP)
    boundary = face[loop]
    directions = boundary - HEAD_CENTER
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    pole = np.array([0.0, -0.25, 1.0])
    pole /= np.linalg.norm(pole)
    shares = (0.1, 0.22, 0.36, 0.5, 0.64, 0.78, 0.9)
    rows = [loop]
    for share in shares:
        ring = []
        for direction, point in zip(directions, boundary, strict=True):
            unit = slerp(direction, pole, share)
            on_ellipsoid = ellipsoid_point(unit)
            # Leave the face outline smoothly: its points need not lie on the ellipsoid.
            offset = (point - ellipsoid_point(direction)) * (1.0 - share / 0.4) ** 2
            ring.append(on_ellipsoid + (offset if share < 0.4 else 0.0))
        ring_points = np.array(ring)
        start = builder.add_vertices(ring_points, head_surface_coords(ring_points), Part.SCALP)
        rows.append(np.arange(start, start + len(loop)))
    grid = np.array(rows)
    builder.add_grid(grid, Part.SCALP, wrap=True)
    pole_point = ellipsoid_point(pole)[None, :]
    tip = builder.add_vertices(pole_point, head_surface_coords(pole_point), Part.SCALP)
    last = grid[-1]
    for j in range(len(loop)):
        builder.add_triangle(int(last[j]), int(last[(j + 1) % len(loop)]), tip, Part.SCALP)


def slerp(a: Array, b: Array, share: float) -> Array:
    angle = float(np.arccos(np.clip(a @ b, -1.0, 1.0)))
    if angle < 1e-6:
        return a
    result: Array = (np.sin((1 - share) * angle) * a + np.sin(share * angle) * b) / np.sin(angle)
    return result


def add_ears(builder: MeshBuilder) -> None:
    """Each ear a shallow dish with a thicker rim, standing out backwards from the side."""
    rings, segments = 5, 14
    for side in (-1.0, 1.0):
        center = np.array([side * 75.0, 24.0, 90.0])
        vertices, coords = [], []
        for i in range(rings + 1):
            rho = i / rings
            for j in range(segments):
                phi = 2 * np.pi * j / segments
                along = 15.0 * rho * np.cos(phi)  # front-back, mm
                up = 31.0 * rho * np.sin(phi)
                # Dish: the bowl (concha) lies deeper than the rim (helix).
                out = 6.0 * rho**2 + (3.0 if i == rings else 0.0) - 2.0 * (1 - rho)
                # Ears lean back ~15 degrees and stand ~20 degrees off the skull behind.
                lean = np.radians(15.0)
                y = -up * np.cos(lean) + along * np.sin(lean)
                z = along * np.cos(lean) + up * np.sin(lean)
                stand = max(z, 0.0) * np.tan(np.radians(20.0))
                vertices.append(center + np.array([side * (out + stand), y, z]))
                coords.append(np.array([along, -up]))
        start = builder.add_vertices(np.array(vertices), np.array(coords), Part.EARS)
        grid = start + np.arange((rings + 1) * segments).reshape(rings + 1, segments)
        builder.add_grid(grid, Part.EARS, wrap=True, double_sided=np.ones(grid.shape, bool))


def add_lofted_part(
    builder: MeshBuilder,
    part: Part,
    rows: Sequence[tuple[float, float, float, float]],
    segments: int,
    *,
    center_z: float,
    head_weights: Sequence[float],
    front_only: bool = False,
) -> None:
    """A tube of elliptical rings (y, rx, rz, z offset), e.g. the neck or the torso."""
    grid_rows = []
    for (y, rx, rz, dz), weight in zip(rows, head_weights, strict=True):
        angles = np.linspace(-np.pi, np.pi, segments, endpoint=False)
        if front_only:
            angles = np.linspace(-0.62 * np.pi, 0.62 * np.pi, segments)
        points = np.stack(
            [rx * np.sin(angles), np.full_like(angles, y), center_z + dz - rz * np.cos(angles)],
            axis=1,
        )
        coords = np.stack([angles * (rx + rz) / 2, np.full_like(angles, y)], axis=1)
        start = builder.add_vertices(points, coords, part, weight)
        grid_rows.append(np.arange(start, start + segments))
    builder.add_grid(np.array(grid_rows), part, wrap=not front_only)


class SkinRadius:
    """How far the skin reaches from the head's vertical axis at a given angle and height,
    sampled densely over the skin triangles: cloth is kept this far out, plus a margin."""

    def __init__(self, vertices: Array, triangles: Sequence[tuple[int, int, int]]) -> None:
        samples = []
        weights = np.array(
            [
                (a, b, 1 - a - b)
                for a in np.linspace(0, 1, 7)
                for b in np.linspace(0, 1, 7)
                if a + b <= 1
            ]
        )
        for tri in triangles:
            samples.append(weights @ vertices[list(tri)])
        points = np.concatenate(samples)
        self.angle = cylinder_angle(points)
        self.height = points[:, 1]
        self.radius = np.hypot(points[:, 0] - HEAD_CENTER[0], points[:, 2] - HEAD_CENTER[2])

    def at(self, angle: float, height: float, half_width: float = 0.09) -> float:
        gap = np.angle(np.exp(1j * (self.angle - angle)))
        near = (np.abs(gap) < half_width) & (np.abs(self.height - height) < 6.0)
        return float(self.radius[near].max()) if near.any() else 0.0


def add_cloth(
    builder: MeshBuilder,
    part: Part,
    skin: SkinRadius,
    rows: Sequence[tuple[float, float, float, float]],
    *,
    columns: int,
    margin: float,
    double_sided_edge: float,
) -> None:
    """Cloth from the crown down: each row (y, front opening half-angle, radius, head weight)
    spans the angles outside the opening, kept `margin` mm clear of the skin beneath."""
    grid_rows = []
    for y, opening, base_radius, weight in rows:
        share = np.linspace(0.0, 1.0, columns)
        angles = opening + share * (2 * np.pi - 2 * opening)
        points = []
        for angle in angles:
            radius = max(base_radius, skin.at(float(angle), y) + margin)
            points.append(
                [
                    HEAD_CENTER[0] + radius * np.sin(angle),
                    y,
                    HEAD_CENTER[2] - radius * np.cos(angle),
                ]
            )
        array = np.array(points)
        coords = np.stack([np.angle(np.exp(1j * angles)) * 100.0, np.full(columns, y)], axis=1)
        start = builder.add_vertices(array, coords, part, weight)
        grid_rows.append(np.arange(start, start + columns))
    grid = np.array(grid_rows)
    # Near the opening the inside of the cloth can face the camera.
    cells = np.linspace(0.0, 1.0, columns)
    near_edge = (cells < double_sided_edge) | (cells > 1 - double_sided_edge)
    # Only rows open at the front show their inside (closed rows wrap the skull).
    open_rows = np.array([opening > 0 for _, opening, _, _ in rows])
    both = near_edge[None, :] & (open_rows[:, None] | np.roll(open_rows, -1)[:, None])
    builder.add_grid(grid, part, double_sided=both)


def cap_rows(
    top: float, bottom: float, count: int, grow: float, weight: float = 1.0
) -> list[tuple[float, float, float, float]]:
    """Closed rows over the crown, from just below the vertex to `bottom`."""
    rows = []
    for share in np.linspace(0.0, 1.0, count):
        y = top + (bottom - top) * share**0.8
        up = (HEAD_CENTER[1] - y) / HEAD_AXES_UP[1]
        radius = HEAD_AXES_UP[0] * np.sqrt(max(1e-3, 1 - min(up, 0.999) ** 2)) + grow
        rows.append((float(y), 0.0, float(radius), weight))
    return rows


def build() -> dict[str, npt.NDArray[np.generic]]:
    face = face_from_portrait()
    builder = MeshBuilder()
    builder.add_vertices(face, head_surface_coords(face), Part.FACE)
    for a, b, c in face_triangles():
        builder.add_triangle(a, b, c, Part.FACE)
    add_scalp(builder, face)
    head_triangles = list(builder.triangles)
    add_ears(builder)
    # Loose cloth (ghutra, long hair) clears the ears; a hijab is snug and covers them.
    skin = SkinRadius(np.array(builder.vertices), list(builder.triangles))
    skull = SkinRadius(np.array(builder.vertices), head_triangles)

    add_lofted_part(
        builder,
        Part.NECK,
        [(45, 50, 46, 0), (80, 52, 47, 0), (120, 54, 48, 2), (160, 58, 52, 4), (200, 64, 58, 6)],
        18,
        center_z=78.0,
        head_weights=[1.0, 0.9, 0.5, 0.15, 0.0],
    )
    add_lofted_part(
        builder,
        Part.TORSO,
        [
            (150, 62, 56, 0),
            (178, 105, 74, 4),
            (205, 160, 95, 10),
            (240, 195, 108, 14),
            (300, 208, 115, 16),
            (420, 212, 118, 16),
            (700, 214, 118, 16),
        ],
        26,
        center_z=86.0,
        head_weights=[0.0] * 7,
        front_only=True,
    )
    # Long hair: a cap over the scalp, falling behind the ears to the shoulders.
    hair = cap_rows(-110.0, -62.0, 6, 8.0) + [
        (y, opening, radius, weight)
        for y, opening, radius, weight in (
            (-52.0, 0.45, 0.0, 1.0),
            (-35.0, 0.95, 0.0, 1.0),
            (-10.0, 1.3, 0.0, 1.0),
            (15.0, 1.5, 0.0, 1.0),
            (45.0, 1.6, 0.0, 1.0),
            (80.0, 1.65, 80.0, 0.9),
            (115.0, 1.7, 84.0, 0.6),
            (155.0, 1.75, 98.0, 0.3),
            (195.0, 1.8, 118.0, 0.1),
        )
    ]
    add_cloth(builder, Part.LONG_HAIR, skull, hair, columns=36, margin=5.0, double_sided_edge=0.5)
    # Ghutra / shemagh: over the crown, a stiff edge across the forehead, hanging beside the
    # face to the shoulders.
    ghutra = cap_rows(-114.0, -58.0, 7, 14.0) + [
        (y, opening, radius, weight)
        for y, opening, radius, weight in (
            (-52.0, 0.0, 0.0, 1.0),
            (-45.0, 0.62, 0.0, 1.0),
            (-20.0, 0.78, 92.0, 1.0),
            (15.0, 0.85, 96.0, 1.0),
            (50.0, 0.88, 100.0, 0.9),
            (90.0, 0.9, 112.0, 0.6),
            (130.0, 0.9, 135.0, 0.3),
            (170.0, 0.92, 165.0, 0.1),
            (215.0, 0.95, 200.0, 0.0),
        )
    ]
    add_cloth(builder, Part.GHUTRA, skin, ghutra, columns=40, margin=9.0, double_sided_edge=0.5)
    add_agal(builder)
    # Hijab: snug over the head, framing the face, closed under the chin, over the shoulders.
    hijab = cap_rows(-110.0, -50.0, 7, 9.0) + [
        (y, opening, radius, weight)
        for y, opening, radius, weight in (
            (-40.0, 0.55, 0.0, 1.0),
            (-15.0, 0.9, 0.0, 1.0),
            (15.0, 1.05, 0.0, 1.0),
            (45.0, 1.0, 0.0, 1.0),
            (75.0, 0.85, 0.0, 0.9),
            (100.0, 0.6, 0.0, 0.8),
            (118.0, 0.0, 0.0, 0.6),
            (135.0, 0.0, 95.0, 0.4),
            (160.0, 0.0, 135.0, 0.2),
            (190.0, 0.0, 172.0, 0.05),
            (225.0, 0.0, 205.0, 0.0),
        )
    ]
    add_cloth(builder, Part.HIJAB, skull, hijab, columns=40, margin=6.5, double_sided_edge=0.5)
    add_cloth(
        builder,
        Part.CAP,
        skin,
        cap_rows(-112.0, -54.0, 6, 6.0),
        columns=28,
        margin=3.0,
        double_sided_edge=0.0,
    )

    vertices = np.array(builder.vertices)
    triangles = orient_outwards(
        vertices, np.array(builder.triangles), np.array(builder.triangle_part)
    )
    return {
        "vertices": vertices.astype(np.float32),
        "triangles": triangles.astype(np.int32),
        "triangle_part": np.array(builder.triangle_part, dtype=np.uint8),
        "double_sided": np.array(builder.double_sided, dtype=bool),
        "vertex_part": np.array(builder.vertex_part, dtype=np.uint8),
        "surface_mm": np.array(builder.surface, dtype=np.float32),
        "head_weight": np.array(builder.head_weight, dtype=np.float32),
        "face_mirror": mirror_indices(face).astype(np.int32),
        "head_center": HEAD_CENTER.astype(np.float32),
        "neck_pivot": NECK_PIVOT.astype(np.float32),
    }


def add_agal(builder: MeshBuilder) -> None:
    """Two black cords ringing the crown over the ghutra, a little higher at the back."""
    segments, sides = 36, 6
    for lift, thick in ((0.0, 5.0), (-11.0, 5.0)):
        vertices, coords = [], []
        for j in range(segments):
            angle = 2 * np.pi * j / segments
            y_ring = -74.0 + lift - 12.0 * (1 - np.cos(angle)) / 2
            up = (HEAD_CENTER[1] - y_ring) / HEAD_AXES_UP[1]
            radius = HEAD_AXES_UP[0] * np.sqrt(1 - up**2) + 19.0
            radius *= 1.0 + 0.12 * (1 - np.cos(angle)) / 2  # the head is longer than wide
            core = np.array(
                [radius * np.sin(angle), y_ring, HEAD_CENTER[2] - radius * np.cos(angle)]
            )
            out = np.array([np.sin(angle), 0.0, -np.cos(angle)])
            for k in range(sides):
                beta = 2 * np.pi * k / sides
                vertices.append(
                    core + thick * (np.cos(beta) * out + np.sin(beta) * np.array([0, -1.0, 0]))
                )
                coords.append(np.array([angle * 100.0, beta * 10.0]))
        start = builder.add_vertices(np.array(vertices), np.array(coords), Part.AGAL)
        grid = start + np.arange(segments * sides).reshape(segments, sides)
        builder.add_grid(np.vstack([grid, grid[:1]]), Part.AGAL, wrap=True)


def orient_outwards(
    vertices: Array, triangles: npt.NDArray[np.int64], parts: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Wind every triangle so its normal points away from the inside of its part."""
    out = triangles.copy()
    a, b, c = (vertices[out[:, k]] for k in range(3))
    normals = np.cross(b - a, c - a)
    centroids = (a + b + c) / 3
    inside = np.tile(HEAD_CENTER, (len(out), 1))
    inside[parts == Part.FACE] = HEAD_CENTER + np.array([0.0, 10.0, 30.0])
    for part in (Part.NECK, Part.TORSO):
        mask = parts == part
        inside[mask] = np.stack(
            [np.zeros(mask.sum()), centroids[mask, 1], np.full(mask.sum(), 84.0)], axis=1
        )
    ears = parts == Part.EARS
    inside[ears] = centroids[ears] * np.array([0.0, 1.0, 1.0]) + np.array([0.0, 0.0, 0.0])
    agal = parts == Part.AGAL
    inside[agal] = np.stack(
        [np.zeros(agal.sum()), centroids[agal, 1], np.full(agal.sum(), HEAD_CENTER[2])], axis=1
    )
    # Cloth below the head centre flares out and down: its inside is the axis at its height.
    cloth = np.isin(parts, [Part.LONG_HAIR, Part.GHUTRA, Part.HIJAB, Part.CAP])
    low = cloth & (centroids[:, 1] > HEAD_CENTER[1])
    inside[low] = np.stack(
        [np.zeros(low.sum()), centroids[low, 1], np.full(low.sum(), HEAD_CENTER[2])], axis=1
    )
    flip = np.einsum("ij,ij->i", normals, centroids - inside) < 0
    out[flip] = out[flip][:, [0, 2, 1]]
    return out


def main() -> int:
    arrays = build()
    HEAD_MESH_FILE.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(HEAD_MESH_FILE, **arrays)
    size = HEAD_MESH_FILE.stat().st_size
    print(
        f"wrote {HEAD_MESH_FILE} ({len(arrays['vertices'])} vertices, "
        f"{len(arrays['triangles'])} triangles, {size / 1024:.0f} kB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
