"""tanh's kernel for whole passes (scores, maps, grids): float64 through exp, within one
unit in the last place of 1 of NumPy's tanh for every value a float can hold, and each
element the same bits whatever the array's size or layout; float32 and the trainers'
kernel exactly NumPy's tanh."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnviz.engine.core import activations as A
from nnviz.engine.core.activations import apply_in_place, get_activation

ULP_OF_ONE = np.finfo(np.float64).eps   # 2.2e-16

hostile = st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True)


def _by_kernel(x: np.ndarray) -> np.ndarray:
    z = x.copy()
    apply_in_place(get_activation("tanh"), z)
    return z


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(1, 3 * A.TANH_CHUNK + 5), elements=hostile))
def test_large_float64_arrays_match_numpys_tanh_to_one_unit_of_one(x):
    got, ref = _by_kernel(x), np.tanh(x)
    assert np.array_equal(np.isnan(got), np.isnan(ref))
    ok = ~np.isnan(ref)
    assert np.all(np.abs(got[ok] - ref[ok]) <= ULP_OF_ONE)
    assert np.all(np.abs(got[ok]) <= 1.0)
    assert np.array_equal(np.sign(got[ok & (np.abs(ref) > 1e-15)]),
                          np.sign(ref[ok & (np.abs(ref) > 1e-15)]))


def test_the_fast_path_is_taken_and_exact_where_it_must_be():
    x = np.linspace(-30.0, 30.0, 4 * A.TANH_CHUNK + 3)
    x[[0, 1, 2, 3]] = [np.inf, -np.inf, 0.0, -0.0]
    got = _by_kernel(x)
    assert got[0] == 1.0 and got[1] == -1.0
    assert got[2] == 0.0 and not np.signbit(got[2]) and np.signbit(got[3])
    assert np.max(np.abs(got - np.tanh(x))) <= ULP_OF_ONE
    # the kernel is not NumPy's: some element differs in its last place (else this test
    # would not see the fast path at all)
    assert np.any(got != np.tanh(x))


def test_each_element_is_the_same_bits_whatever_the_array():
    """A score is the same bits however its passes are cut (the training worker's and
    the window's cut them differently)."""
    rng = np.random.default_rng(5)
    x = rng.normal(0.0, 3.0, (3 * A.TANH_CHUNK + 7,))
    whole = _by_kernel(x)
    pieces = np.concatenate([_by_kernel(x[s:s + 97]) for s in range(0, len(x), 97)])
    strided = np.empty((len(x), 2))
    strided[:, 0] = x
    view = strided[:, 0]
    assert not view.flags.c_contiguous
    apply_in_place(get_activation("tanh"), view)
    assert np.array_equal(whole, pieces) and np.array_equal(whole, view)


def test_float32_and_the_trainers_kernel_are_numpys_tanh_bit_for_bit():
    rng = np.random.default_rng(3)
    single = rng.normal(0.0, 3.0, 4 * A.TANH_CHUNK).astype(np.float32)
    assert np.array_equal(_by_kernel(single), np.tanh(single))
    batch = rng.normal(0.0, 3.0, (8, 10))
    z = batch.copy()
    get_activation("tanh").trainer_ops[0](z)
    assert np.array_equal(z, np.tanh(batch))
