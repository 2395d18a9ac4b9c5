"""Turn the stepper's state into what the workbench shows: graph texts and equation HTML.

Formatting only (numbers printed with the engine's ``fmt``); no maths.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from nnviz.engine.core.naming import Naming, fmt
from nnviz.engine.stepping.trace import Equation, MicroStep, Trace, TraceState
from nnviz.views.items.math_text import escape, math_html, math_plain
from nnviz.views.items.network_graph import MAX_NODE_TEXT, GraphState
from nnviz.views.style import Style
from nnviz.views.workbench.equation_layout import (
    Measure,
    equation_block,
    equation_rows,
    joined,
)


def short(x: float, digits: int = 4) -> str:
    """A number in four (or ``digits``) significant digits (the graph in presentation
    mode; the Equation panel beside it prints every digit)."""
    x = float(x)
    if not np.isfinite(x) or x == 0 or abs(x) >= 1e4:
        return fmt(x)
    return f"{x:.{digits}g}" if abs(x) < 1e-3 else fmt(float(f"{x:.{digits}g}"))


def gradient_text(x: float, brief: bool) -> str:
    """A weight's gradient under its value on the graph: in three significant digits in
    presentation mode ("∂ 0.08217" in four filled the short edge from h1 to o1 at
    1024x768, from circle to circle), in two where it needs a power of ten ("∂ -1.9e-12":
    its size is what it says; "∂ -1.88e-12" was a pixel too wide for xor-mlp's edge from
    x2 to h2 at 1024x768). The Equation panel prints every digit."""
    if not brief:
        return f"∂ {fmt(x)}"
    return f"∂ {short(x, 2 if 0 < abs(x) < 1e-4 else 3)}"


def graph_state(trace: Trace, st: TraceState, naming: Naming,
                brief: bool = False) -> GraphState:
    """The graph's view of the pass after ``st.k`` micro-steps; ``brief`` prints its
    numbers in four significant digits (presentation mode: less text, no overlaps)."""
    num = short if brief else fmt
    net = trace.net_before
    values = [np.asarray(trace.x, float)]
    values += [np.where(st.out_known[l + 1], st.out[l + 1], np.nan) for l in range(net.n_layers)]
    return GraphState(node_values=values, node_text=_node_texts(net, st, naming, num),
                      edge_text=_edge_texts(net, st, naming, num, brief),
                      target_text=_target_texts(trace, st, naming, num, brief),
                      target_room=_target_room(trace, naming, num, brief),
                      value_lines=3 + any(_bias_line(net, l) for l in range(net.n_layers)),
                      active=_active_node(st.step), active_edges=_active_edges(net, st.step),
                      gradient_edges=[k & ~u for k, u in zip(st.dw_known, st.w_updated)],
                      weights=st.weights, biases=st.biases)


def _node_texts(net, st: TraceState, naming: Naming, num) -> dict:
    """(layer, j) -> the lines beside a neuron: net, out, δ and its bias, as far as known;
    in a layer too crowded for every neuron's values (784-100-10's hidden layer), the
    active neuron's only, under its name (its circle is too small for it)."""
    sizes = net.sizes
    node_text: dict = {}
    active = _active_node(st.step)
    for l in range(net.n_layers):
        layer = l + 1
        crowded = sizes[layer] > MAX_NODE_TEXT   # the active neuron's only, named
        for j in ([active[1]] if active and active[0] == layer else []) if crowded \
                else range(sizes[layer]):
            lines = [(naming.label(layer, j), "highlight")] if crowded else []
            if st.net_known[l][j]:
                lines.append((f"net {num(st.net[l][j])}", "value"))
            if st.out_known[layer][j]:
                lines.append((f"out {num(st.out[layer][j])}", "value"))
            if st.delta_known[l][j]:
                lines.append((f"δ {num(st.delta[l][j])}", "gradient"))
            if _bias_line(net, l):
                lines.append((_bias_text(net, st, naming, num, l, j), "muted"))
            if not crowded or len(lines) > 1:
                node_text[(layer, j)] = lines
    return node_text


def _bias_line(net, l: int) -> bool:
    """Does a neuron of weight layer l show its own bias under its values (a bias not
    shared, in a network small enough)?"""
    return bool(net.use_bias[l] and not net.shared_bias[l] and sum(net.sizes[1:]) <= 12)


def _bias_text(net, st: TraceState, naming: Naming, num, l: int, j: int) -> str:
    if st.b_updated[l][j]:
        return f"{naming.bias(l, j)}: {num(net.biases[l][j])} → {num(st.biases[l][j])}"
    return f"{naming.bias(l, j)} = {num(st.biases[l][j])}"


