"""The committed head mesh: FaceMesh's own points and triangles at the front, a closed head
around them, triangles wound outwards, small enough to commit."""

from __future__ import annotations

import numpy as np

from simulator.subject.head_mesh import HEAD_MESH_FILE, Part, head_mesh


def test_the_mesh_file_is_small() -> None:
    assert HEAD_MESH_FILE.stat().st_size < 500_000


def test_the_face_is_facemesh_with_its_852_triangles_in_its_own_order() -> None:
    mesh = head_mesh()
    face = mesh.triangle_part == Part.FACE
    assert int(face.sum()) == 852
    assert np.all(mesh.vertex_part[:468] == Part.FACE)
    assert np.all(mesh.triangles[face] < 468)
    # FaceMesh order: 1 is the nose tip (among the points nearest the camera), 152 the chin
    # (the lowest point).
    assert 1 in np.argsort(mesh.vertices[:468, 2])[:5]
    assert int(np.argmax(mesh.vertices[:468, 1])) == 152


def test_the_face_is_mirror_symmetric() -> None:
    mesh = head_mesh()
    face = mesh.vertices[:468]
    mirrored = face[mesh.face_mirror] * np.array([-1.0, 1.0, 1.0])
    assert np.abs(face - mirrored).max() < 1e-3
    assert np.array_equal(mesh.face_mirror[mesh.face_mirror], np.arange(468))
    eyes = np.linalg.norm(face[[263, 362]].mean(axis=0) - face[[33, 133]].mean(axis=0))
    assert abs(eyes - 63.0) < 0.01


def test_the_skin_is_closed_and_wound_outwards() -> None:
    mesh = head_mesh()
    skin = np.isin(mesh.triangle_part, [Part.FACE, Part.SCALP])
    triangles = mesh.triangles[skin]
    edges: dict[tuple[int, int], int] = {}
    for a, b, c in triangles.tolist():
        for edge in ((a, b), (b, c), (c, a)):
            key = (min(edge), max(edge))
            edges[key] = edges.get(key, 0) + 1
    boundary = sum(1 for count in edges.values() if count == 1)
    assert boundary == 16 + 16 + 20  # only the eye openings and the mouth stay open
    v = mesh.vertices.astype(np.float64)
    a, b, c = (v[triangles[:, k]] for k in range(3))
    normals = np.cross(b - a, c - a)
    outward = np.einsum("ij,ij->i", normals, (a + b + c) / 3 - mesh.head_center)
    assert np.mean(outward > 0) > 0.97
