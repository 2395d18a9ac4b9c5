"""The Initialisation group and the layer histograms in the real Training lab."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.engine.core.depth import layer_histograms


def _lab(win, lesson):
    assert win.open_lesson(lesson)
    win.show_lab("training")
    return win.current_lab


def test_the_initialisation_lesson_shows_saturated_sigmoids_per_layer(main_window, qtbot):
    lab = _lab(main_window, "initialisation")
    assert lab.depth_dock.isVisible() and lab.init_box.show_hists.isChecked()
    panel = lab.depth_panel
    qtbot.waitUntil(lambda: len(panel.hists) == 6, timeout=5000)
    titles = [p.titleLabel.text for p in panel.plots.ci.items]
    assert any("h1 z: std" in t for t in titles) and any("% saturated" in t for t in titles)
    expected = layer_histograms(main_window.doc.network, lab.ctl.data.x_train[:500])
    assert [h.saturated for h in panel.hists] == [h.saturated for h in expected]
    assert panel.hists[0].saturated > 0.1   # N(0, 1) weights saturate sigmoids


def test_a_smaller_initialiser_and_scale_redraw_the_weights_and_the_histograms(main_window,
                                                                               qtbot):
    lab = _lab(main_window, "initialisation")
    box, panel = lab.init_box, lab.depth_panel
    qtbot.waitUntil(lambda: len(panel.hists) == 6, timeout=5000)
    sat_before = panel.hists[2].saturated
    box.method.setCurrentIndex(box.method.findData("lecun"))
    box.method.activated.emit(box.method.currentIndex())
    assert lab.ctl.init_method == "lecun"
    qtbot.mouseClick(box.redraw, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.hists[2].saturated < sat_before / 4, timeout=5000)
    w = main_window.doc.network.weights[1]
    assert w.std() == pytest.approx(np.sqrt(1 / 32), rel=0.15)
    box.gain.setValue(0.1)
    assert lab.ctl.init_gain == 0.1
    qtbot.mouseClick(box.redraw, Qt.MouseButton.LeftButton)
    assert main_window.doc.network.weights[1].std() == pytest.approx(0.1 * np.sqrt(1 / 32),
                                                                      rel=0.15)
    qtbot.waitUntil(lambda: panel.hists[4].a_std < 0.2 * panel.hists[0].a_std, timeout=5000)
    main_window.act_undo.trigger()   # Draw new weights is undoable
    assert main_window.doc.network.weights[1].std() == pytest.approx(np.sqrt(1 / 32), rel=0.15)


def test_the_histograms_are_hidden_by_default_and_cost_nothing(main_window, qtbot):
    lab = _lab(main_window, "spiral")
    assert not lab.depth_dock.isVisible()
    lab.ctl.run_epochs(1)
    qtbot.wait(250)
    assert lab.depth_panel.hists == []
    lab.init_box.show_hists.click()
    assert lab.depth_dock.isVisible() and len(lab.depth_panel.hists) == 3


def test_the_weight_scale_is_saved_and_a_bad_one_refused(main_window, qtbot):
    lab = _lab(main_window, "initialisation")
    lab.ctl.edits.set_init_gain(2.5)
    st = lab.state()
    assert st["controller"]["init_gain"] == 2.5
    lab.ctl.edits.set_init_gain(1.0)
    lab.restore_state(st)
    assert lab.ctl.init_gain == 2.5
    for bad in (-1, 1e9, "2", True, float("nan")):
        with pytest.raises(ValueError):
            lab.restore_state({**st, "controller": {**st["controller"], "init_gain": bad}})
    assert lab.ctl.init_gain == 2.5


def test_the_histograms_share_the_labs_height_and_give_the_charts_back(main_window, qtbot):
    """HistogramShare: on a projector the charts fold away while the histograms show and
    come back as they were when they close; the height shared is remembered."""
    win = main_window
    win.resize(1024, 768)
    win.window_style.toggle_presentation()
    lab = _lab(win, "spiral")
    share = lab.histogram_share
    assert share.dock is lab.depth_dock and share.charts_before is None
    qtbot.waitUntil(lambda: lab._left.sizes()[1] > 0)
    lab.init_box.show_hists.click()
    qtbot.waitUntil(lambda: share.shared_at == lab.height())
    assert share.charts_before and share.charts_before[1] > 0   # the split, to give back
    assert lab._left.sizes()[1] == 0                             # the charts folded away
    lab.init_box.show_hists.click()
    assert not lab.depth_dock.isVisible() and share.charts_before is None
    qtbot.waitUntil(lambda: lab._left.sizes()[1] > 0)
    win.window_style.leave_presentation()
