"""File > Export for the course: a handout of the worked example (PDF or LaTeX), an
exercise sheet with its worked solution, and the stepping recorded as PNG frames.

The sheets' modules are imported when a sheet is made (not at start-up: the window
only needs the menu actions)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QSpinBox,
    QWidget,
)

if TYPE_CHECKING:
    from nnviz.views.main_window import MainWindow

FIGURE_SIZE = (900, 520)
MAX_FRAMES = 200


def graph_pictures(trace, naming, ends: dict[str, int], size=FIGURE_SIZE) -> dict[str, QImage]:
    """The network graph at the end of each phase, drawn off screen in the light style."""
    from nnviz.views.items.network_graph import NetworkGraphWidget
    from nnviz.views.style import make_style
    from nnviz.views.workbench.present import graph_state

    graph = NetworkGraphWidget()
    graph.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    graph.resize(*size)
    graph.apply_style(make_style("light"))
    graph.set_network(trace.net_before, naming)
    graph.set_inputs(trace.x, redraw=False)
    graph.set_targets(trace.y, redraw=False)
    graph.show()
    pictures = {}
    try:
        for phase, k in ends.items():
            graph.set_state(graph_state(trace, trace.state_at(k), naming))
            graph.fit()
            graph.flush()
            QApplication.processEvents()
            pictures[f"phase-{phase}"] = graph.grab().toImage()
    finally:
        graph.hide()
        graph.deleteLater()
    return pictures


class ExerciseDialog(QDialog):
    """Kind, shape, activation, loss and seed of an exercise sheet."""

    def __init__(self, parent: QWidget, shape: str) -> None:
        super().__init__(parent)
        from nnviz.engine.teaching.exercise import HIDDEN_ACTIVATIONS, KINDS, LOSSES

        self.setWindowTitle("Exercise sheet")
        form = QFormLayout(self)
        self.kind = QComboBox()
        self.kind.addItems(KINDS)
        self.shape = QLineEdit(shape)
        self.activation = QComboBox()
        self.activation.addItems(HIDDEN_ACTIVATIONS)
        self.loss = QComboBox()
        self.loss.addItems(LOSSES)
        self.seed = QSpinBox()
        self.seed.setRange(0, 1_000_000)
        self.seed.setValue(1)
        form.addRow("Kind", self.kind)
        form.addRow("Shape (dense)", self.shape)
        form.addRow("Activation", self.activation)
        form.addRow("Loss", self.loss)
        form.addRow("Seed", self.seed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def choice(self) -> dict:
        return {"kind": self.kind.currentText(), "shape": self.shape.text().strip(),
                "activation": self.activation.currentText(), "loss": self.loss.currentText(),
                "seed": self.seed.value()}


class Handouts(QObject):
    """The course exports of File > Export, with their actions."""

    def __init__(self, win: MainWindow) -> None:
        super().__init__(win)
        self.win = win
        self.act_handout = self._action("&Handout (PDF or LaTeX)…", self.handout,
                                        "The worked example up to the current step, typeset")
        self.act_exercise = self._action("E&xercise sheet…", self.exercise,
                                         "A random network's questions and worked solution")
        self.act_frames = self._action("Recorded &steps (PNG frames)…", self.frames,
                                       "One picture per step at the window's size")
        self.actions = [self.act_handout, self.act_exercise, self.act_frames]

    def _action(self, text: str, slot, tip: str) -> QAction:
        a = QAction(text, self.win)
        a.setToolTip(tip)
        a.setStatusTip(tip)
        a.triggered.connect(lambda _=False: slot())
        return a

    # ------------------------------------------------------------ helpers
    def _stepper(self):
        page = self.win.lab("workbench") if "workbench" in self.win.lab_names else None
        return getattr(page, "stepper", None)

    def _ask_path(self, title: str, default: str, filters: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self.win, title, default, filters)
        return path

    def _done(self, path: str | Path) -> None:
        self.win.statusBar().showMessage(f"Exported {Path(path).name}", 8000)

    def _fail(self, what: str, error: Exception) -> None:
        text = getattr(error, "strerror", None) or str(error)
        QMessageBox.warning(self.win, f"Cannot export the {what}", text)

    # ------------------------------------------------------------ exports
    def handout(self, path: str | None = None) -> bool:
        """The lesson's worked example up to the Workbench's step (the whole step at 0)."""
        st = self._stepper()
        doc = self.win.doc
        if st is None or st.trace is None or doc.lesson is None:
            QMessageBox.information(self.win, "Handout", "There is no worked example to export.")
            return False
        tr = st.trace
        upto = st.k or len(tr)
        path = path or self._ask_path("Export handout", f"{doc.lesson.name}-handout.pdf",
                                      "PDF (*.pdf);;LaTeX (*.tex)")
        if not path:
            return False
        if not path.lower().endswith((".pdf", ".tex")):
            path += ".pdf"
        from nnviz.engine.teaching.handout import handout_sheet, phase_ends
        from nnviz.views.sheet_pdf import write_sheet

        sheet = handout_sheet(doc.lesson, tr, upto)
        try:
            write_sheet(sheet, path, graph_pictures(tr, doc.naming, phase_ends(tr, upto)))
        except OSError as e:
            self._fail("handout", e)
            return False
        self._done(path)
        return True

    def exercise(self, choice: dict | None = None, path: str | None = None) -> bool:
        """An exercise sheet; the dialog starts from the current network's shape."""
        if choice is None:
            net = self.win.doc.network
            shape = "-".join(str(s) for s in net.sizes) if net is not None else "2-2-2"
            dlg = ExerciseDialog(self.win, shape if len(shape) <= 9 else "2-2-2")
            if dlg.exec() != QDialog.DialogCode.Accepted:
                return False
            choice = dlg.choice()
        from nnviz.engine.teaching.exercise import make_exercise
        from nnviz.views.sheet_pdf import write_sheet

        try:
            ex = make_exercise(**choice)
        except ValueError as e:
            QMessageBox.warning(self.win, "Exercise sheet", str(e))
            return False
        path = path or self._ask_path("Export exercise sheet",
                                      f"exercise-{choice['kind']}-{choice['seed']}.pdf",
                                      "PDF (*.pdf);;LaTeX (*.tex)")
        if not path:
            return False
        if not path.lower().endswith((".pdf", ".tex")):
            path += ".pdf"
        try:
            write_sheet(ex.sheet, path)
        except OSError as e:
            self._fail("exercise sheet", e)
            return False
        self._done(path)
        return True

    def frames(self, folder: str | None = None) -> int:
        """The Workbench's pass, from its start to the end of the training step, as numbered
        PNGs of the window's content (at most MAX_FRAMES); the stepper is put back where it
        was. Returns the number of frames written."""
        win, st = self.win, self._stepper()
        if st is None or st.trace is None:
            QMessageBox.information(win, "Recorded steps", "There are no steps to record.")
            return 0
        folder = folder or QFileDialog.getExistingDirectory(win, "Export recorded steps")
        if not folder:
            return 0
        win.show_lab("workbench")
        start, name = st.k, (win.doc.lesson.name if win.doc.lesson else "nnviz")
        count = min(len(st) + 1, MAX_FRAMES)
        progress = QProgressDialog("Recording the steps…", "Stop", 0, count, win)
        progress.setWindowTitle("Recorded steps")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)    # a short pass shows no dialog at all
        written = 0
        try:
            for k in range(count):
                if progress.wasCanceled():
                    break
                st.set_position(k)
                QApplication.processEvents()   # the lab redraws; the window stays alive
                out = Path(folder) / f"{name}-{k:03d}.png"
                if not win.centralWidget().grab().toImage().save(str(out), "PNG"):
                    raise OSError(f"could not write {out.name}")
                written += 1
                progress.setValue(written)
        except OSError as e:
            self._fail("recorded steps", e)
            return 0
        finally:
            progress.close()
            st.set_position(start)
        more = f" (of {len(st) + 1})" if written < len(st) + 1 else ""
        win.statusBar().showMessage(f"Exported {written} frames{more} to {Path(folder).name}",
                                    8000)
        return written
