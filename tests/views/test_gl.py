"""OpenGL: detected honestly, and a 3-D view renders under Xvfb (skips elsewhere)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = r"""
import sys
import numpy as np
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
import pyqtgraph.opengl as gl
w = gl.GLViewWidget()
w.setBackgroundColor("k")
w.resize(240, 180)
x = np.linspace(-1, 1, 30)
z = np.outer(x, x)
w.addItem(gl.GLSurfacePlotItem(x=x, y=x, z=z, color=(1, 0.5, 0, 1), shader=None))
w.setCameraPosition(distance=4)
w.show()
for _ in range(10):
    app.processEvents()
img = w.grabFramebuffer()
lit = sum(1 for i in range(0, img.width(), 4) for j in range(0, img.height(), 4)
          if img.pixelColor(i, j).red() > 100)
print("LIT", lit)
"""


def test_offscreen_platform_reports_no_gl_with_reason(qapp):
    from nnviz.views.gl import gl_status

    ok, why = gl_status()
    assert not ok and "offscreen" in why


def test_gl_view_renders_under_xvfb(gl_env):
    r = subprocess.run([sys.executable, "-c", SCRIPT], env=gl_env, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    lit = int(r.stdout.split("LIT")[-1])
    assert lit > 20, r.stdout


HIDDEN_SCRIPT = r"""
import os, sys, tempfile
import numpy as np
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from nnviz.views.main_window import MainWindow

def spin(n=30):
    for _ in range(n):
        app.processEvents()

s = QSettings(os.path.join(tempfile.mkdtemp(), "s.ini"), QSettings.Format.IniFormat)
win = MainWindow(settings=s)
win.resize(1280, 720)
win.start(lesson="sigmoid-neuron")
win.show()
spin()
lab = win.current_lab
v3 = lab.page.view3d
view = v3.view
print("SHOWN", win.current_lab_name, view.isVisible(), view.gl_window.frames > 0)
# the export draws the 3-D picture where the view is
path = os.path.join(tempfile.mkdtemp(), "v.png")
assert win.exporter.png(1.0, path)
img = QImage(path)
pos = view.mapTo(lab.main_view(), view.rect().topLeft())
coloured = sum(1 for i in range(pos.x(), pos.x() + view.width(), 4)
               for j in range(pos.y(), pos.y() + view.height(), 4)
               if img.pixelColor(i, j).saturation() > 80)
print("EXPORT_COLOURED", coloured)
# hidden: changes and update requests render nothing
win.show_lab("workbench")
spin()
before = view.gl_window.frames
for k in range(20):
    v3.set_path(np.array([[0.1 * k, 0.2], [0.2, 0.1 * k]]), np.array([0.3, 0.2]))
    view.update()
    spin(5)
print("HIDDEN_FRAMES", view.gl_window.frames - before)
win.show_lab("surface")
spin()
print("BACK_FRAMES", view.gl_window.frames - before)
for p in win.labs.values():
    p.shutdown()
os._exit(0)
"""


def test_a_hidden_3d_view_renders_nothing_and_exports_show_it(gl_env):
    r = subprocess.run([sys.executable, "-c", HIDDEN_SCRIPT], env=gl_env, capture_output=True,
                       text=True, timeout=180)
    assert r.returncode == 0, r.stderr[-2000:]
    out = r.stdout
    assert "SHOWN surface True True" in out, out + r.stderr[-2000:]
    assert int(out.split("EXPORT_COLOURED")[-1].split()[0]) > 200, out
    assert int(out.split("HIDDEN_FRAMES")[-1].split()[0]) == 0, out
    assert int(out.split("BACK_FRAMES")[-1].split()[0]) > 0, out
