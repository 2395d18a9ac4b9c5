"""Command line: the GUI by default, plus headless commands.

    nnviz [--lesson NAME]                start the app
    nnviz worked --lesson NAME           print one training step as Markdown
    nnviz screenshot --lesson NAME ...   render a lab to PNG, headless
    nnviz bench [--quick] [--json FILE]  performance figures
    nnviz exercise --shape 2-3-2 --seed 7 --out sheet.pdf   an exercise sheet (PDF or .tex)
"""

from __future__ import annotations

import argparse
import gc
import os
import sys


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="nnviz", description="See how neural networks compute and learn.")
    p.add_argument("--lesson", help="lesson name or lesson file to open")
    p.add_argument("--lab", help="lab to show first (workbench, universality, surface, "
                                 "training, neuron, conv, general)")
    p.add_argument("file", nargs="?", help="a .nnviz workspace, lesson or CSV file to open")
    sub = p.add_subparsers(dest="command")

    w = sub.add_parser("worked", help="print the worked example of one training step")
    w.add_argument("--lesson", required=True, help="shipped lesson name or path of a lesson file")
    w.add_argument("--format", choices=["markdown"], default="markdown")

    s = sub.add_parser("screenshot", help="render a lab to a PNG file, headless")
    s.add_argument("--lesson", default=None)
    s.add_argument("--lab", default=None)
    s.add_argument("--steps", type=int, default=0, help="micro-steps (or lab steps) to take")
    s.add_argument("--size", default="1280x720", help="window size WxH")
    s.add_argument("--presentation", action="store_true")
    s.add_argument("--theme", choices=["light", "dark"], default="light")
    s.add_argument("--matrix", choices=["one", "batch"], default=None,
                   help="workbench: the matrix view (one example or a mini-batch)")
    s.add_argument("--overlay", choices=["shortcuts", "lessons"], default=None,
                   help="open the shortcut sheet (F1) or the lesson picker (G) over the lab")
    s.add_argument("--keys", default=None, metavar="KEYS",
                   help="keys to press after the steps, separated by spaces (Qt's names): "
                        "e.g. \"Q Right\" turns predict mode on and takes a step")
    s.add_argument("--out", required=True)

    e = sub.add_parser("exercise", help="write an exercise sheet with its worked solution "
                                        "(PDF, or LaTeX for a .tex file)")
    e.add_argument("--kind", choices=["dense", "perceptron", "conv"], default="dense",
                   help="backpropagation in a dense network (default), the perceptron rule, "
                        "or a convolution and pooling step")
    e.add_argument("--shape", default="2-2-2", help="layer sizes, e.g. 2-3-2 (dense only)")
    e.add_argument("--activation", default="sigmoid", help="sigmoid, tanh, relu or linear")
    e.add_argument("--loss", default="half_sse", help="half_sse or cross_entropy (softmax)")
    e.add_argument("--seed", type=int, default=0, help="the same seed gives the same sheet")
    e.add_argument("--out", required=True, help="sheet.pdf or sheet.tex")

    b = sub.add_parser("bench", help="measure performance and print figures")
    b.add_argument("--quick", action="store_true")
    b.add_argument("--json", default=None)
    return p


def _worked(args: argparse.Namespace) -> int:
    from nnviz.engine.stepping.worked import worked_markdown
    from nnviz.engine.teaching.lessons import LessonError, load_lesson

    try:
        lesson = load_lesson(args.lesson)
    except LessonError as e:
        print(f"nnviz worked: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"nnviz worked: cannot read {args.lesson}: {e}", file=sys.stderr)
        return 2
    if lesson.lab == "conv":
        from nnviz.engine.labs.conv_worked import lesson_conv_markdown

        sys.stdout.write(lesson_conv_markdown(lesson))
        return 0
    try:
        text = worked_markdown(lesson)
    except ValueError as e:  # e.g. batch normalisation, or an optimiser not written out
        print(f"nnviz worked: {args.lesson}: {e}", file=sys.stderr)
        return 2
    sys.stdout.write(text)
    return 0


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise SystemExit(f"nnviz screenshot: --size must look like 1280x720, not {text!r}") from None
    if not (200 <= w <= 8000 and 200 <= h <= 8000):
        raise SystemExit("nnviz screenshot: width and height must be between 200 and 8000")
    return w, h


def _screenshot(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from nnviz.app import render_screenshot

    try:
        render_screenshot(lesson=args.lesson, lab=args.lab, steps=args.steps,
                          size=_size(args.size), presentation=args.presentation,
                          theme=args.theme, out=args.out, matrix=args.matrix,
                          overlay=args.overlay, keys=args.keys)
    except (ValueError, OSError) as e:
        print(f"nnviz screenshot: {e}", file=sys.stderr)
        return 2
    return 0


def _exercise(args: argparse.Namespace) -> int:
    from nnviz.engine.teaching.exercise import make_exercise

    try:
        ex = make_exercise(args.kind, args.shape, args.activation, args.loss, args.seed)
    except ValueError as e:
        print(f"nnviz exercise: {e}", file=sys.stderr)
        return 2
    if not args.out.lower().endswith((".pdf", ".tex")):
        print("nnviz exercise: --out must end in .pdf or .tex", file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from nnviz.views.sheet_pdf import write_sheet

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    try:
        write_sheet(ex.sheet, args.out)
    except OSError as e:
        print(f"nnviz exercise: cannot write {args.out}: {e.strerror or e}", file=sys.stderr)
        return 2
    print(f"{args.out}: {ex.sheet.title}, {len(ex.answers)} answers on the solution pages")
    return 0


def _bench(args: argparse.Namespace) -> int:
    try:
        from nnviz.bench import main as bench_main
    except ImportError:
        print("nnviz bench: not available in this build", file=sys.stderr)
        return 2
    return bench_main(quick=args.quick, json_path=args.json)


def main(argv: list[str] | None = None) -> int:
    from nnviz import blas_threads, gui_threads

    blas_threads.limit()  # before anything imports NumPy (see nnviz/blas_threads.py)
    gui_threads.serial_painting()  # before Qt paints (see nnviz/gui_threads.py)
    args = _parser().parse_args(argv)
    if args.command == "worked":
        return _worked(args)
    if args.command == "screenshot":
        return _screenshot(args)
    if args.command == "bench":
        return _bench(args)
    if args.command == "exercise":
        return _exercise(args)
    # No cyclic garbage collection while the app starts: importing Qt, pyqtgraph and
    # NumPy creates hundreds of thousands of long-lived objects, and the collector would
    # scan them again and again (~30 ms). After the first paint, run_gui collects between
    # events (app.settle_gc).
    gc.disable()
    # NumPy and the engine before Qt: once PySide6 is imported, its import hook reads the
    # source of every module imported afterwards, looking for `from __feature__ import`
    # (inspect.getsource: 7 % of start-up's py-spy samples, 4 % in this order). NumPy's and
    # the engine's modules never need it. The modules imported after Qt (pyqtgraph's, the
    # views') are asked more cheaply (nnviz/pyside_hook.py, installed by nnviz.app).
    import numpy  # noqa: F401

    import nnviz.engine.teaching.lessons  # noqa: F401
    from nnviz.app import run_gui

    return run_gui(lesson=args.lesson, lab=args.lab, file=args.file)


if __name__ == "__main__":
    raise SystemExit(main())
