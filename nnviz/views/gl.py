"""Whether OpenGL (for the 3-D views) can be used here, and why not."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QVBoxLayout, QWidget


@cache
def gl_status() -> tuple[bool, str]:
    """(True, "") if an OpenGL context can be made and PyOpenGL imports; else (False, reason).

    Needs a QGuiApplication. Offscreen Qt gets OpenGL only when an X server
    (e.g. Xvfb) is reachable through DISPLAY.
    """
    try:
        import OpenGL.GL  # noqa: F401
    except Exception as e:  # PyOpenGL missing or no GL library
        return False, f"PyOpenGL is not usable: {e}"
    from PySide6.QtGui import QGuiApplication, QOffscreenSurface, QOpenGLContext

    app = QGuiApplication.instance()
    if app is None:
        return False, "no Qt application yet"
    if app.platformName() in ("offscreen", "minimal"):
        return False, (f"the '{app.platformName()}' Qt platform cannot show OpenGL views; "
                       "3-D views need a display (for headless use: xvfb-run with "
                       "QT_QPA_PLATFORM=xcb)")
    ctx = QOpenGLContext()
    if not ctx.create():
        return False, "no OpenGL context could be created (no GPU driver or X server)"
    surface = QOffscreenSurface()
    surface.setFormat(ctx.format())
    surface.create()
    if not ctx.makeCurrent(surface):
        return False, "an OpenGL context was created but could not be made current"
    ctx.doneCurrent()
    surface.destroy()
    return True, ""


def _gl_window_class():
    """pyqtgraph's 3-D view as a QOpenGLWindow (imported on first use: PyOpenGL is slow
    to import and absent on some machines)."""
    from pyqtgraph.opengl.GLViewWidget import GLViewMixin
    from PySide6.QtOpenGL import QOpenGLWindow

    class GLWindow(GLViewMixin, QOpenGLWindow):
        """The view's own native OpenGL window. Unlike a QOpenGLWidget it does not switch
        the whole main window to composing every repaint through OpenGL (which, with
        software OpenGL, slowed every later repaint of every lab, for good)."""

        frames = 0   # pictures rendered (tests: a hidden view renders none)

        def devicePixelRatioF(self) -> float:  # noqa: N802 - the mixin's Qt-style call
            return float(self.devicePixelRatio())

        def paintGL(self) -> None:  # noqa: N802 - Qt API
            self.frames += 1
            super().paintGL()

    return GLWindow


class GLView(QWidget):
    """A pyqtgraph 3-D view (same API as ``pyqtgraph.opengl.GLViewWidget``: addItem,
    setCameraPosition, setBackgroundColor, grabFramebuffer …) in a native child window.

    The window renders only while it is exposed, so a hidden view costs nothing. Being a
    window of its own, it is not painted by QWidget.render: exports draw
    :meth:`grabFramebuffer` in its place (see nnviz.views.exports)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.gl_window = _gl_window_class()()
        self.container = QWidget.createWindowContainer(self.gl_window, self)
        self.container.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.container.setMinimumSize(40, 40)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.container)

    def __getattr__(self, name: str):
        if name == "gl_window":
            raise AttributeError(name)
        return getattr(self.gl_window, name)

    def grabFramebuffer(self) -> QImage:  # noqa: N802 - Qt API
        """The view's current picture (renders it first if it was never exposed)."""
        return self.gl_window.grabFramebuffer()
