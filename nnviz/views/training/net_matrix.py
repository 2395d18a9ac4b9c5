"""The Training lab network's dense layers drawn as their weight matrix.

Where the neurons of a column stand closer than :data:`DENSE_STEP` pixels (the keras
lessons' 64-32-64-10 network at 1024x768 in presentation mode: 64 neurons in about 100
pixels), their thousands of edges merge into one solid band that shows nothing. Such a
layer's weights are drawn instead as the matrix W of the notes' matrix form: one row per
neuron of the right-hand column (level with it), one column per neuron of the left-hand
column, each cell in the weight images' colours (positive colour +, negative colour -,
white 0, scaled to the layer's largest |w|). A line under the network says how to read
it."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from nnviz.views.style import Style
from nnviz.views.training.colours import diverging_rgb32

#: neurons closer than this (pixels between centres) in either column of a weight layer:
#: the layer is drawn as its matrix
DENSE_STEP = 4.0
#: pixels between a matrix and the columns it joins
PAD = 4.0
#: levels of |w| / max |w| told apart when deciding whether a matrix looks different
LEVELS = 32
#: the line under the network that says how to read the matrices
NOTE = "Dense layers as W: row = neuron on the right; blue\u00a0+, orange\u00a0−"


def step(column: list[QRectF]) -> float:
    """Pixels between the centres of a column's neighbouring neurons (inf: one neuron)."""
    if len(column) < 2:
        return float("inf")
    return (column[-1].center().y() - column[0].center().y()) / (len(column) - 1)


def dense_layers(columns: list[list[QRectF]]) -> list[bool]:
    """Per weight layer (columns l and l + 1): whether it is drawn as its matrix."""
    return [min(step(a), step(b)) < DENSE_STEP for a, b in zip(columns, columns[1:])]


def matrix_rect(src: list[QRectF], dst: list[QRectF]) -> QRectF:
    """Where the matrix between two columns goes: between them, its rows level with the
    right-hand column's neurons."""
    left, right = src[0].right() + PAD, dst[0].left() - PAD
    top, bottom = dst[0].top(), dst[-1].bottom()
    return QRectF(left, top, max(1.0, right - left), max(1.0, bottom - top))


def look_key(matrices: list[np.ndarray]) -> bytes:
    """The matrices as drawn, to LEVELS levels of each one's largest |w|: a repaint is due
    when this changes."""
    parts = []
    for w in matrices:
        v = np.nan_to_num(np.asarray(w, float), nan=0.0, posinf=0.0, neginf=0.0)
        top = float(np.abs(v).max()) if v.size else 0.0
        parts.append(np.round(v / (top or 1.0) * LEVELS).astype(np.int8).tobytes())
    return b"|".join(parts)


def matrix_image(w: np.ndarray, style: Style) -> tuple[QImage, np.ndarray]:
    """W (rows: the right-hand neurons) as an RGB32 image, white at 0 and the style's
    colours at +-max|w|; the pixel array is returned too (the image does not own it)."""
    v = np.nan_to_num(np.asarray(w, float), nan=0.0, posinf=0.0, neginf=0.0)
    lim = float(np.abs(v).max()) or 1.0
    px = np.ascontiguousarray(diverging_rgb32(v, -lim, lim, style))
    h, wd = px.shape
    return QImage(px.data, wd, h, 4 * wd, QImage.Format.Format_RGB32), px


def paint(p: QPainter, matrices: list[tuple[int, np.ndarray, QRectF]], style: Style) -> None:
    """Each (layer, W, rectangle): W's cells filling the rectangle, unsmoothed, framed."""
    p.save()
    p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    for _l, w, r in matrices:
        if not w.size:
            continue
        img, _px = matrix_image(w, style)
        p.drawImage(r, img)
        p.setPen(QPen(QColor(style.muted), 1))
        p.drawRect(r)
    p.restore()


def cell_tip(matrices: list[tuple[int, np.ndarray, QRectF]], pos) -> str | None:
    """The tooltip of the matrix cell under ``pos`` (None: no cell there): which weight it
    is and its value."""
    for l, w, r in matrices:
        if w.size and r.contains(pos):
            j = min(w.shape[0] - 1, int((pos.y() - r.top()) / r.height() * w.shape[0]))
            k = min(w.shape[1] - 1, int((pos.x() - r.left()) / r.width() * w.shape[1]))
            return (f"weight from neuron {k + 1} of {'the inputs' if l == 0 else f'layer {l}'}"
                    f" to neuron {j + 1} of layer {l + 1}: {w[j, k]:.4g}")
    return None
