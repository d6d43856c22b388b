"""Draw a confusion matrix as a PNG with numpy and zlib only (matplotlib is not a dependency).

Rows are the true labels, columns the predicted ones, both numbered from 1; darker blue
means more of the row's examples landed there (each row normalised by its total). The
numbers are drawn with a 3x5 pixel digit font; the label names go in the JSON beside it.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np

# 3x5 digit glyphs, one string of 15 bits per digit, row by row.
_DIGITS = {
    "0": "111101101101111", "1": "010110010010111", "2": "111001111100111",
    "3": "111001111001111", "4": "101101111001001", "5": "111100111001111",
    "6": "111100111101111", "7": "111001010010010", "8": "111101111101111",
    "9": "111101111001111",
}  # fmt: skip
_SCALE = 2  # each font pixel is drawn as 2x2
_GLYPH_W, _GLYPH_H = 3 * _SCALE, 5 * _SCALE


def png_bytes(pixels: np.ndarray) -> bytes:
    """Encode an (height, width, 3) uint8 array as a PNG file."""
    height, width, _ = pixels.shape
    raw = b"".join(b"\x00" + pixels[row].tobytes() for row in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def _draw_number(canvas: np.ndarray, number: int, x: int, y: int) -> None:
    for index, digit in enumerate(str(number)):
        bits = _DIGITS[digit]
        for row in range(5):
            for col in range(3):
                if bits[row * 3 + col] == "1":
                    left = x + index * (_GLYPH_W + _SCALE) + col * _SCALE
                    top = y + row * _SCALE
                    canvas[top : top + _SCALE, left : left + _SCALE] = 0


def confusion_png(matrix: np.ndarray, cell: int = 14) -> bytes:
    """Render a square confusion matrix (counts) as a PNG heatmap with numbered axes."""
    size = matrix.shape[0]
    digits = len(str(max(size, 1)))
    margin = digits * (_GLYPH_H + _SCALE) + 6  # room for the stacked column numbers
    side = margin + size * cell + 1
    canvas = np.full((side, side, 3), 255, dtype=np.uint8)
    totals = matrix.sum(axis=1, keepdims=True).astype(float)
    totals[totals == 0] = 1.0
    share = matrix / totals
    light, dark = np.array([247, 251, 255]), np.array([8, 48, 107])
    for row in range(size):
        for col in range(size):
            colour = light + (dark - light) * float(share[row, col])
            top, left = margin + row * cell, margin + col * cell
            canvas[top : top + cell, left : left + cell] = colour.astype(np.uint8)
            if row == col:  # outline the diagonal so an empty correct cell still shows
                canvas[top, left : left + cell] = canvas[top + cell - 1, left : left + cell] = 200
    canvas[margin:, margin - 1] = canvas[margin - 1, margin:] = 0
    for index in range(size):
        if size <= 40 or (index + 1) % 5 == 0 or index == 0:
            offset = margin + index * cell + (cell - _GLYPH_H) // 2
            _draw_number(canvas, index + 1, 2, offset)
            _draw_vertical(canvas, index + 1, margin + index * cell + (cell - _GLYPH_W) // 2)
    return png_bytes(canvas)


def _draw_vertical(canvas: np.ndarray, number: int, x: int) -> None:
    """Column numbers, stacked top to bottom so wide numbers fit a narrow column."""
    for index, digit in enumerate(str(number)):
        _draw_number(canvas, int(digit), x, 2 + index * (_GLYPH_H + _SCALE))


def write_confusion_png(matrix: np.ndarray, path: Path) -> None:
    path.write_bytes(confusion_png(matrix))
