"""Adds the top-level resources/ folder to the package as nnviz.resources (see pyproject.toml)."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["nnviz*"]), "nnviz.resources"])
