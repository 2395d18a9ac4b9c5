"""Regenerate every PNG in screenshots/ with the app itself.

Usage: python tools/regenerate_screenshots.py [NAME ...]

Each line of tools/shots/*.txt is ``NAME: ARGS`` where ARGS are the arguments of
``nnviz screenshot`` without ``--out``; the PNG is written to screenshots/NAME.png.
``NAME [gl]: ARGS`` renders on a real X display (``xvfb-run`` with the xcb
platform) so OpenGL 3-D views are drawn. Lines starting with # are comments.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def shots() -> list[tuple[str, list[str], bool]]:
    out = []
    for f in sorted((ROOT / "tools" / "shots").glob("*.txt")):
        for line in f.read_text().splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, _, args = line.partition(":")
            gl = name.strip().endswith("[gl]")
            out.append((name.replace("[gl]", "").strip(), shlex.split(args), gl))
    return out


def main(only: list[str]) -> int:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    failed = 0
    for name, args, gl in shots():
        if only and name not in only:
            continue
        out = ROOT / "screenshots" / f"{name}.png"
        cmd = [sys.executable, "-m", "nnviz", "screenshot", *args, "--out", str(out)]
        run_env = env
        if gl:
            cmd = ["xvfb-run", "-a", "-s", "-screen 0 1920x1200x24", *cmd]
            run_env = dict(env, QT_QPA_PLATFORM="xcb")
        r = subprocess.run(cmd, cwd=ROOT, env=run_env, capture_output=True, text=True)
        status = "ok" if r.returncode == 0 else f"FAILED: {r.stderr.strip()[-300:]}"
        failed += r.returncode != 0
        print(f"{name}: {status}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
