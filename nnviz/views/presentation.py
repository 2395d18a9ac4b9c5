"""Application-wide look: font scale, widget palette and pyqtgraph colours for a Style,
and the black screen presenters get with the B key."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QWidget,
)

from nnviz.views.style import OKABE_ITO, Style

_base: dict[str, object] = {}

_PM = QStyle.PixelMetric
#: the indicators of check boxes and radio buttons
_INDICATORS = frozenset({_PM.PM_IndicatorWidth, _PM.PM_IndicatorHeight,
                         _PM.PM_ExclusiveIndicatorWidth, _PM.PM_ExclusiveIndicatorHeight,
                         # and a slider's handle (15 px in the platform's style)
                         _PM.PM_SliderThickness, _PM.PM_SliderLength})


class ScaledIndicators(QProxyStyle):
    """The platform's style with check boxes' and radio buttons' indicators, and sliders'
    handles, as much larger than its own as the type is: in presentation mode a 14-pixel box
    stood beside 26-pixel text (the Training lab's "discrete", the race's racers, the
    surface's "Train only these two"), hard to see ticked from the back, and a 15-pixel
    handle beside it was as hard to find. The style's other metrics are its own."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.scale = 1.0

    def pixelMetric(self, metric, option=None, widget=None) -> int:  # noqa: N802 - Qt API
        value = super().pixelMetric(metric, option, widget)
        return round(value * self.scale) if metric in _INDICATORS else value


def plain_dock(title: str, parent: QWidget) -> QDockWidget:
    """A dock widget whose frame and title bar ask the platform's style itself: their
    metrics never scale, and every question Qt asks the application's
    :class:`ScaledIndicators` is a call into Python (a dock's layout asks hundreds: 4,226
    of the 6,007 asked while the first window was laid out). A widget's own style is not
    its children's, so the check boxes of the dock's content still grow in F5."""
    dock = QDockWidget(title, parent)
    plain_style(dock, *dock.findChildren(QWidget))   # the title bar's float and close buttons
    return dock


def plain_style(*widgets: QWidget) -> None:
    """Give ``widgets`` the platform's style itself (see :func:`plain_dock`): for widgets
    with no check box, radio button or slider, whose every question to the application's
    style would be a call into Python (the Workbench's list of steps and the scroll bars
    beside it asked about 250 a key press, to be told the platform's own answers)."""
    app = QApplication.instance()
    style = app.property("nnviz_platform_style")
    if not isinstance(style, QStyle):
        app_style = app.style()
        base = app_style.baseStyle() if isinstance(app_style, QProxyStyle) else app_style
        style = QStyleFactory.create(base.name())
        style.setParent(app)   # lives as long as the application
        app.setProperty("nnviz_platform_style", style)
    for w in widgets:
        w.setStyle(style)


def scaled_indicators(app: QApplication) -> ScaledIndicators:
    """The application's style, made a :class:`ScaledIndicators` if it is not one yet (at
    start, before any widget exists, so nothing has to be polished again)."""
    style = app.style()
    if not isinstance(style, ScaledIndicators):
        style = ScaledIndicators(style.name())
        app.setStyle(style)
    return style


def _remember_base(app: QApplication) -> None:
    if not _base:
        _base["font"] = QFont(app.font())
        _base["palette"] = QPalette(app.palette())


def base_font() -> QFont:
    """The application font before any presentation scaling."""
    app = QApplication.instance()
    _remember_base(app)
    return QFont(_base["font"])


def scaled_font(scale: float) -> QFont:
    """The base application font enlarged by ``scale``."""
    f = base_font()
    if f.pointSizeF() > 0:
        f.setPointSizeF(f.pointSizeF() * scale)
    elif f.pixelSize() > 0:
        f.setPixelSize(round(f.pixelSize() * scale))
    return f


def make_palette(style: Style) -> QPalette:
    """A widget palette for the style: the platform's own for plain light, otherwise built."""
    app = QApplication.instance()
    _remember_base(app)
    if style.theme == "light" and not style.presentation:
        return QPalette(_base["palette"])
    bg, fg, panel = QColor(style.background), QColor(style.foreground), QColor(style.panel)
    light = style.theme == "light"
    window = QColor("#F4F4F4") if light else (QColor("#000000") if style.presentation
                                               else QColor("#1D2126"))
    p = QPalette(panel, window)   # derives the shading roles (Light, Mid, Dark …) from these
    # every group, Disabled included: roles left unset there would keep Qt's light
    # defaults (disabled combo boxes and buttons light grey on the dark theme)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive,
                  QPalette.ColorGroup.Disabled):
        p.setColor(group, QPalette.ColorRole.Window, window)
        p.setColor(group, QPalette.ColorRole.WindowText, fg)
        p.setColor(group, QPalette.ColorRole.Base, bg)
        p.setColor(group, QPalette.ColorRole.AlternateBase, panel)
        p.setColor(group, QPalette.ColorRole.Text, fg)
        p.setColor(group, QPalette.ColorRole.Button, panel)
        p.setColor(group, QPalette.ColorRole.ButtonText, fg)
        p.setColor(group, QPalette.ColorRole.ToolTipBase, bg)
        p.setColor(group, QPalette.ColorRole.ToolTipText, fg)
        p.setColor(group, QPalette.ColorRole.PlaceholderText, QColor(style.muted))
        p.setColor(group, QPalette.ColorRole.BrightText, QColor(OKABE_ITO["vermillion"]))
        p.setColor(group, QPalette.ColorRole.Highlight,
                   QColor(OKABE_ITO["blue"] if light else OKABE_ITO["sky_blue"]))
        p.setColor(group, QPalette.ColorRole.HighlightedText,
                   QColor("#FFFFFF" if light else "#000000"))
        p.setColor(group, QPalette.ColorRole.Link,
                   QColor(OKABE_ITO["blue"] if light else OKABE_ITO["sky_blue"]))
    muted = QColor(style.muted)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, muted)
    return p


