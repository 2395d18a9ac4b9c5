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
