"""The convolution lab's worked example as Markdown: every output cell's patch,
products and sum, the ReLU, then every pooling window, then the backward pass as the
lab steps it (``nnviz worked``)."""

from __future__ import annotations

import numpy as np

from nnviz.engine.core.naming import fmt
from nnviz.engine.labs.conv_setup import ConvSetup, parse_setup
from nnviz.engine.labs.conv_steps import (
    ConvCell,
    PoolCell,
    conv_cell,
    feature_maps,
    map_shape,
    pool_cell,
)

CHANNELS = ("R", "G", "B")


def signed_sum(values) -> str:
    """``a + b − c``: the terms of a sum, a negative one after a minus sign."""
    out = ""
    for i, v in enumerate(values):
        t = fmt(v)
        if i == 0:
            out = t
        elif t.startswith("-"):
            out += f" − {t[1:]}"
        else:
            out += f" + {t}"
    return out


def product(a: float, b: float) -> str:
    """``a·b``, a negative factor after the first in parentheses."""
    tb = fmt(b)
    return f"{fmt(a)}·({tb})" if tb.startswith("-") else f"{fmt(a)}·{tb}"


def _grid(a: np.ndarray) -> str:
    return "[" + "; ".join(" ".join(fmt(v) for v in row) for row in a) + "]"


def cell_lines(cell: ConvCell) -> list[str]:
    """Markdown lines for one output cell: patch, kernel, products, their sum + bias."""
    c = cell.patch.shape[0]
    lines = [f"### Output cell ({cell.row + 1}, {cell.col + 1}) — patch rows "
             f"{cell.top + 1}–{cell.top + cell.patch.shape[1]}, columns "
             f"{cell.left + 1}–{cell.left + cell.patch.shape[2]} of the padded image", ""]
    for ch in range(c):
        tag = f" ({CHANNELS[ch]})" if c == 3 else ""
        lines.append(f"- patch{tag}: `{_grid(cell.patch[ch])}`, kernel{tag}: "
                     f"`{_grid(cell.kernel[ch])}`")
    prods = [product(p, k) for p, k in zip(cell.patch.ravel(), cell.kernel.ravel())]
    lines.append(f"- products ({cell.products.size}): `" + " + ".join(prods) + "`")
    lines.append(f"- sum: `{signed_sum(cell.products.ravel())} = {fmt(cell.total)}`")
    lines.append(f"- **`out({cell.row + 1},{cell.col + 1}) = "
                 f"{signed_sum([cell.total, cell.bias])} = {fmt(cell.value)}`**")
    return lines + [""]


def pool_lines(cell: PoolCell) -> list[str]:
    """Markdown lines for one pooling window."""
    vals = [fmt(v) for v in cell.window.ravel()]
    head = (f"- window ({cell.row + 1}, {cell.col + 1}) at rows {cell.top + 1}–"
            f"{cell.top + cell.window.shape[0]}, columns {cell.left + 1}–"
            f"{cell.left + cell.window.shape[1]}: ")
    if cell.mode == "max":
        u, v = cell.winner
        return [head + f"`max({', '.join(vals)}) = {fmt(cell.value)}` (cell "
                f"{cell.top + u + 1}, {cell.left + v + 1})"]
    return [head + f"`({signed_sum(cell.window.ravel())}) / {cell.window.size} = "
            f"{fmt(cell.value)}`"]


def _shares(a: np.ndarray) -> str:
    """A (C, k, k) array as `[..]` (one channel) or R `[..]`, G `[..]`, B `[..]`."""
    if len(a) == 1:
        return f"`{_grid(a[0])}`"
    return ", ".join(f"{CHANNELS[ch]} `{_grid(a[ch])}`" for ch in range(len(a)))


def _map_lines(title: str, m: np.ndarray) -> list[str]:
    return [f"## {title}", ""] + [f"    {'  '.join(f'{fmt(v):>8}' for v in row)}"
                                  for row in m] + [""]


def cnn_markdown(setup: ConvSetup, title: str = "", description: str = "") -> str:
    """The CNN page: its architecture and parameter count (it learns; nothing to step)."""
    from nnviz.engine.labs.cnn import CNNShape

    sh = CNNShape(kernels=setup.cnn_kernels, pool=setup.cnn_pool)
    (oh, ow), (ph, pw) = sh.conv_size(), sh.pooled_size()
    k, ks, f = sh.kernels, sh.kernel_size, sh.features
    n_conv, n_dense = k * ks * ks + k, f * sh.classes + sh.classes
    lines = ([f"# {title}", ""] if title else []) + ([description, ""] if description else [])
    lines += ["## The network", "",
              f"- input 1×{sh.height}×{sh.width} (a digit, ink 0–1)",
              f"- convolution: {k} kernels {ks}×{ks}, stride {sh.stride}, padding {sh.padding}"
              f" → {k}×{oh}×{ow}; {k}·{ks * ks} + {k} = {n_conv} parameters",
              "- ReLU",
              f"- {sh.pool} pooling {sh.pool_size}×{sh.pool_size}, stride {sh.pool_stride} "
              f"→ {k}×{ph}×{pw}",
              f"- flatten → {f}",
              f"- dense + softmax → {sh.classes}; {f}·{sh.classes} + {sh.classes} = {n_dense} "
              "parameters",
              f"- in all {n_conv + n_dense} parameters; loss: categorical cross-entropy"]
    return "\n".join(lines) + "\n"


