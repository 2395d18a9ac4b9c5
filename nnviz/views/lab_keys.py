"""Each lab's own keys, for the shortcut sheet (F1) while the lab has not been made yet.

Making a lab page costs a second or more, so F1 does not make every lab to read its
actions: a lab already made is read from its actions, the others from this table.
tests/views/test_captions_follow_lab.py makes every lab and checks that this table is
exactly what the lab's actions say (keys and descriptions): a key added to a lab without
its line here fails that test, so the sheet cannot go stale.
"""

from __future__ import annotations

LAB_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "workbench": (
        ("Shift+Right", "Next layer"),
        ("Shift+Left", "Previous layer"),
        ("Ctrl+Right", "Whole training step: forward, backward, update"),
        ("Home", "Back to the start of the pass"),
        ("M", "Matrices"),
        ("P", "Play or pause through the micro-steps"),
        ("L", "Weight labels on or off"),
    ),
    "universality": (),
    "surface": (),
    "training": (),
    "neuron": (),
    "conv": (
        ("Shift+Right", "Finish the output row"),
        ("Ctrl+Right", "The whole map (again: pooled, then backward)"),
        ("Home", "Back to the start"),
        ("K", "Next feature map"),
        ("Shift+K", "Previous feature map"),
        ("P", "Train or pause the CNN"),
        ("S", "Settings panel"),
    ),
    "general": (
        ("P", "Train or pause the experiment"),
        ("N", "Draw K new training sets (bias and variance)"),
    ),
}
