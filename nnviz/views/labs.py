"""The registry of labs: name -> "module:Class". A lab whose module is not
present in this build is left out of the window."""

from __future__ import annotations

import importlib
import importlib.util

LAB_CLASSES: dict[str, str] = {
    "workbench": "nnviz.views.workbench:WorkbenchLab",
    "universality": "nnviz.views.universality:UniversalityLab",
    "surface": "nnviz.views.surface:SurfaceLab",
    "training": "nnviz.views.training:TrainingLab",
    "neuron": "nnviz.views.neuron:NeuronLab",
    "conv": "nnviz.views.conv:ConvLab",
    "general": "nnviz.views.general:GeneralLab",
}

LAB_TITLES: dict[str, str] = {
    "workbench": "Workbench",
    "universality": "Universality",
    "surface": "Error surface",
    "training": "Training",
    "neuron": "Neuron",
    "conv": "Convolution",
    "general": "Generalisation",
}


def available_labs() -> list[str]:
    """Names of the labs present in this build, in menu order."""
    return [name for name in LAB_CLASSES if _find(name) is not None]


def _find(name: str):
    module, _, cls = LAB_CLASSES[name].partition(":")
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    return spec


def lab_class(name: str):
    """The Lab subclass registered under ``name``."""
    if name not in LAB_CLASSES:
        raise ValueError(f"unknown lab {name!r}; choose one of {', '.join(LAB_CLASSES)}")
    module, _, cls = LAB_CLASSES[name].partition(":")
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError:
        raise ValueError(f"the {name} lab is not available in this build") from None
    return getattr(mod, cls)
