"""The caption bar within a lesson: never cuts a caption off (a live caption taller than
the lesson's others makes it taller), keeps one height while the lesson is stepped (the
view above it does not jump), and reserves a question's line only in a lesson that asks
one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from nnviz.engine.teaching.lessons import Caption


def _needed(label) -> int:
    return label.fontMetrics().boundingRect(0, 0, label.width(), 10_000,
                                            Qt.TextFlag.TextWordWrap, label.text()).height()


def test_a_taller_live_caption_is_not_cut_off(main_window):
    win = main_window
    bar = win.caption_bar
    short = [Caption("Epoch 1: a short caption."), Caption("Another short one.")]
    bar.show_captions(short[:1], short, ("lesson", 1))
    QApplication.processEvents()
    before = bar.text_host.height()
    # the reservation is the tallest one caption, not all of them one under the other
    assert before < 2 * bar.text_label.fontMetrics().lineSpacing() + 6
    assert not bar.question_host.isVisible()         # no question in the lesson: no line
    long_text = ("Epoch 40: training loss 0.1234, test loss 0.2345, test accuracy 93.1 %. " * 6)
    bar.show_captions([Caption(long_text)], short, ("lesson", 1))   # same lesson
    QApplication.processEvents()
    taller = bar.text_host.height()
    assert taller > before
    assert bar.text_label.height() >= _needed(bar.text_label)
    # back to a short caption in the same lesson: the bar keeps its height (no jump)
    bar.show_captions(short[1:], short, ("lesson", 1))
    QApplication.processEvents()
    assert bar.text_host.height() == taller
    # another lesson of short captions: as tall as they are, no empty reserve
    bar.show_captions(short[:1], short, ("lesson", 2))
    QApplication.processEvents()
    assert _needed(bar.text_label) <= bar.text_host.height() < before + 4


def test_a_lesson_that_asks_keeps_the_questions_line(main_window):
    bar = main_window.caption_bar
    caps = [Caption("A caption."), Caption("Another.", question="Which way does it go?")]
    bar.show_captions(caps[:1], caps, ("asks", 1))
    QApplication.processEvents()
    first = bar.height()
    assert bar.question_host.isVisible() and bar.question_label.text() == ""
    bar.show_captions(caps[1:], caps, ("asks", 1))
    QApplication.processEvents()
    assert bar.height() == first and "Which way" in bar.question_label.text()



def test_the_lessons_tallest_caption_is_measured_once_per_lesson_width_and_type(
        qtbot, monkeypatch):
    """Live captions change every frame: the lesson's own captions are measured once per
    lesson, width and type size, not at each caption shown (that cost live training a
    quarter of its samples per second)."""
    from nnviz.views import caption_bar as cb
    from nnviz.views.style import Style

    lesson = [Caption("One."), Caption("Two, a little longer."), Caption("Three.", question="?")]
    own = {c.text for c in lesson}
    floors = []   # the width of each measurement of the lesson's captions (the floor)
    real = cb._text_height

    def counting(label, width, text):
        if text == "One.":   # only the floor measures the lesson's first caption here
            floors.append(width)
        return real(label, width, text)

    monkeypatch.setattr(cb, "_text_height", counting)
    bar = cb.CaptionBar()
    qtbot.addWidget(bar)
    bar.resize(600, 80)
    bar.show()
    for epoch in range(20):   # one lesson, a live caption each frame
        bar.show_captions([Caption(f"Epoch {epoch}: loss {1 / (epoch + 1):.4f}")], lesson, "a")
    assert len(floors) == 1 and bar.question_host.isVisible()
    assert not own & {bar.text_label.text()}
    bar.show_captions(lesson[1:2], lesson, "b")                  # the next lesson
    assert len(floors) == 2
    bar.apply_style(Style(presentation=True, scale=1.6))          # another type size
    assert len(floors) == 3
    bar.resize(400, bar.height())                                # another width
    QApplication.processEvents()
    assert len(floors) == 4 and floors[-1] < floors[0]
    bar.show_captions(lesson[2:], lesson, "b")
    assert len(floors) == 4


def test_captions_are_set_as_the_equation_panel_sets_formulas(main_window, qtbot):
    """mazur-2-2-2 stepped by → to its chain-rule step (13): the caption bar shows the
    lesson's "∂E_total/∂w5 = … * …" as the Equation panel shows formulas, "∂Eₜₒₜₐₗ/∂w5 =
    … · …" (it showed the file's ASCII), in plain text (no markup), and the panel's note
    under the equation says the same."""
    win = main_window
    assert win.open_lesson("mazur-2-2-2")
    lab = win.current_lab
    lab.graph.setFocus()
    while lab.stepper.k < 13:
        qtbot.keyClick(lab.graph, Qt.Key.Key_Right)
    qtbot.wait(5)
    bar = win.caption_bar.text_label
    text = bar.text()
    assert bar.textFormat() == Qt.TextFormat.PlainText
    assert "∂Eₜₒₜₐₗ/∂w5 = 0.74136507 · 0.186815602 · 0.593269992 = 0.082167041" in text, text
    assert "*" not in text and "_" not in text and "<" not in text
    assert text in lab.equations.plain_text()


def test_every_built_in_lessons_captions_are_set_in_typography():
    """Every caption and question of every built-in lesson, as shown (templates filled
    with the notes' values): no '*' for a product, no ^ or _ before what Unicode can set
    as a super- or subscript ("10^-4", "E_total"), and no markup."""
    import re

    from nnviz.engine.teaching.lessons import lesson_titles, load_lesson
    from nnviz.views.caption_text import shown_captions

    left = re.compile(r"\*|\^[-−]?[0-9]|(?<=[A-Za-zα-ω])_[0-9aehijklmnoprstuvx]+\b|<[a-z]+>")
    problems = []
    for name in sorted(lesson_titles()):
        lesson = load_lesson(name)
        for c in shown_captions(lesson, lesson.captions, None, None):
            for text in (c.text, c.question):
                problems += [f"{name}: {m.group(0)!r} in {text!r}" for m in left.finditer(text)]
    assert not problems, "\n".join(problems[:20])
