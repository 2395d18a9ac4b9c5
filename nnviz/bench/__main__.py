"""`python -m nnviz.bench [--quick] [--json FILE]`."""

import argparse

from nnviz import blas_threads, gui_threads

blas_threads.limit()  # before nnviz.bench's measurements import NumPy
gui_threads.serial_painting()  # Qt paints on the GUI thread alone (nnviz/gui_threads.py)

from nnviz.bench import main  # noqa: E402

if __name__ == "__main__":
    p = argparse.ArgumentParser(prog="python -m nnviz.bench", description="nnviz performance figures")
    p.add_argument("--quick", action="store_true", help="a short smoke run, not a measurement")
    p.add_argument("--json", default=None, help="write the figures to this JSON file")
    args = p.parse_args()
    raise SystemExit(main(quick=args.quick, json_path=args.json))
