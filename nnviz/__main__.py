"""`python -m nnviz` starts the app (or a headless command)."""

from nnviz.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
