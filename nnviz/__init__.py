"""nnviz: see how neural networks compute and learn."""

__version__ = "0.1.0"
