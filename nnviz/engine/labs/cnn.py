"""A small convolutional network: conv → ReLU → pool → flatten → dense → softmax.

The parameters are four arrays, in this order (the optimisers' parameter list):
``conv_w`` (K, C, k, k), ``conv_b`` (K,), ``dense_w`` (classes, F) in the notes'
(n_out, n_in) convention, ``dense_b`` (classes,), where F = K·PH·PW is the length
of the flattened pooled maps. The forward and backward passes are pure functions
returning records, so a view can draw every stage (the feature maps of an example,
the gradient routed through the pooling, the kernels' gradients).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.engine.core.activations import get_activation
from nnviz.engine.core.losses import Loss
from nnviz.engine.labs.conv import ConvCache, conv2d_backward, conv2d_forward, output_size
from nnviz.engine.labs.pooling import MODES, PoolCache, pool2d_backward, pool2d_forward

Array = np.ndarray
_SOFTMAX = get_activation("softmax")
#: the places of the weights (regularised) and of the biases in :attr:`CNN.params`
WEIGHTS, BIASES = (0, 2), (1, 3)


@dataclass(frozen=True)
class CNNShape:
    """The architecture: input (channels, height, width), K kernels of k×k, the pooling."""

    channels: int = 1
    height: int = 8
    width: int = 8
    kernels: int = 8
    kernel_size: int = 3
    stride: int = 1
    padding: int = 1
    pool: str = "max"
    pool_size: int = 2
    pool_stride: int = 2
    classes: int = 10

    def __post_init__(self) -> None:
        if self.pool not in MODES:
            raise ValueError(f"pooling must be one of {', '.join(MODES)}")
        if not (1 <= self.kernels <= 64 and 1 <= self.classes <= 100 and self.channels >= 1):
            raise ValueError("kernels must be 1-64 and classes 1-100")
        self.pooled_size()  # raises if a window does not fit

    def conv_size(self) -> tuple[int, int]:
        """(OH, OW) of a feature map."""
        return (output_size(self.height, self.kernel_size, self.stride, self.padding),
                output_size(self.width, self.kernel_size, self.stride, self.padding))

    def pooled_size(self) -> tuple[int, int]:
        """(PH, PW) of a pooled map."""
        oh, ow = self.conv_size()
        return (output_size(oh, self.pool_size, self.pool_stride, 0),
                output_size(ow, self.pool_size, self.pool_stride, 0))

    @property
    def features(self) -> int:
        """F: the length of the flattened pooled maps (the dense layer's inputs)."""
        ph, pw = self.pooled_size()
        return self.kernels * ph * pw


@dataclass
class CNN:
    """The parameters of the network (float64 arrays, updated in place by training)."""

    shape: CNNShape
    conv_w: Array
    conv_b: Array
    dense_w: Array
    dense_b: Array

    @classmethod
    def create(cls, shape: CNNShape, rng: np.random.Generator) -> CNN:
        """He-normal kernels (ReLU follows them), Xavier-normal dense weights, zero biases."""
        k, c, ks = shape.kernels, shape.channels, shape.kernel_size
        conv_w = rng.normal(0.0, np.sqrt(2.0 / (c * ks * ks)), (k, c, ks, ks))
        f = shape.features
        dense_w = rng.normal(0.0, np.sqrt(1.0 / f), (shape.classes, f))
        return cls(shape, conv_w, np.zeros(k), dense_w, np.zeros(shape.classes))

    @property
    def params(self) -> list[Array]:
        """[conv_w, conv_b, dense_w, dense_b]: the arrays an optimiser updates in place."""
        return [self.conv_w, self.conv_b, self.dense_w, self.dense_b]

    def copy(self) -> CNN:
        return CNN(self.shape, *(p.copy() for p in self.params))


@dataclass
class CNNForward:
    """Every stage of the forward pass of a batch.

    x (N, C, H, W); z conv outputs (N, K, OH, OW); a = ReLU(z); p pooled (N, K, PH, PW);
    flat (N, F); zd dense nets (N, classes); out softmax outputs (N, classes).
    """

    x: Array
    z: Array
    a: Array
    p: Array
    flat: Array
    zd: Array
    out: Array
    conv_cache: ConvCache
    pool_cache: PoolCache


@dataclass
class CNNGrads:
    """The backward pass: δ at every stage and the parameter gradients.

    delta_out dC/dzd (N, classes); d_p dC/dp (N, K, PH, PW); d_a dC/da (N, K, OH, OW)
    (routed through the pooling); delta_conv dC/dz = d_a · ReLU'(z); grads in the
    order of :attr:`CNN.params`.
    """

    delta_out: Array
    d_p: Array
    d_a: Array
    delta_conv: Array
    grads: list[Array]


def as_images(x: Array, shape: CNNShape) -> Array:
    """Inputs (N, C·H·W) or (N, C, H, W) as (N, C, H, W) float64."""
    x = np.asarray(x, dtype=np.float64)
    return x.reshape(len(x), shape.channels, shape.height, shape.width)


def forward(net: CNN, x: Array) -> CNNForward:
    """The forward pass of a batch ``x`` (N, C, H, W) or (N, C·H·W)."""
    s = net.shape
    x = as_images(x, s)
    z, cc = conv2d_forward(x, net.conv_w, net.conv_b, s.stride, s.padding)
    a = np.maximum(z, 0.0)
    p, pc = pool2d_forward(a, s.pool_size, s.pool_stride, s.pool)
    flat = p.reshape(len(x), -1)
    zd = flat @ net.dense_w.T + net.dense_b
    return CNNForward(x, z, a, p, flat, zd, _SOFTMAX.fn(zd), cc, pc)


def predict(net: CNN, x: Array, chunk: int = 64) -> Array:
    """Softmax outputs (N, classes), in chunks of ``chunk`` samples.

    Small chunks are faster, not only leaner: above ~4,000 patch rows (64 digits) the BLAS
    product goes multi-threaded, which on a shared 2-core machine was measured 5-8 times
    slower than single-threaded chunks (14 ms against 110 ms for the 1,437 training digits).
    """
    x = as_images(x, net.shape)
    return np.concatenate([forward(net, x[i:i + chunk]).out for i in range(0, len(x), chunk)]
                          or [np.zeros((0, net.shape.classes))])


def backward(net: CNN, fwd: CNNForward, y: Array, loss: Loss) -> CNNGrads:
    """Gradients of the loss (with its reduction) over the batch, y one-hot (N, classes)."""
    n = len(fwd.x)
    y = np.asarray(y, dtype=np.float64).reshape(fwd.out.shape)
    if loss.combined_delta("softmax"):
        delta = fwd.out - y                     # softmax + cross-entropy: δ = a − y
    else:
        delta = _SOFTMAX.backprop(fwd.zd, fwd.out, loss.grad(fwd.out, y))
    delta = delta * loss.scale(n)
    dw_dense = delta.T @ fwd.flat
    db_dense = delta.sum(axis=0)
    d_p = (delta @ net.dense_w).reshape(fwd.p.shape)
    d_a = pool2d_backward(d_p, fwd.pool_cache)
    delta_conv = d_a * (fwd.z > 0)
    _, dw, db = conv2d_backward(delta_conv, net.conv_w, fwd.conv_cache, need_dx=False)
    return CNNGrads(delta, d_p, d_a, delta_conv, [dw, db, dw_dense, db_dense])


def cost(net: CNN, x: Array, y: Array, loss: Loss) -> float:
    """The loss over (x, y) with its reduction."""
    return loss.value(predict(net, x), y)


def accuracy(net: CNN, x: Array, labels: Array) -> float:
    """Fraction of ``x`` whose largest output is the label."""
    if len(x) == 0:
        return float("nan")
    return float(np.mean(np.argmax(predict(net, x), axis=1) == np.asarray(labels)))


def confusion(net: CNN, x: Array, labels: Array) -> Array:
    """Counts (classes, classes): row = true class, column = predicted class."""
    k = net.shape.classes
    pred = np.argmax(predict(net, x), axis=1)
    m = np.zeros((k, k), dtype=int)
    np.add.at(m, (np.asarray(labels, dtype=int), pred), 1)
    return m
