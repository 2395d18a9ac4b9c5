"""The nnviz engine: pure NumPy, float64, no Qt.

Layers, activations, losses, backpropagation (BP1-BP4), training, the
step-by-step trace of one training example, lessons and data sets.
"""

from nnviz.engine.core.activations import ACTIVATIONS, Activation, get_activation
from nnviz.engine.core.losses import LOSSES, Loss, get_loss
from nnviz.engine.core.network import Network

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "get_activation",
    "LOSSES",
    "Loss",
    "get_loss",
    "Network",
]
