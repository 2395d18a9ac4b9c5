"""Layer-notation weight names are made on demand (fast start-up) and are unchanged."""

from __future__ import annotations


def test_layered_weight_names_are_made_on_demand_and_unchanged():
    from nnviz.engine.core.naming import Naming

    for sizes, base in (([2, 2, 2], 1), ([784, 100, 10], 1), ([64, 32, 64, 10], 0)):
        nm = Naming.layered(sizes, base)
        # the weights into network layer l + 1 carry its number, l + 1 + base
        eager = [[[f"w^{l + 1 + base}_{j + 1}{k + 1}" if max(n_in, n_out) < 10
                   else f"w^{l + 1 + base}_{j + 1},{k + 1}" for k in range(n_in)]
                  for j in range(n_out)]
                 for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]))]
        assert nm.weights == eager and nm == Naming.layered(sizes, base)
        assert nm.weight(0, sizes[1] - 1, sizes[0] - 1) == eager[0][-1][-1]
        assert nm.weights[-1][-1] == eager[-1][-1] and len(nm.weights[0]) == sizes[1]
