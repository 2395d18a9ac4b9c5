"""Undo commands of the Neuron lab (pushed on the document's undo stack)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from nnviz.controllers.neuron import NeuronController


class SetWeights(QUndoCommand):
    """Set (w1, w2, b); a command flagged ``merge`` (a drag's continuation) merges."""

    def __init__(self, ctl: NeuronController, before, after, text: str, merge: bool) -> None:
        super().__init__(text)
        self._ctl, self._before, self._after, self._merge = ctl, before, after, merge

    def id(self) -> int:  # noqa: A003 - Qt API
        return 7_000_001

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt API
        # only a continuation of a drag merges into the command before it
        if not (isinstance(other, SetWeights) and other._merge):
            return False
        self._after = other._after
        return True

    def redo(self) -> None:
        self._ctl._install_weights(*self._after)

    def undo(self) -> None:
        self._ctl._install_weights(*self._before)


class SetData(QUndoCommand):
    """Replace the points and labels the perceptron learns."""

    def __init__(self, ctl: NeuronController, before, after, text: str) -> None:
        super().__init__(text)
        self._ctl, self._before, self._after = ctl, before, after

    def redo(self) -> None:
        self._ctl._install_data(*self._after)

    def undo(self) -> None:
        self._ctl._install_data(*self._before)
