"""The global exception hook: a short message, 'Copy details', and the app keeps going.
(pytest-qt installs its own hook during tests, so the hook function is tested directly.)"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from nnviz.app import exception_hook


def _exc_info(exc):
    try:
        raise exc
    except BaseException:  # noqa: BLE001
        return sys.exc_info()


def test_hook_reports_a_short_message_and_the_details(capsys):
    shown = []
    hook = exception_hook(lambda: None, show=lambda parent, msg, det: shown.append((msg, det)))
    hook(*_exc_info(ValueError("x" * 1000)))
    msg, details = shown[0]
    assert msg.startswith("ValueError: ") and len(msg) < 400
    assert "Traceback" in details and "x" * 1000 in details
    assert "ValueError" in capsys.readouterr().err


def test_hook_survives_a_failing_dialog_and_nested_errors(capsys):
    calls = []

    def show(parent, msg, det):
        calls.append(msg)
        hook(*_exc_info(RuntimeError("while showing")))  # nested: stderr only
        raise RuntimeError("the dialog broke")

    hook = exception_hook(lambda: None, show=show)
    hook(*_exc_info(KeyError("k")))  # must not raise
    assert calls == ["KeyError: 'k'"]
    err = capsys.readouterr().err
    assert "while showing" in err and "could not show the error dialog" in err
    hook(*_exc_info(KeyError("again")))  # the hook still works afterwards
    assert len(calls) == 2


def test_keyboard_interrupt_goes_to_the_default_hook(monkeypatch):
    seen = []
    monkeypatch.setattr(sys, "__excepthook__", lambda *a: seen.append(a[0]))
    hook = exception_hook(lambda: None, show=lambda *a: seen.append("dialog"))
    hook(*_exc_info(KeyboardInterrupt()))
    assert seen == [KeyboardInterrupt]


def test_the_real_dialog_copies_the_details(qtbot, monkeypatch, main_window):
    seen = {}

    def fake_exec(box):
        seen["text"] = box.text()
        seen["detail"] = box.detailedText()
        copy = next(b for b in box.buttons() if b.text() == "Copy details")
        copy.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    QApplication.clipboard().clear()
    hook = exception_hook(lambda: main_window)
    hook(*_exc_info(ZeroDivisionError("division by zero")))
    assert "ZeroDivisionError: division by zero" in seen["text"]
    assert "keeps running" in seen["text"]
    assert "Traceback" in seen["detail"]
    assert QApplication.clipboard().text() == seen["detail"]
    assert main_window.isVisible()
