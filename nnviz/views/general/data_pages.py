"""The digit experiments: more data (the learning curve), data augmentation with 50
training digits, and transfer learning against training from scratch."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QSpinBox, QWidget

from nnviz.engine.labs import digit_tasks
from nnviz.engine.sets.augment import augment
from nnviz.views.general.common import COLOURS, Page, fmt, make_plot, pen


def int_box(lo: int, hi: int) -> QSpinBox:
    b = QSpinBox()
    b.setRange(lo, hi)
    b.setKeyboardTracking(False)
    return b


def mosaic(images: np.ndarray, gap: int = 1) -> np.ndarray:
    """8×8 images side by side with a blank column between: one (8, n·9 − 1) picture."""
    n = len(images)
    out = np.zeros((8, n * (8 + gap) - gap))
    for i, im in enumerate(images):
        out[:, i * (8 + gap): i * (8 + gap) + 8] = im.reshape(8, 8)
    return out


def image_plot() -> tuple[pg.PlotWidget, pg.ImageItem]:
    p = make_plot()
    p.hideAxis("left")
    p.hideAxis("bottom")
    p.setAspectLocked(True)
    p.invertY(True)
    item = pg.ImageItem(axisOrder="row-major")
    item.setLookupTable(np.array([[255 - v] * 3 for v in range(256)], dtype=np.uint8))
    p.addItem(item)
    return p, item


class RacePage(Page):
    """Two networks' test accuracy per epoch (augmentation and transfer share this)."""

    def race_plot(self, title: str, row: int, col: int, cols: int = 1) -> None:
        self.acc = self.add_plot(make_plot("epoch", "test accuracy"), title, row, col, 1, cols)
        self.add_legend(self.acc, offset=(-4, -4))
        self.curve_a = self.acc.plot([], [])
        self.curve_b = self.acc.plot([], [])
        self._labels: tuple[str, str] | None = None
        self.acc.setYRange(0, 1, padding=0.02)

    def draw_race(self, race, labels: tuple[str, str], epochs: int) -> None:
        legend = self.legends[-1]
        for curve, colour in ((self.curve_a, COLOURS["a"]), (self.curve_b, COLOURS["b"])):
            curve.setPen(pen(colour, 2.5))
        if labels != self._labels:
            legend.clear()
            legend.addItem(self.curve_a, labels[0])
            legend.addItem(self.curve_b, labels[1])
            self._labels = labels
        ys_a = race.a if race is not None else []
        ys_b = race.b if race is not None else []
        self.curve_a.setData(np.arange(1, len(ys_a) + 1), ys_a)
        self.curve_b.setData(np.arange(1, len(ys_b) + 1), ys_b)
        self.acc.setXRange(0, epochs, padding=0.02)
        for _sample, label in legend.items:
            label.setText(label.text, color=self.style_.foreground,
                          size=f"{7.5 * self.style_.scale:.0f}pt")


class MoreDataPage(Page):
    page = "more-data"

    def __init__(self, ctl, parent: QWidget | None = None) -> None:
        super().__init__(ctl, parent)
        self.steps = int_box(50, 5000)
        self.steps.setSingleStep(50)
        self.steps.valueChanged.connect(lambda v: ctl.set(steps=v))
        self.form.addRow("batches per size", self.steps)
        self.add_run_button()
        self.numbers = self.note(name="general-more-data-numbers")
        self.note("The same 64-30-10 network, seed and number of mini-batches for every "
                  "size n; accuracy on 500 held-out digits.")
        self.finish_panel()
        self.plot = self.add_plot(make_plot("training-set size n (log)", "accuracy"),
                                  "the learning curve: accuracy against n", 0, 0)
        self.plot.setYRange(0, 1, padding=0.02)
        self.plot.setXRange(1, np.log10(800), padding=0.05)
        # x is log10(n), drawn by hand: pyqtgraph's own log axis crowds its minor labels
        self.plot.getAxis("bottom").setTicks(
            [[(float(np.log10(n)), str(n)) for n in digit_tasks.LEARNING_SIZES], []])
        self.add_legend(self.plot, offset=(-4, -4))
        self.train_curve = self.plot.plot([], [], name="training accuracy", symbol="o")
        self.test_curve = self.plot.plot([], [], name="test accuracy", symbol="o")

    def refresh(self) -> None:
        s = self.ctl.setup
        with QSignalBlocker(self.steps):
            self.steps.setValue(s.steps)
        c = self.ctl.result(self.page)
        sc = self.style_.scale
        for curve, colour in ((self.train_curve, COLOURS["b"]), (self.test_curve, COLOURS["a"])):
            curve.setPen(pen(colour, 2.5))
            curve.setSymbolBrush(colour)
            curve.setSymbolSize(7 * sc)
        if c is None or not c.sizes:
            self.train_curve.setData([], [])
            self.test_curve.setData([], [])
            self.numbers.setText("press ▶ Train: 7 sizes, 10 to 800 digits")
            return
        self.train_curve.setData(np.log10(c.sizes), c.train)
        self.test_curve.setData(np.log10(c.sizes), c.test)
        rows = [f"n = {n}: test {t:.3f}" for n, t in zip(c.sizes, c.test)]
        self.numbers.setText(f"{len(c.sizes)} of {c.total} sizes\n" + "\n".join(rows))


