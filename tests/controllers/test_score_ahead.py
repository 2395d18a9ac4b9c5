"""A slice's epochs scored on a helper thread while the slice trains on
(controllers/training/score_ahead.py): the same scores, in order, whoever computed them."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from nnviz.controllers.training.score_ahead import BLOCK_ROWS, ScoreAhead


def _scorer(log: list, helper_took: threading.Event):
    """score(lo, hi): row k's 'score' is k * 10 (and who scored it, in ``log``)."""
    def score(lo: int, hi: int) -> list:
        log.append((threading.current_thread().name, lo, hi))
        if threading.current_thread() is not threading.main_thread():
            helper_took.set()
        return [k * 10 for k in range(lo, hi)]
    return score


def test_the_helper_scores_rows_as_they_are_ready_and_finish_scores_the_rest():
    ahead = ScoreAhead()
    try:
        log: list = []
        took = threading.Event()
        score = _scorer(log, took)
        assert ahead.begin(score)
        ahead.ready(2)                       # two epochs trained: the helper takes them
        assert took.wait(10.0)
        out = ahead.finish(2 + 3 * BLOCK_ROWS)   # the slice ends: the rest scored here
        assert out == [k * 10 for k in range(2 + 3 * BLOCK_ROWS)]
        helper = [(lo, hi) for name, lo, hi in log if name == "nnviz-epoch-scores"]
        here = [(lo, hi) for name, lo, hi in log if name != "nnviz-epoch-scores"]
        assert helper and helper[0][0] == 0 and all(hi - lo <= BLOCK_ROWS for lo, hi in helper)
        # every row scored exactly once
        rows = sorted(k for _n, lo, hi in log for k in range(lo, hi))
        assert rows == list(range(2 + 3 * BLOCK_ROWS)) and here
        # the next slice starts afresh
        log.clear()
        assert ahead.begin(score)
        assert ahead.finish(3) == [0, 10, 20]
    finally:
        ahead.close()


def test_an_error_in_the_helper_reaches_the_slice_and_a_closed_helper_takes_nothing():
    ahead = ScoreAhead()
    failed = threading.Event()

    def bad(lo: int, hi: int) -> list:
        if threading.current_thread() is not threading.main_thread():
            failed.set()
            raise FloatingPointError("helper")
        return [0] * (hi - lo)

    assert ahead.begin(bad)
    ahead.ready(1)
    assert failed.wait(10.0)
    with pytest.raises(FloatingPointError):
        ahead.finish(3)
    ahead.close()
    assert not ahead.begin(bad)   # the caller scores alone


def _helper_takes_every_row(ahead: ScoreAhead) -> list:
    """After each trained epoch the slice waits until the helper took its row, so the
    helper scores all but the rows of its last block in flight (the list: how many rows
    it had scored when each slice finished)."""
    ready, finish, counts = ahead.ready, ahead.finish, []

    def waiting_ready(n: int) -> None:
        ready(n)
        with ahead._cv:
            assert ahead._cv.wait_for(lambda: ahead._taken >= n, timeout=10.0)

    def counting_finish(n: int) -> list:
        with ahead._cv:
            ahead._cv.wait_for(lambda: not ahead._busy, timeout=10.0)
            counts.append(len(ahead._got))
        return finish(n)

    ahead.ready, ahead.finish = waiting_ready, counting_finish
    return counts


def _played_to_the_end(ctl) -> tuple[dict, np.ndarray]:
    """The lesson played by the controller's own timer ticks, each slice as long as it
    may be, until Play stops at the lesson's last epoch: (the history's arrays, the
    network's parameters)."""
    ctl.clock.over = lambda deadline: False   # each slice as long as it may be
    ctl.playback.play()
    for _ in range(20):
        if not ctl.playback.playing:
            break
        ctl._tick()
    assert not ctl.playback.playing and ctl.epoch == ctl.doc.lesson.epochs
    return ctl.history.arrays(), ctl.doc.network.get_params()


def _assert_same_bits(run1: tuple[dict, np.ndarray], run2: tuple[dict, np.ndarray]) -> None:
    """Two played runs equal to the last bit: the network and every history array."""
    (h1, p1), (h2, p2) = run1, run2
    assert np.array_equal(p1, p2)
    for k in h1:
        assert np.array_equal(h1[k], h2[k], equal_nan=True), k


@pytest.mark.parametrize("lesson, helped", [("keras-lab", True), ("spiral", False)])
def test_play_records_the_same_bits_with_the_helper_as_without(training_ctl, lesson, helped):
    """The whole played history (every epoch's losses and accuracies) and the network
    are equal to the last bit with the helper scoring and with the slice scoring alone.
    The helper takes part only where an epoch's scores are heavy (the digits: 8.5 M
    multiply-adds; spiral's 2-8-8-1: 44 k, scored alone after the slice)."""
    ctl = training_ctl
    runs = []
    for helper in (True, False):
        ctl.doc.load_lesson(lesson)
        if helper:
            counts = _helper_takes_every_row(ctl.fast.ahead)
        else:
            ctl.fast.ahead.close()
        runs.append(_played_to_the_end(ctl))
    if helped:
        assert sum(counts) >= ctl.doc.lesson.epochs - len(counts)   # the helper scored them
    else:
        assert counts == []   # never begun
    _assert_same_bits(*runs)
    assert len(runs[0][0]["epoch"]) == ctl.doc.lesson.epochs + 1


def test_a_small_networks_slice_scores_half_on_a_helper_the_same_bits(training_ctl):
    """Where the slice is scored after it (spiral's 2-8-8-1), a played slice's later half
    of epochs is scored on a helper thread while the GUI thread scores the first half: the
    whole history and the network are equal to the last bit to scoring it all at once."""
    ctl = training_ctl
    runs, used = [], []
    for split in (True, False):
        ctl.doc.load_lesson("spiral")
        if split:
            take = ctl.fast.split.take
            ctl.fast.split.take = lambda take=take: used.append(1) or take()
        else:
            ctl.fast.split.close()   # refused: every slice scored here, at once
        runs.append(_played_to_the_end(ctl))
    assert used   # the helper scored the later halves of the first run's slices
    _assert_same_bits(*runs)
