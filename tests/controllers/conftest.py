"""Fixtures shared by the controller tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def training_ctl(qtbot):
    """A Training controller on its own Document, shut down after the test (its undo
    stack silenced first, so teardown emits nothing into a dying test)."""
    from nnviz.controllers.document import Document
    from nnviz.controllers.training.controller import TrainingController

    doc = Document()
    c = TrainingController(doc)
    yield c
    c.shutdown()
    doc.undo_stack.blockSignals(True)
