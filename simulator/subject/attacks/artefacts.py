"""The faces an attacker shows: a photo printed on paper (lifted blacks, fewer colours, a fine
halftone, a white border) and a device's front (a bezel around a screen whose pixels are
red, green and blue stripes — what makes moire when a camera films it)."""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

Image = npt.NDArray[np.uint8]


def printed_photo(photo: Image, border_share: float = 0.05) -> Image:
    """`photo` as an inkjet print on matte paper, with a white border."""
    height, width = photo.shape[:2]
    # Paper cannot be darker than ink or brighter than paper: a compressed range.
    pale = photo.astype(np.float32) * 0.78 + 30.0
    grey = pale.mean(axis=2, keepdims=True)
    pale = grey + (pale - grey) * 0.82  # inks hold less colour than a screen
    ys, xs = np.mgrid[0:height, 0:width]
    halftone = 1.0 - 0.05 * (np.cos(xs * 2.1) * np.cos(ys * 2.1) > 0.3)
    pale *= halftone[..., None].astype(np.float32)
    border_x, border_y = int(width * border_share), int(height * border_share)
    paper = np.full((height + 2 * border_y, width + 2 * border_x, 3), 236.0, np.float32)
    paper[border_y : border_y + height, border_x : border_x + width] = pale
    return np.clip(paper, 0, 255).astype(np.uint8)


def device_front(
    content: Image, screen_px: tuple[int, int], bezel_share: float, rounded: bool = True
) -> Image:
    """A phone or tablet seen from the front: `content` fitted (letterboxed) into a screen of
    `screen_px` (width, height) pixels, each pixel drawn as RGB stripes, inside a black bezel."""
    screen_w, screen_h = screen_px
    height, width = content.shape[:2]
    scale = min(screen_w / width, screen_h / height)
    fitted = cv2.resize(
        content,
        (max(1, int(width * scale)), max(1, int(height * scale))),
        interpolation=cv2.INTER_AREA,
    )
    screen = np.zeros((screen_h, screen_w, 3), np.uint8)
    top = (screen_h - fitted.shape[0]) // 2
    left = (screen_w - fitted.shape[1]) // 2
    screen[top : top + fitted.shape[0], left : left + fitted.shape[1]] = fitted
    stripes = subpixel_grid(screen)
    bezel_x = int(stripes.shape[1] * bezel_share)
    bezel_y = int(stripes.shape[0] * bezel_share * 0.8)
    front = np.full(
        (stripes.shape[0] + 2 * bezel_y, stripes.shape[1] + 2 * bezel_x, 3), 18, np.uint8
    )
    front[bezel_y : bezel_y + stripes.shape[0], bezel_x : bezel_x + stripes.shape[1]] = stripes
    if rounded:
        radius = bezel_x * 2
        mask = np.zeros(front.shape[:2], np.uint8)
        h, w = mask.shape
        cv2.rectangle(mask, (radius, 0), (w - radius, h), 255, -1)
        cv2.rectangle(mask, (0, radius), (w, h - radius), 255, -1)
        for cx, cy in (
            (radius, radius),
            (w - radius, radius),
            (radius, h - radius),
            (w - radius, h - radius),
        ):
            cv2.circle(mask, (cx, cy), radius, (255,), -1)
        front[mask == 0] = (120, 120, 120)  # the backdrop grey shows at the rounded corners
    return front


def subpixel_grid(screen: Image) -> Image:
    """Each pixel as three vertical stripes (B, G, R order in BGR), 3x wider, with dark gaps
    between rows: the structure a camera aliases into moire."""
    width = screen.shape[1]
    wide = np.repeat(screen, 3, axis=1).astype(np.float32)
    mask = np.zeros((1, width * 3, 3), np.float32)
    mask[0, 0::3, 2] = 1.0  # red stripe
    mask[0, 1::3, 1] = 1.0  # green
    mask[0, 2::3, 0] = 1.0  # blue
    # Stripes carry all the light of their pixel; a little bleed keeps whites white.
    stripes = wide * (mask * 2.4 + 0.2)
    tall = np.repeat(stripes, 3, axis=0)
    tall[2::3] *= 0.45  # the black matrix between rows
    return np.clip(tall, 0, 255).astype(np.uint8)


def add_glare(
    frame: Image, outline: npt.NDArray[np.float64], position: tuple[float, float], strength: float
) -> None:
    """A soft reflection of a ceiling lamp on glass, inside the screen's outline; `position`
    is where the reflection sits as shares of the outline's bounding box."""
    x0, y0 = np.floor(outline.min(axis=0)).astype(int)
    x1, y1 = np.ceil(outline.max(axis=0)).astype(int)
    height, width = frame.shape[:2]
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, width), min(y1, height)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return
    mask = np.zeros((y1 - y0, x1 - x0), np.float32)
    cv2.fillPoly(
        mask, [np.round((outline - [x0, y0]) * 16).astype(np.int32)], (1.0,), cv2.LINE_AA, 4
    )
    ys, xs = np.mgrid[0 : y1 - y0, 0 : x1 - x0].astype(np.float32)
    cx, cy = position[0] * (x1 - x0), position[1] * (y1 - y0)
    sx, sy = 0.22 * (x1 - x0), 0.12 * (y1 - y0)
    spot = np.exp(-0.5 * (((xs - cx) / sx) ** 2 + ((ys - cy) / sy) ** 2)) * strength
    haze = 18.0 * strength
    region = frame[y0:y1, x0:x1].astype(np.float32)
    region += (mask * (spot * 200.0 + haze))[..., None]
    frame[y0:y1, x0:x1] = np.clip(region, 0, 255).astype(np.uint8)
