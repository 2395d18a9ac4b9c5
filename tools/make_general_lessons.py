"""Write the Generalisation lab's lessons (resources/lessons/*.json) from one table."""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "resources" / "lessons"
SMALL = {"network": {"sizes": [1, 1], "init": {"method": "xavier", "seed": 0},
                     "layers": [{"activation": "linear"}]},
         "example": {"input": [0.0], "target": [0.0]}}
DIGITS = {"network": {"sizes": [64, 10], "init": {"method": "xavier", "seed": 0},
                      "layers": [{"activation": "softmax"}]},
          "data": {"dataset": "digits"},
          "training": {"loss": "cross_entropy", "eta": 0.5, "batch_size": 10, "epochs": 10}}

LESSONS = [
    ("bias-variance", 10, "Bias and variance: K fits to K resampled training sets",
     "Noisy points are drawn from a known curve, sin(pi x). Resample draws K new training "
     "sets and fits a degree-d polynomial to each: the spread of the K curves is the "
     "variance, the distance of their mean from the true curve the bias. bias^2 + variance "
     "+ noise is the expected error on a fresh point. The four presets are the notes' four "
     "cases; the U curve shows train and test error against the degree.",
     "Lecture notes 003 (Bias, Variance & their trade-off)", SMALL,
     {"page": "bias-variance", "degree": 3, "n": 15, "noise": 0.3, "k": 20},
     [{"at": "start", "text": "Grey: K fits to K training sets. Orange: their mean. Dashed: "
       "the truth.", "question": "Raise the degree to 12. What happens to the grey curves?"},
      {"at": "result", "text": "The U curve: training error falls with the degree, test "
       "error falls, then rises.", "question": "Which degree would you choose, and why?"}]),
    ("regularisation-polynomial", 20, "Why regularisation helps: a 9th-order polynomial "
     "against y = 2x",
     "Ten points lie near y = 2x. A 9th-order polynomial goes through every one of them; "
     "the line misses each a little. Outside the data the polynomial is dominated by its "
     "high powers and the two disagree wildly. The L2 penalty lambda/(2n) sum a_j^2 makes "
     "large coefficients expensive: as lambda grows the polynomial is pulled back towards "
     "the line.", "Lecture notes 002 (How regularization helps)", SMALL,
     {"page": "regularisation", "reg_degree": 9, "reg_lambda": 0.0},
     [{"at": "start", "text": "λ = 0: the 9th-order polynomial goes through all ten points.",
       "question": "Which model will predict y at x = 1.5 better?"}]),
]


def main() -> None:
    for name, order, title, desc, source, base, settings, captions in LESSONS:
        d = {"format": "nnviz-lesson", "version": 1, "name": name,
             "chapter": "generalisation", "order": order, "title": title,
             "description": desc, "source": source, "lab": "general", **base,
             "settings": settings, "captions": captions}
        (OUT / f"{name}.json").write_text(json.dumps(d, indent=2, ensure_ascii=False) + "\n",
                                          encoding="utf-8")


if __name__ == "__main__":
    main()
