"""Text from files, shown safely: plain text in labels, and Markdown without HTML,
links or images in text browsers.

A lesson's title, description, captions and names come from a file someone else may
have written. Qt interprets a label's text as HTML when it looks like HTML (an
``<img width=60000>`` allocates gigabytes) and a text browser follows links (a
``file://`` link opens a local file inside the dock). Every view that shows such text
goes through these helpers.
"""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QLabel, QMessageBox, QTextBrowser

from nnviz.views.items.math_text import escape

IMAGE_PLACEHOLDER = "[image]"


def plain_label(label: QLabel) -> QLabel:
    """Make ``label`` show its text literally, never as HTML; returns it."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setOpenExternalLinks(False)
    return label


def html_text(text: str) -> str:
    """File text to put inside HTML built by nnviz: every character shown literally."""
    return escape(str(text), quote=True)


def show_markdown(browser: QTextBrowser, markdown: str) -> None:
    """Show Markdown from a file: emphasis, headings and lists, but no HTML, no links
    (the link text stays, as plain text) and no images (a short placeholder)."""
    browser.setOpenLinks(False)
    browser.setOpenExternalLinks(False)
    doc = browser.document()
    doc.setMarkdown(markdown, QTextDocument.MarkdownFeature.MarkdownNoHTML)
    _defuse(doc)


def _defuse(doc: QTextDocument) -> None:
    """Remove every image and every link target from ``doc`` (after a Markdown parse)."""
    images, links = [], []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.isValid():
                fmt = frag.charFormat()
                if fmt.isImageFormat():
                    images.append((frag.position(), frag.length()))
                elif fmt.isAnchor() or fmt.anchorHref():
                    links.append((frag.position(), frag.length()))
            it += 1
        block = block.next()
    cur = QTextCursor(doc)
    for pos, length in links:
        cur.setPosition(pos)
        cur.setPosition(pos + length, QTextCursor.MoveMode.KeepAnchor)
        fmt = cur.charFormat()
        fmt.setAnchor(False)
        fmt.setAnchorHref("")
        fmt.setFontUnderline(False)
        fmt.clearForeground()
        cur.setCharFormat(fmt)
    for pos, length in reversed(images):  # from the end: earlier positions stay valid
        cur.setPosition(pos)
        cur.setPosition(pos + length, QTextCursor.MoveMode.KeepAnchor)
        cur.insertText(IMAGE_PLACEHOLDER, QTextCharFormat())


def plain_message(text: str) -> str:
    """``text`` for a message box (which guesses rich text from its first line): tag and
    entity characters of the first line become look-alikes, so it stays plain text."""
    text = str(text)
    first, sep, rest = text.partition("\n")
    if QtGui.Qt.mightBeRichText(first):
        first = first.replace("<", "‹").replace(">", "›").replace("&", "＆")
    return first + sep + rest


def warn(parent, title: str, text: str):
    """QMessageBox.warning with ``text`` shown as plain text."""
    return QMessageBox.warning(parent, title, plain_message(text))


def inform(parent, title: str, text: str):
    """QMessageBox.information with ``text`` shown as plain text."""
    return QMessageBox.information(parent, title, plain_message(text))