def apply_app_style(style: Style) -> None:
    """Scale the application font, set the palette and pyqtgraph's default colours."""
    app = QApplication.instance()
    _remember_base(app)
    # before the font: its change makes every check box measure itself again
    scaled_indicators(app).scale = style.scale
    app.setFont(scaled_font(style.scale))
    app.setPalette(make_palette(style))
    # Qt delivers the change later; deliver it now so the labs see the new fonts
    QApplication.sendPostedEvents(None, QEvent.Type.ApplicationFontChange)
    QApplication.sendPostedEvents(None, QEvent.Type.ApplicationPaletteChange)
    try:
        import pyqtgraph as pg

        pg.setConfigOptions(background=style.background, foreground=style.foreground)
    except ImportError:  # pragma: no cover - pyqtgraph is a dependency
        pass


def restore_app_style() -> None:
    """Back to the platform font and palette (the window closed)."""
    app = QApplication.instance()
    if app is None or not _base:
        return
    if isinstance(app.style(), ScaledIndicators):
        app.style().scale = 1.0
    app.setFont(QFont(_base["font"]))
    app.setPalette(QPalette(_base["palette"]))
    QApplication.sendPostedEvents(None, QEvent.Type.ApplicationFontChange)
    QApplication.sendPostedEvents(None, QEvent.Type.ApplicationPaletteChange)
    try:
        import pyqtgraph as pg

        pg.setConfigOptions(background="k", foreground="d")
    except ImportError:  # pragma: no cover
        pass


class BlankOverlay(QWidget):
    """A black screen over the whole window (B); any key or click takes it away."""

    dismissed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("blank-overlay")
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, QColor("#000000"))
        self.setPalette(pal)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.hide()
        parent.installEventFilter(self)

    def blank(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def unblank(self) -> None:
        if self.isVisible():
            self.hide()
            self.dismissed.emit()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if obj is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.unblank()

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.unblank()

    def event(self, e: QEvent) -> bool:
        # while blank, shortcuts (Space, arrows...) must not step the lab behind the curtain
        if e.type() == QEvent.Type.ShortcutOverride and self.isVisible():
            e.accept()
            return True
        return super().event(e)