class AugmentationPage(RacePage):
    page = "augmentation"

    def __init__(self, ctl, parent: QWidget | None = None) -> None:
        super().__init__(ctl, parent)
        self.per_class = int_box(1, 30)
        self.epochs = int_box(1, 300)
        self.form.addRow("digits a class", self.per_class)
        self.form.addRow("epochs", self.epochs)
        self.per_class.valueChanged.connect(lambda v: ctl.set(a_per_class=v))
        self.epochs.valueChanged.connect(lambda v: ctl.set(a_epochs=v))
        self.add_run_button()
        self.numbers = self.note(name="general-augmentation-numbers")
        self.note("Copies: shifted one pixel right, left, down, up; turned −10° and +10° "
                  "(bilinear). Same network, seed and epochs.")
        self.finish_panel()
        self.race_plot("test accuracy on 500 held-out digits", 0, 0)
        self.pics, self.pic_item = image_plot()
        self._pic_seed: int | None = None
        self.add_plot(self.pics, "one training digit and its six copies", 1, 0)
        self.grid.setRowStretch(0, 3)
        self.grid.setRowStretch(1, 1)

    def refresh(self) -> None:
        s = self.ctl.setup
        for w, v in ((self.per_class, s.a_per_class), (self.epochs, s.a_epochs)):
            with QSignalBlocker(w):
                w.setValue(v)
        if self._pic_seed != s.seed:
            xp, lp, _xt, _lt = digit_tasks.split(s.seed)
            first = xp[digit_tasks.per_class(lp, [3], 1)]
            xa, _la = augment(first, np.array([3]))
            self.pic_item.setImage(mosaic(xa), levels=(0, 1))
            self._pic_seed = s.seed
        race = self.ctl.result(self.page)
        n = 10 * s.a_per_class
        self.draw_race(race, (f"{n} digits", f"{n} + {6 * n} copies"), s.a_epochs)
        if race is None or not race.a:
            self.numbers.setText(f"press ▶ Train: {n} digits against {n} + {6 * n} copies")
            return
        self.numbers.setText(f"epoch {len(race.a)} of {race.epochs}\n"
                             f"without: {race.a[-1]:.3f} ({race.n_train[0]} images)\n"
                             f"with: {race.b[-1]:.3f} ({race.n_train[1]} images)")


class TransferPage(RacePage):
    page = "transfer"

    def __init__(self, ctl, parent: QWidget | None = None) -> None:
        super().__init__(ctl, parent)
        self.per_class = int_box(1, 30)
        self.epochs = int_box(1, 300)
        self.form.addRow("examples a class", self.per_class)
        self.form.addRow("epochs", self.epochs)
        self.per_class.valueChanged.connect(lambda v: ctl.set(t_per_class=v))
        self.epochs.valueChanged.connect(lambda v: ctl.set(t_epochs=v))
        self.add_run_button()
        self.numbers = self.note(name="general-transfer-numbers")
        self.explain("What is frozen",
                     "Transfer: a 64-30-5 network learns the digits 0 to 4 from all their "
                     "images; its first layer (64 × 30 weights and 30 biases) is kept frozen "
                     "and only a new output layer (30 × 5 + 5) learns 5 to 9. From scratch: "
                     "all 2105 parameters learn from the same few. Here the features made to "
                     "tell 0 to 4 apart serve 5 to 9 worse than raw pixels do; transfer pays "
                     "when the first task's features are general.")
        self.finish_panel()
        self.race_plot("test accuracy on the held-out 5–9 digits", 0, 0)

    def refresh(self) -> None:
        s = self.ctl.setup
        for w, v in ((self.per_class, s.t_per_class), (self.epochs, s.t_epochs)):
            with QSignalBlocker(w):
                w.setValue(v)
        race = self.ctl.result(self.page)
        self.draw_race(race, ("from scratch", "transfer (first layer frozen)"), s.t_epochs)
        n = 5 * s.t_per_class
        if race is None or race.extra.get("phase") != "few":
            self.numbers.setText(f"press ▶ Train: first 0–4, then {n} examples of 5–9"
                                 if race is None else "training on 0–4 …")
            return
        base, moved = race.extra["base"], race.extra.get("transferred")
        frozen = moved is not None and np.array_equal(moved.weights[0], base.weights[0]) \
            and np.array_equal(moved.biases[0], base.biases[0])
        self.numbers.setText(
            f"0–4 network: {fmt(race.extra['base_test'], 3)} on 0–4\n"
            f"epoch {len(race.a)} of {race.epochs} on {n} examples:\n"
            f"from scratch: {fmt(race.a[-1] if race.a else None, 3)}\n"
            f"transfer: {fmt(race.b[-1] if race.b else None, 3)}\n"
            f"first layer unchanged: {'yes' if frozen else 'no'}")
