"""Whether OpenGL (for the 3-D views) can be used here, and why not."""

from __future__ import annotations

from functools import cache


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