def conv_markdown(setup: ConvSetup, title: str = "", description: str = "") -> str:
    """The worked example of the setup's active kernel on its image, then the pooling."""
    if setup.page == "cnn":
        return cnn_markdown(setup, title, description)
    img = setup.image()
    k = setup.active
    kernel, bias = setup.kernels[k], float(setup.biases[k])
    oh, ow = map_shape(img.shape[1], img.shape[2], kernel.shape[-1], setup.stride,
                       setup.padding)
    lines = ([f"# {title}", ""] if title else []) + ([description, ""] if description else [])
    lines += ["## Set-up", "",
              f"- Image: {img.shape[1]}×{img.shape[2]}" + (f"×{img.shape[0]}" if img.shape[0] > 1
                                                           else ""),
              f"- Kernel: {'×'.join(str(s) for s in kernel.shape[1:])}"
              + (f"×{kernel.shape[0]}" if kernel.shape[0] > 1 else "") + f", bias {fmt(bias)}",
              f"- Stride {setup.stride}, padding {setup.padding}: the feature map is {oh}×{ow}",
              "- Each output cell is the sum of the products of the patch and the kernel, "
              "plus the bias (no flipping: the deep-learning convention).", "",
              "## Convolution", ""]
    for i in range(oh * ow):
        lines += cell_lines(conv_cell(img, kernel, bias, setup.stride, setup.padding, i))
    fmap = feature_maps(img, kernel[None], np.array([bias]), setup.stride, setup.padding)[0]
    lines += _map_lines("Feature map", fmap)
    if setup.relu:
        fmap = np.maximum(fmap, 0.0)
        lines += _map_lines("After ReLU: max(0, out)", fmap)
    name = "Max" if setup.pool == "max" else "Average"
    ph, pw = map_shape(fmap.shape[0], fmap.shape[1], setup.pool_size, setup.pool_stride, 0)
    lines += [f"## {name} pooling ({setup.pool_size}×{setup.pool_size}, stride "
              f"{setup.pool_stride})", ""]
    cells = [pool_cell(fmap, setup.pool_size, setup.pool_stride, setup.pool, i)
             for i in range(ph * pw)]
    for c in cells:
        lines += pool_lines(c)
    lines += [""] + _map_lines("Pooled map", np.array([c.value for c in cells]).reshape(ph, pw))
    lines += backward_lines(setup, img, kernel, bias)
    return "\n".join(lines).rstrip() + "\n"


def backward_lines(setup: ConvSetup, img: np.ndarray, kernel: np.ndarray,
                   bias: float) -> list[str]:
    """The backward pass as the lab steps it (:mod:`nnviz.engine.labs.conv_backsteps`): every
    pooling window's δp routed, then every output cell's δ and its share of ∂C/∂w, ∂C/∂b."""
    from nnviz.engine.labs import conv_backsteps as cb

    s = setup
    g = cb.layer_grads(img, kernel, bias, s.stride, s.padding, s.relu, s.pool, s.pool_size,
                       s.pool_stride)
    z = feature_maps(img, kernel[None], np.array([bias]), s.stride, s.padding)[0]
    a = np.maximum(z, 0.0) if s.relu else z
    p = g.dp + cb.TARGET
    lines = [f"## Backward pass: C = ½ Σ (p − t)², t = {fmt(cb.TARGET)}, C = {fmt(g.cost)}",
             "", "### Pooling, backward: δp = p − t", ""]
    for i in range(p.size):
        c = cb.pool_back_cell(a, p, s.pool_size, s.pool_stride, s.pool, i)
        head = (f"- window ({c.row + 1}, {c.col + 1}): `δp = {signed_sum([c.p, -c.target])} = "
                f"{fmt(c.delta)}`")
        if c.winner is not None:
            u, v = c.winner
            lines.append(head + f" → all to cell ({c.top + u + 1}, {c.left + v + 1})")
        else:
            lines.append(head + f" → `{fmt(c.delta)} / {c.window.size} = "
                         f"{fmt(c.delta / c.window.size)}` to each of its cells")
    lines += [""] + _map_lines("∂C/∂a", g.da)
    relu = "ReLU′(z)" if s.relu else "1 (no ReLU)"
    lines += [f"### Convolution, backward: δ = ∂C/∂a · {relu}; ∂C/∂w += δ·patch, "
              "∂C/∂b += δ", ""]
    for i in range(z.size):
        c = cb.conv_back_cell(img, z, g.da, kernel.shape[-1], s.stride, s.padding, s.relu, i)
        lines.append(f"- cell ({c.row + 1}, {c.col + 1}): `δ = {product(c.da, c.relu_grad)} = "
                     f"{fmt(c.delta)}`; `∂C/∂b = {signed_sum([c.db_before, c.delta])} = "
                     f"{fmt(c.db_after)}`" + ("" if c.delta == 0 else
                                            f"; adds {_shares(c.contribution)} to ∂C/∂w"))
    lines += [""] + _map_lines("δ = ∂C/∂z", g.delta)
    for ch in range(len(g.dw)):
        tag = f" ({CHANNELS[ch]})" if len(g.dw) == 3 else ""
        lines += _map_lines(f"∂C/∂w{tag} = Σ δ·patch", g.dw[ch])
    lines += [f"## ∂C/∂b = Σ δ = {fmt(g.db)}", ""]
    return lines


def lesson_conv_markdown(lesson) -> str:
    """The worked example of a conv lesson (its ``settings``)."""
    return conv_markdown(parse_setup(lesson.settings), lesson.title, lesson.description)
