"""Predict, then reveal on the main window: Q switches the mode for every lab that
steps (each hides its current step's result until it is guessed or revealed), R
reveals the result on screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from nnviz.controllers.reveal import RevealController
from nnviz.views.window_menus import add_action

if TYPE_CHECKING:
    from nnviz.views.main_window import MainWindow


#: the labs whose steps predict mode hides (each says what in ``predict_mode_text``)
PREDICT_LABS = "the Workbench, the Neuron lab's Perceptron tab, the Training and Convolution labs"


class RevealActions(QObject):
    """The mode's controller (shared by the labs) and its two actions."""

    def __init__(self, win: MainWindow) -> None:
        super().__init__(win)
        self.win = win
        self.controller = RevealController(self)
        self.act_mode = self._action("Predict, then &reveal", self._toggle, "Q",
                                     "Hide each step's result until a guess is right or R "
                                     "reveals it", checkable=True)
        self.act_reveal = self._action("&Reveal the result", self._reveal, "R",
                                       "Show the hidden result of the step on screen")
        self.actions = [self.act_mode, self.act_reveal]

    def _action(self, text: str, slot, key: str, tip: str, checkable: bool = False) -> QAction:
        return add_action(self.win, text, lambda _=False: slot(), key, f"{tip} ({key})", checkable)

    def _toggle(self) -> None:
        on = self.act_mode.isChecked()
        lab = self.win.current_lab
        text = lab.predict_mode_text() if lab is not None else ""
        if on and not text:   # never "on" where nothing is hidden: the mode stays off
            self.act_mode.setChecked(False)
            title = lab.title if lab is not None else "This lab"
            self.win.statusBar().showMessage(
                f"Predict mode: this lab has nothing to hide — the {title} lab shows each "
                f"result as you change it. Q hides step results in {PREDICT_LABS}.", 8000)
            return
        self.controller.set_enabled(on)
        self.win.statusBar().showMessage(text if on else "Results are shown again", 8000)

    def _reveal(self) -> None:
        lab = self.win.current_lab
        if lab is None or not lab.reveal_current():
            self.win.statusBar().showMessage(
                "Nothing is hidden here" + ("" if self.controller.enabled
                                            else " (Q hides each step's result)"), 4000)
