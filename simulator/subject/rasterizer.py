"""Triangles to pixels with OpenCV: a painter's-ordered triangle-index buffer, then every
per-vertex attribute interpolated per pixel from per-triangle planes, all in numpy.

Only what changes per frame is done per frame; the caller keeps topology and textures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

Float32Array = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int32]

# Sub-pixel vertex precision for cv2.fillConvexPoly: 1/16 px, so slow motion does not jitter.
_SHIFT = 4
_SCALE = float(1 << _SHIFT)


@dataclass(frozen=True)
class Raster:
    """Which triangle covers each pixel of a region, and the attributes of the covered pixels.

    `ids` is (h, w): 0 where nothing was drawn, else the id of what was drawn last there
    (underlays 1..n, then triangles). `pixels` are the flat indices into the region of the
    pixels a triangle covers, `attributes` (len(pixels), k) their interpolated values. The
    region's top-left pixel is `origin` in the frame.
    """

    origin: tuple[int, int]  # (x, y)
    ids: IntArray
    pixels: npt.NDArray[np.intp]
    attributes: Float32Array

    @property
    def mask(self) -> npt.NDArray[np.bool_]:
        mask: npt.NDArray[np.bool_] = self.ids > 0
        return mask

    @property
    def size(self) -> tuple[int, int]:
        height, width = self.ids.shape
        return width, height


def front_facing(screen: Float32Array, triangles: IntArray) -> npt.NDArray[np.bool_]:
    """Triangles wound counter-clockwise as seen (outward normals towards the camera).

    In image coordinates (y down) an outward-wound triangle that faces the camera has a
    negative signed area.
    """
    a, b, c = screen[triangles[:, 0]], screen[triangles[:, 1]], screen[triangles[:, 2]]
    area = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])
    facing: npt.NDArray[np.bool_] = area < 0
    return facing


def rasterize(
    screen: Float32Array,
    depth: Float32Array,
    triangles: IntArray,
    vertex_attributes: Float32Array,
    frame_size: tuple[int, int],
    underlays: Sequence[Float32Array] = (),
    underlay_depth: float = 0.0,
) -> Raster | None:
    """Draw `triangles` far to near and interpolate `vertex_attributes` (V, k) per pixel.

    `screen` (V, 2) pixel positions, `depth` (V,) distances (larger is farther). Triangles are
    drawn in the order of their mean depth, so the nearest covers the rest (painter's
    algorithm); give only the triangles that should be seen (already culled). `underlays` are
    polygons (n, 2) with ids 1, 2, ..., drawn at `underlay_depth` among the triangles: what
    shows through holes in the mesh (eyeballs, the mouth). Triangle k gets id
    len(underlays) + 1 + k. Returns None when nothing falls in the frame.
    """
    width, height = frame_size
    if len(triangles) == 0:
        return None
    corners = screen[triangles]  # (T, 3, 2)
    low = np.floor(corners.min(axis=(0, 1))).astype(int)
    high = np.ceil(corners.max(axis=(0, 1))).astype(int) + 1
    x0, y0 = max(int(low[0]), 0), max(int(low[1]), 0)
    x1, y1 = min(int(high[0]), width), min(int(high[1]), height)
    if x1 <= x0 or y1 <= y0:
        return None
    origin = np.array([x0, y0], np.float32)
    buffer = np.zeros((y1 - y0, x1 - x0), np.int32)
    first_id = len(underlays) + 1
    mean_depth = depth[triangles].mean(axis=1)
    order = np.argsort(-mean_depth, kind="stable")
    # Triangles behind the underlays come first, then the underlays, then the rest.
    behind = int(np.count_nonzero(mean_depth > underlay_depth)) if underlays else 0
    local = corners - origin
    fixed = np.round(local * _SCALE).astype(np.int32)
    for k in order[:behind].tolist():
        cv2.fillConvexPoly(buffer, fixed[k], (float(first_id + k),), cv2.LINE_8, _SHIFT)
    for index, polygon in enumerate(underlays, start=1):
        fixed_polygon = np.round((polygon - origin) * _SCALE).astype(np.int32)
        cv2.fillPoly(buffer, [fixed_polygon], (float(index),), cv2.LINE_8, _SHIFT)
    for k in order[behind:].tolist():
        cv2.fillConvexPoly(buffer, fixed[k], (float(first_id + k),), cv2.LINE_8, _SHIFT)
    pixels, attributes = interpolate(buffer, local, triangles, vertex_attributes, first_id)
    return Raster(origin=(x0, y0), ids=buffer, pixels=pixels, attributes=attributes)


def attribute_planes(
    corners: Float32Array, triangles: IntArray, vertex_attributes: Float32Array
) -> Float32Array:
    """(T, k, 3): per triangle and attribute, (a, b, c) with value = a x + b y + c."""
    values = vertex_attributes[triangles]  # (T, 3, k)
    p0, p1, p2 = corners[:, 0], corners[:, 1], corners[:, 2]
    e1, e2 = p1 - p0, p2 - p0
    det = e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0]
    det = np.where(np.abs(det) < 1e-9, 1e-9, det)
    d1 = values[:, 1] - values[:, 0]  # (T, k)
    d2 = values[:, 2] - values[:, 0]
    # Gradient of a linear function with differences d1 along e1 and d2 along e2.
    a = (d1 * e2[:, 1:2] - d2 * e1[:, 1:2]) / det[:, None]
    b = (d2 * e1[:, 0:1] - d1 * e2[:, 0:1]) / det[:, None]
    c = values[:, 0] - a * p0[:, 0:1] - b * p0[:, 1:2]
    planes: Float32Array = np.stack([a, b, c], axis=2).astype(np.float32)
    return planes


def interpolate(
    ids: IntArray,
    corners: Float32Array,
    triangles: IntArray,
    vertex_attributes: Float32Array,
    first_id: int = 1,
) -> tuple[npt.NDArray[np.intp], Float32Array]:
    """Flat indices of the pixels triangles cover (ids >= first_id) and their attributes."""
    k = vertex_attributes.shape[1]
    planes = attribute_planes(corners, triangles, vertex_attributes)  # (T, k, 3)
    flat_ids = ids.ravel()
    pixels = np.flatnonzero(flat_ids >= first_id)
    triangle = flat_ids[pixels] - first_id
    width = ids.shape[1]
    ys, xs = np.divmod(pixels, width)
    gathered = planes[triangle]  # (n, k, 3)
    out = gathered[:, :, 2]
    out += gathered[:, :, 0] * xs.astype(np.float32)[:, None]
    out += gathered[:, :, 1] * ys.astype(np.float32)[:, None]
    del k
    result: Float32Array = np.ascontiguousarray(out)
    return pixels, result
