"""The presenter's pen on the real window: drawn, coloured, cleared by a step unless
pinned, erased; the lab below never changes."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from nnviz.views.style import OKABE_ITO


def _draw(overlay, a: QPoint, b: QPoint) -> None:
    QTest.mousePress(overlay, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    for t in np.linspace(0, 1, 12)[1:]:
        QTest.mouseMove(overlay, QPoint(round(a.x() + t * (b.x() - a.x())),
                                        round(a.y() + t * (b.y() - a.y()))))
    QTest.mouseRelease(overlay, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)


def _colour_near(image, p: QPoint, colour: str) -> bool:
    want = QColor(colour)
    for dx in range(-2, 3):
        for dy in range(-2, 3):
            c = image.pixelColor(p.x() + dx, p.y() + dy)
            if abs(c.red() - want.red()) + abs(c.green() - want.green()) \
                    + abs(c.blue() - want.blue()) < 40:
                return True
    return False


def test_the_pen_draws_over_the_lab_without_changing_it(main_window, qtbot):
    win = main_window
    stepper = win.lab("workbench").stepper
    weights = [w.copy() for w in win.doc.network.weights]
    overlay = win.pen.overlay
    assert not overlay.isVisible()
    qtbot.keyClick(win, Qt.Key.Key_D)
    assert win.pen.act_pen.isChecked() and overlay.isVisible()
    assert overlay.geometry() == win.rect()
    mid = win.rect().center()
    a, b = mid - QPoint(200, 60), mid + QPoint(200, 60)
    _draw(overlay, a, b)
    assert len(overlay.strokes) == 1
    image = win.grab().toImage()
    assert _colour_near(image, mid, OKABE_ITO["vermillion"])
    # the lab below saw nothing: no step, no weight dragged, nothing to undo
    assert stepper.k == 0 and win.doc.undo_stack.count() == 0
    for w, before in zip(win.doc.network.weights, weights):
        np.testing.assert_array_equal(w, before)
    # C: the next colour of the colour-blind-safe palette
    qtbot.keyClick(win, Qt.Key.Key_C)
    _draw(overlay, mid + QPoint(-100, 100), mid + QPoint(100, 100))
    assert _colour_near(win.grab().toImage(), mid + QPoint(0, 100), OKABE_ITO["blue"])
    # a step clears unpinned strokes; the pen stays on
    qtbot.keyClick(win, Qt.Key.Key_Right)
    assert stepper.k == 1 and overlay.strokes == [] and overlay.isVisible()


def test_pinned_strokes_stay_erase_clears_and_the_pen_lets_go(main_window, qtbot):
    win = main_window
    stepper = win.lab("workbench").stepper
    overlay = win.pen.overlay
    qtbot.keyClick(win, Qt.Key.Key_D)
    qtbot.keyClick(win, Qt.Key.Key_D, Qt.KeyboardModifier.ShiftModifier)
    assert win.pen.act_pin.isChecked()
    mid = win.rect().center()
    _draw(overlay, mid - QPoint(150, 0), mid + QPoint(150, 0))
    for _ in range(3):
        qtbot.keyClick(win, Qt.Key.Key_Right)
    assert stepper.k == 3 and len(overlay.strokes) == 1
    # pen off: the strokes stay on screen but the mouse reaches the lab again
    qtbot.keyClick(win, Qt.Key.Key_D)
    assert overlay.isVisible()
    assert overlay.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    qtbot.keyClick(win, Qt.Key.Key_E)
    assert overlay.strokes == [] and not overlay.isVisible()
    assert stepper.k == 3


def test_changing_lab_clears_unpinned_strokes(main_window, qtbot):
    win = main_window
    overlay = win.pen.overlay
    qtbot.keyClick(win, Qt.Key.Key_D)
    mid = win.rect().center()
    _draw(overlay, mid, mid + QPoint(80, 80))
    assert overlay.strokes
    win.show_lab("neuron")
    assert overlay.strokes == []


def _reopen(win, path) -> None:
    from PySide6.QtWidgets import QApplication

    win.files.open_path(str(path))
    for _ in range(3):
        QApplication.processEvents()


def test_the_drawing_is_saved_only_when_asked(main_window, qtbot, tmp_path):
    import json

    win = main_window
    overlay = win.pen.overlay
    qtbot.keyClick(win, Qt.Key.Key_D)
    mid = win.rect().center()
    _draw(overlay, mid - QPoint(100, 40), mid + QPoint(100, 40))
    plain = tmp_path / "plain.nnviz"
    assert win.files.save_to(str(plain))
    assert "drawing" not in json.loads(plain.read_text(encoding="utf-8"))
    win.pen.act_keep.trigger()
    kept = tmp_path / "kept.nnviz"
    assert win.files.save_to(str(kept))
    saved = json.loads(kept.read_text(encoding="utf-8"))["drawing"]
    assert len(saved) == 1 and saved[0]["colour"] == "vermillion"
    xs = [p[0] for p in saved[0]["points"]]
    assert 0.3 < min(xs) < max(xs) < 0.7          # fractions of the window
    # a workspace without a drawing clears it; one with a drawing brings it back, pinned
    _reopen(win, plain)
    assert overlay.strokes == [] and not win.pen.act_keep.isChecked()
    _reopen(win, kept)
    assert len(overlay.strokes) == 1 and overlay.pinned and overlay.isVisible()
    assert _colour_near(win.grab().toImage(), mid, OKABE_ITO["vermillion"])
    qtbot.keyClick(win, Qt.Key.Key_Right)
    assert len(overlay.strokes) == 1               # pinned: a step keeps it


def test_a_hostile_drawing_is_refused_and_changes_nothing():
    import pytest as _pytest

    from nnviz.engine.files.schema import FormatError
    from nnviz.engine.files.workspace_schema import check_workspace  # noqa: F401 - the schema
    from nnviz.engine.teaching.drawing import drawing_from_list

    good = {"colour": "blue", "width": 4, "points": [[0.1, 0.2], [0.3, 0.4]]}
    assert len(drawing_from_list([good])) == 1
    for bad in ([{**good, "colour": "<b>red</b>"}], [{**good, "width": 1e9}],
                [{**good, "points": [[0.1, 0.2, 0.3]]}], [{**good, "points": [[1e300, 0]]}],
                [{**good, "points": []}], [{**good, "points": [[0.5, 0.5]] * 20_001}], "x"):
        with _pytest.raises(FormatError):
            drawing_from_list(bad)


def test_a_workspace_with_a_hostile_drawing_is_refused_whole(main_window, qtbot, tmp_path,
                                                              monkeypatch):
    import json

    from tests.views.test_hostile_open import open_via_menu

    win = main_window
    overlay = win.pen.overlay
    qtbot.keyClick(win, Qt.Key.Key_D)
    mid = win.rect().center()
    _draw(overlay, mid, mid + QPoint(50, 50))
    win.pen.act_keep.trigger()
    good = tmp_path / "good.nnviz"
    assert win.files.save_to(str(good))
    d = json.loads(good.read_text(encoding="utf-8"))
    d["drawing"][0]["colour"] = "<img src=x>"
    d["drawing"][0]["points"] = [[0.5, 0.5]] * 3
    bad = tmp_path / "bad.nnviz"
    bad.write_text(json.dumps(d), encoding="utf-8")
    win.doc.set_weight(1, 0, 0, 0.5)
    shown = open_via_menu(win, monkeypatch, bad)
    assert len(shown) == 1 and "drawing[0].colour" in shown[0]
    assert win.doc.network.weights[1][0, 0] == 0.5 and win.doc.undo_stack.count() == 1
    assert len(overlay.strokes) == 1
