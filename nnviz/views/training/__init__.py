"""The Training lab: live training with decision maps, curves and gradient health."""

from nnviz.views.training.lab import TrainingLab

__all__ = ["TrainingLab"]