def _edge_texts(net, st: TraceState, naming: Naming, num, brief: bool = False) -> dict:
    """(l, j, k) -> the lines on a weight (small networks only): its value, its update
    (the one being made highlighted) and its gradient until it is applied."""
    edge_text: dict = {}
    if sum(w.size for w in net.weights) > 48:
        return edge_text
    step = st.step
    for l, w in enumerate(st.weights):
        for j, k in np.ndindex(w.shape):
            name = naming.weight(l, j, k)
            role = "positive" if w[j, k] >= 0 else "negative"
            if (step is not None and step.kind == "update_w"
                    and (step.layer - 1, step.neuron, step.source) == (l, j, k)):
                lines = [(f"{name}: {num(net.weights[l][j, k])} → {num(w[j, k])}", "highlight")]
            elif st.w_updated[l][j, k]:
                lines = [(f"{name}⁺ = {num(w[j, k])}", role)]
            else:
                lines = [(f"{name} = {num(w[j, k])}", role)]
            if st.dw_known[l][j, k] and not st.w_updated[l][j, k]:
                lines.append((gradient_text(st.dw[l][j, k], brief), "gradient"))
            edge_text[(l, j, k)] = lines
    return edge_text


def _target_texts(trace: Trace, st: TraceState, naming: Naming, num,
                  brief: bool = False) -> dict:
    """j -> the lines beside output j: its target, its error, and under the last one the
    total error before and after the update. ``brief`` (presentation mode): an error
    that is the total error is said in two lines ("E_o1 = E_total", "= 1.034e-09": in
    one, xor-mlp's graph at 1024x768 kept 260 pixels of its 632 for it, and its weight
    labels found no room between the layers)."""
    n_out = trace.net_before.sizes[-1]
    target_text: dict = {}
    if n_out > MAX_NODE_TEXT:
        return target_text
    step = st.step
    for j in range(n_out):
        lines = [(f"{naming.target(j)} = {num(trace.y[j])}", "muted")]
        # one output: its error is the total error, said once ("E_o1 = E_total = …")
        alone = n_out == 1 and st.total_error is not None and st.errors_known[0] \
            and np.isclose(st.errors[0], st.total_error, rtol=1e-12, atol=0.0)
        if st.errors_known[j]:
            role = ("highlight" if step is not None and step.kind == "error"
                    and step.neuron == j else "value")
            names = [naming.error(j)] + ([naming.total_error] if alone and
                                         naming.total_error != naming.error(j) else [])
            if brief and len(names) > 1:
                lines += [(" = ".join(names), role), (f"= {num(st.errors[j])}", role)]
            else:
                lines.append((f"{' = '.join(names)} = {num(st.errors[j])}", role))
        if j == n_out - 1 and st.total_error is not None and not alone:
            lines.append((f"{naming.total_error} = {num(st.total_error)}", "value"))
        if j == n_out - 1 and st.total_after is not None:
            lines.append((f"{naming.total_error}⁺ = {num(st.total_after)}", "highlight"))
        target_text[j] = lines
    return target_text


def _target_room(trace: Trace, naming: Naming, num, brief: bool = False) -> dict:
    """The target lines at the end of the pass (every error known): the room kept for
    them from the start."""
    n = len(trace)
    end = SimpleNamespace(step=None, errors_known=trace.idx_error <= n, errors=trace.errors,
                          total_error=trace.total_error if trace.idx_total <= n else None,
                          total_after=trace.total_after if trace.idx_result <= n else None)
    return _target_texts(trace, end, naming, num, brief)


def _active_node(step: MicroStep | None) -> tuple[int, int] | None:
    return None if step is None or step.neuron is None else (step.layer, step.neuron)


def _active_edges(net, step: MicroStep | None) -> list[np.ndarray]:
    """The weights the current micro-step reads or writes."""
    active_edges = [np.zeros(w.shape, bool) for w in net.weights]
    if step is None or step.neuron is None:
        return active_edges
    l, j = step.layer - 1, step.neuron
    if step.kind in ("net", "out", "grad_row", "update_row"):
        active_edges[l][j, :] = True
    elif step.kind in ("grad_w", "update_w") and step.source is not None:
        active_edges[l][j, step.source] = True
    elif step.kind == "delta" and step.layer < net.n_layers:
        active_edges[step.layer][:, j] = True
    return active_edges


# ------------------------------------------------------------------ equations
class HiddenResult(Equation):
    """An equation whose result is hidden (predict, then reveal): '... = ?'."""

    def text(self) -> str:
        shown = Equation.text(self)
        return (shown.rsplit(" = ", 1)[0] if " = " in shown else shown) + " = ?"


def _natural_width(text: str, pt: float) -> float:
    """No measuring: every stage on one line (Markdown, tests without a panel)."""
    return 0.0


