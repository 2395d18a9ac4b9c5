"""One-off conversion of scikit-learn's copy of the UCI 8x8 digits to resources/datasets/digits.npz.

Usage: python tools/convert_digits.py path/to/sklearn/datasets/data/digits.csv.gz
(the file is inside the scikit-learn wheel; nnviz does not need scikit-learn to run).
"""

import gzip
import sys
from pathlib import Path

import numpy as np


def main(src: str) -> None:
    with gzip.open(src, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.int64)
    images = table[:, :64].reshape(-1, 8, 8).astype(np.uint8)
    labels = table[:, 64].astype(np.uint8)
    assert images.shape == (1797, 8, 8) and images.max() <= 16 and set(labels) == set(range(10))
    out = Path(__file__).resolve().parent.parent / "resources" / "datasets" / "digits.npz"
    np.savez_compressed(out, images=images, labels=labels)
    print(f"wrote {out}: {images.shape[0]} images")


if __name__ == "__main__":
    main(sys.argv[1])
