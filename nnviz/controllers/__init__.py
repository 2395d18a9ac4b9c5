"""Controllers: QtCore objects (plus QtGui's undo stack) that own the state of
each view and change the engine. No widgets, no pyqtgraph."""
