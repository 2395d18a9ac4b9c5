"""The perceptron page's side panel: two tabs, so it fits a projector's short screen
without scrolling. *Weights* holds what the class looks at while the line moves (presets,
the w1, w2, b sliders, the output convention and the live truth table); *Learning rule*
holds the rule as the notes write it and the set-up of a run (data, the class a click
adds, the start, the seed, clearing the plane)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nnviz.controllers.neuron.controller import WEIGHT_RANGE, NeuronController
from nnviz.views.fit import NBSP, SidePanelScroll
from nnviz.views.fold import WrapLabel
from nnviz.views.layouts import nest
from nnviz.views.neuron.widgets import ValueSlider

#: (short: the panel fits beside the plane on a 1024-pixel projector)
CONVENTION_TEXT = {"perceptron": "y = 1 if z > 0  (notes 002)",
                   "step": "y = 1 if z ≥ 0  (notes 003)"}
DATA_CHOICES = ("AND", "OR", "NAND", "NOR", "XOR", "custom")
TABS = ("Weights", "Learning rule")


def _breaking_at(text: str, *words: str) -> str:
    """``text`` that wraps only at the spaces around ``words``, never inside a formula."""
    out = text.replace(" ", NBSP)
    for w in words:
        out = out.replace(f"{NBSP}{w}{NBSP}", f" {w} ")
    return out


def rule_text(title: str, lines: tuple[str, ...]) -> str:
    """The learning rule as the notes write it (the convention's name first), each line
    wrapping only before "then", never inside "w = w + x"."""
    rules = ";\n".join(_breaking_at(line, "then") for line in lines)
    head, _, bracket = title.partition(" (")   # "(output 1 if w·x > 0)" kept whole
    head = head.replace("> 0", f">{NBSP}0")
    head = f"{head} ({_breaking_at(bracket, '')}" if bracket else head
    return (f"{head}:\n{rules}.\n"
            f"{_breaking_at('Here x = (1, x1, x2) and w = (b, w1, w2).', 'and')}")


def _wrapped(text: str = "") -> WrapLabel:
    label = WrapLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def _page(parent: QTabWidget, title: str) -> QVBoxLayout:
    """A tab whose content scrolls only on a window smaller than any projector's."""
    content = QWidget()
    lay = QVBoxLayout(content)
    lay.setContentsMargins(4, 4, 4, 4)
    lay.setSpacing(4)
    parent.addTab(SidePanelScroll(content, floor=120), title)
    return lay


class PerceptronPanel(QTabWidget):
    """The widgets of the two tabs; the page reads and fills them."""

    def __init__(self, ctl: NeuronController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("perceptron-panel")
        self.ctl = ctl
        self.weights_lay = _page(self, TABS[0])
        self._build_weights(self.weights_lay)
        self.learning_lay = _page(self, TABS[1])
        self.learning = QWidget()
        self.learning.setObjectName("learning-rule")
        self._build_learning(QVBoxLayout(self.learning))
        self.learning_lay.addWidget(self.learning)
        self.learning_lay.addStretch(1)
        self._learning_page = self.widget(1)
        self.stacked = False   # both sections on one page (a tall panel), no tabs
        self._pending = False
        self.widget(0).viewport().installEventFilter(self)

    # ------------------------------------------------------------ one page or two tabs
    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize:
            self._arrange_soon()
        return super().eventFilter(obj, event)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        """The panel itself too: with the second tab shown, the first page (hidden) is
        not resized, and a window grown tall left the two tabs up."""
        super().resizeEvent(event)
        self._arrange_soon()

    def _arrange_soon(self) -> None:
        if not self._pending:
            self._pending = True   # after the layout pass that resized the view
            QTimer.singleShot(0, self, self.arrange)

    @staticmethod
    def _need(lay, width: int) -> int:
        return lay.heightForWidth(width) if lay.hasHeightForWidth() else \
            lay.minimumSize().height()

    def arrange(self) -> None:
        """Both sections on one page when the panel is tall enough for them (no tab bar),
        else the two tabs."""
        self._pending = False
        scroll = self.currentWidget()   # (a hidden page keeps its old size)
        width = scroll.viewport().width()
        total = self._need(self.weights_lay, width)
        title = self.learning_title.sizeHint().height() + self.weights_lay.spacing()
        learning = self._need(self.learning.layout(), width) + \
            (0 if self.stacked else title + self.weights_lay.spacing())
        weights = total - learning if self.stacked else total
        room = scroll.viewport().height() + (0 if self.stacked else self.tabBar().height())
        stack = weights + learning <= room - 8 and self.isVisible()
        if stack != self.stacked:
            self.set_stacked(stack)

    def set_stacked(self, on: bool) -> None:
        self.stacked = on
        self.learning_title.setVisible(on)
        if on:
            self.removeTab(1)
            self.weights_lay.insertWidget(self.weights_lay.count() - 1, self.learning)
        else:
            self.learning_lay.insertWidget(0, self.learning)
            self.insertTab(1, self._learning_page, TABS[1])
        self.learning.show()   # (moved into a shown page: a moved widget stays hidden)
        self.tabBar().setVisible(not on)

    def _build_weights(self, lay: QVBoxLayout) -> None:
        self.formula = QLabel("y = f(z),  z = w1·x1 + w2·x2 + b")
        self.formula.setObjectName("perceptron-formula")
        lay.addWidget(self.formula)
        presets = QHBoxLayout()
        presets.addWidget(QLabel("Presets"))
        self.preset_buttons = {}
        for name in ("NAND", "AND", "OR"):
            b = QPushButton(name)
            b.setToolTip(f"The weights and bias of {name}")
            b.clicked.connect(lambda _=False, n=name: self.ctl.set_preset(n))
            presets.addWidget(b)
            self.preset_buttons[name] = b
        nest(lay, presets)
        self.sliders = {}
        for key in ("w1", "w2", "b"):
            s = ValueSlider(key, -WEIGHT_RANGE, WEIGHT_RANGE, 0.1, decimals=1)
            s.value_changed.connect(lambda v, same, k=key: self.ctl.set_weight(k, v, same))
            lay.addWidget(s)
            self.sliders[key] = s
        self.convention = QComboBox()
        for key, text in CONVENTION_TEXT.items():
            self.convention.addItem(text, key)
        self.convention.currentIndexChanged.connect(
            lambda i: self.ctl.set_convention(self.convention.itemData(i)))
        lay.addWidget(self.convention)
        self.table = QTableWidget(4, 4)
        self.table.setObjectName("truth-table")
        self.table.setHorizontalHeaderLabels(["x1", "x2", "z = w·x + b", "y"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        hh = self.table.horizontalHeader()
        for col in range(4):
            hh.setSectionResizeMode(col, hh.ResizeMode.Stretch if col == 2
                                    else hh.ResizeMode.ResizeToContents)
        lay.addWidget(self.table)
        self.convention_note = _wrapped()
        lay.addWidget(self.convention_note)
        lay.addStretch(1)
        self.fit_table()

    def _build_learning(self, lay: QVBoxLayout) -> None:
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        self.learning_title = QLabel(TABS[1])   # its heading on a page with the weights
        self.learning_title.setObjectName("learning-rule-title")
        self.learning_title.setVisible(False)
        bold = QFont()   # (only the weight: the size follows the page's, as F5 sets it)
        bold.setBold(True)
        self.learning_title.setFont(bold)
        lay.addWidget(self.learning_title)
        self.rule_text = _wrapped()
        self.rule_text.setObjectName("rule-text")
        lay.addWidget(self.rule_text)
        grid = QGridLayout()
        grid.setVerticalSpacing(4)
        self.data_combo = QComboBox()
        self.data_combo.addItems(DATA_CHOICES)
        self.click_class = QComboBox()
        self.click_class.addItem("class 1 (P)", 1)
        self.click_class.addItem("class 0 (N)", 0)
        self.click_class.setToolTip("The class a click on the plane adds (Shift+click: "
                                    "the other class)")
        self.start_combo = QComboBox()
        self.start_combo.addItem("random w", "random")
        self.start_combo.addItem("current w", "current")
        self.start_combo.setToolTip("The weights the learning rule starts from")
        self.seed = QSpinBox()
        self.seed.setRange(0, 999_999)
        self.seed.setToolTip("Seed of the random start and of the order points are picked in")
        for combo in (self.data_combo, self.click_class, self.start_combo):
            combo.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.btn_clear = QPushButton("Clear points")
        # one control a row: two a row made the page wider than a 1024-pixel projector
        for row, (text, w) in enumerate((("Data", self.data_combo),
                                         ("Click adds", self.click_class),
                                         ("Start", self.start_combo), ("Seed", self.seed))):
            grid.addWidget(QLabel(text), row, 0)
            grid.addWidget(w, row, 1)
        grid.addWidget(self.btn_clear, 4, 1)
        nest(lay, grid)

    def fit_table(self) -> None:
        """The truth table exactly as tall as its four rows and as wide as its texts."""
        t = self.table
        row = t.fontMetrics().height() + 4
        t.verticalHeader().setDefaultSectionSize(row)
        t.horizontalHeader().setFont(t.font())
        t.setFixedHeight(4 * row + t.horizontalHeader().sizeHint().height() + 2 * t.frameWidth())
        # every column whole, the y column too: the table is never narrower than its text
        hh = t.horizontalHeader()
        cols = sum(max(hh.sectionSizeHint(c), t.sizeHintForColumn(c))
                   for c in range(t.columnCount()))
        t.setMinimumWidth(cols + 2 * t.frameWidth() + 4)