def equation_html(step: MicroStep | None, k: int, n: int, style: Style,
                  captions: list[str] = (), width: float = 1e9,
                  measure: Measure = _natural_width, hidden: bool = False,
                  scale: float = 1.0, floor: float = 0.0, narrow: bool = False,
                  compact: int = 0) -> str:
    """The equation panel for a panel ``width`` pixels wide (text measured by ``measure``):
    the title, the step's result in large type, the equation in lines broken between
    terms (its last line the result, bold), and its chain-rule factors.
    ``hidden``: the result is '?' (predict, then reveal). ``scale`` sets every size smaller
    (a panel too narrow for the whole lines), none below ``floor`` points; ``narrow`` sets
    every left-hand side on a line of its own. ``compact`` for a panel too short for the
    equation: 1 sets its lines closer, 2 also leaves out the large result above it (its
    last line, bold, says the same), 3 also the step's title but "step k of n", 4 that
    too (the status bar says it)."""
    fg, muted, hi, grad = style.foreground, style.muted, style.highlight, style.gradient
    big, eq_pt, mid = (max(floor, style.pt(s) * scale) for s in (14, 12, 10.5))
    share = 0.0 if narrow else 0.45
    gap = 3 if compact == 0 else 0
    out = [f'<div style="color:{fg}; font-family:sans-serif">']
    if step is None:
        out.append(f'<p style="font-size:{mid:.1f}pt; color:{muted}">Start of the pass '
                   f'(step 0 of {n}). Press → (or Space / Page Down) for the first '
                   f'micro-step.</p>')
    else:
        if compact < 4:   # (the status bar says it too)
            title = "" if compact == 3 else f"{math_html(step.title)} · "
            out.append(f'<p style="font-size:{mid:.1f}pt; color:{muted}">{title}'
                       f'step {k} of {n}</p>')
        shown = HiddenResult if hidden else Equation
        eq = step.equation
        if compact < 2:
            result = shown(eq.lhs, (), eq.value, 0)
            # on one line, whatever the lines below need ("a²₅" | "= 0.3727…"); the name
            # on a line of its own only where it is long (the panel's probe judges the
            # width: measuring "a225" in full-size type had split a²₂₅ from its value)
            out.append(equation_block(equation_rows(result, width, big, measure, 0.45),
                                      f"font-size:{big:.1f}pt; color:{hi}", min(gap, 2), hi))
        eq = shown(eq.lhs, eq.stages, eq.value, eq.n_symbolic)
        out.append(equation_block(equation_rows(eq, width, eq_pt, measure, share),
                                  f"font-size:{eq_pt:.1f}pt", gap, hi))
        if step.details:
            out.append(f'<p style="font-size:{mid:.1f}pt; color:{muted}">where</p>')
            for d in step.details:
                if hidden and (d.lhs == step.equation.lhs or d.value == step.value):
                    d = HiddenResult(d.lhs, d.stages, d.value, d.n_symbolic)  # the same result
                out.append(equation_block(equation_rows(d, width, mid, measure, share),
                                          f"font-size:{mid:.1f}pt; color:{grad}", 2))
    for c in captions:
        out.append(f'<p style="font-size:{mid:.1f}pt; color:{muted}"><i>{joined(escape(c))}</i>'
                   '</p>')
    out.append("</div>")
    return "".join(out)


def step_summary(step: MicroStep, hidden: bool = False) -> str:
    """One line for the list of steps done: 'netₕ₁ = 0.3775' ('= ?' while hidden), in plain
    text set as the equation above it ("∂E_total/∂w4" was ASCII under "∂Eₜₒₜₐₗ/∂w4")."""
    return math_plain(f"{step.index}. {step.equation.lhs} = "
                      f"{'?' if hidden else fmt(step.value)}")


def shown_state(tr: Trace, k: int, naming: Naming, reveal, hidden: bool,
                presentation: bool) -> GraphState:
    """What the graph shows at micro-step ``k`` (``hidden``: its result masked while it is
    predicted)."""
    shown = reveal.state(tr, k) if hidden and k > 0 else tr.state_at(k)
    return graph_state(tr, shown, naming, presentation)


def show_step(graph, stepper, reveal, hidden: bool, presentation: bool) -> None:
    """The Workbench's graph at the stepper's micro-step (the result masked while it is
    predicted), or the network alone where no pass could be made."""
    tr = stepper.trace
    naming = stepper.doc.naming
    if tr is not None:
        graph.set_network(tr.net_before, naming, redraw=False)
        graph.set_inputs(tr.x, redraw=False)   # set_state draws them all
        graph.set_targets(tr.y, redraw=False)
        graph.set_state(shown_state(tr, stepper.k, naming, reveal, hidden, presentation))
    elif stepper.doc.network is not None:   # declined (the Equation panel says why):
        graph.set_network(stepper.doc.network, naming, redraw=False)   # the network alone
        graph.set_state(None)
