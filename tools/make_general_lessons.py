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
    ("bias-variance-network", 15, "Bias and variance of a small network: K networks, K "
     "training sets",
     "The same K resampled training sets as the polynomial lesson, but the model is a "
     "1-h-1 tanh network trained by gradient descent (Adam): its complexity is the number "
     "of hidden units h. Train K nets trains one network per training set in slices; their "
     "spread is the variance, the distance of their mean from sin(pi x) the bias.",
     "Lecture notes 003 (Bias, Variance & their trade-off)", SMALL,
     {"page": "bias-variance", "model": "network", "hidden": 3, "n": 15, "noise": 0.3,
      "k": 10, "mlp_epochs": 600},
     [{"at": "start", "text": "Train K nets: one network per training set, drawn as each "
       "finishes.", "question": "With 1 hidden unit, high bias or high variance?"},
      {"at": "result", "text": "Orange: the mean of the K networks. Grey: their spread.",
       "question": "What will 20 hidden units do to the spread?"}]),
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
    ("l1-vs-l2", 30, "L1 against L2: constant against proportional shrinkage",
     "The same 64-30-10 network is trained on 200 digits twice from the same start, once "
     "with L1 (C = C0 + lambda/n sum |w|) and once with L2 (C = C0 + lambda/(2n) sum w^2). "
     "L1 moves every weight a constant eta*lambda/n towards 0 each step, so small weights "
     "reach 0 and stay there; L2 shrinks each weight in proportion to its size, so weights "
     "get small but rarely zero. Notes 002 print the L1 rule with L2's form; the lab says "
     "where and writes out the right one.", "Lecture notes 002 (Other regularizations)",
     DIGITS, {"page": "l1-l2", "l_lambda": 0.5, "l_eta": 0.5, "l_n": 200, "l_epochs": 40},
     [{"at": "start", "text": "Both networks start from the same weights. P trains them.",
       "question": "Which penalty will drive more weights to exactly zero?"},
      {"at": "result", "text": "L1: a spike at zero. L2: small weights, but few zeros.",
       "question": "When |w| is large, which rule shrinks it more?"}]),
    ("more-data", 40, "More training data: the learning curve",
     "A fresh 64-30-10 network is trained on 10, 25, 50 ... 800 digits with the same number "
     "of mini-batches each, and tested on 500 held-out digits. Training accuracy stays high; "
     "test accuracy climbs with n: more data is the most reliable cure for overfitting.",
     "Lecture notes 002 (Increasing training set size)", DIGITS,
     {"page": "more-data", "steps": 600},
     [{"at": "start", "text": "P trains seven networks, one per training-set size.",
       "question": "How will test accuracy change from 10 to 800 digits?"},
      {"at": "result", "text": "The gap between training and test accuracy closes as n "
       "grows.", "question": "Where would an 8th point at 1,600 digits lie?"}]),
    ("dropout-ensemble", 50, "Dropout as an ensemble of thinned networks",
     "A 64-60-10 network is trained with dropout p = 0.5. Each thinned network keeps its "
     "own half of the hidden neurons; each is a little worse than the full network, but "
     "their average is about as good as the full network: training with dropout is like "
     "training many networks that share weights and averaging them, as notes 002 explain.",
     "Lecture notes 002 (Dropout)", DIGITS,
     {"page": "dropout", "p": 0.5, "members": 10, "d_epochs": 20},
     [{"at": "start", "text": "P trains with dropout; then ten thinned networks vote.",
       "question": "Will one thinned network be better or worse than the full one?"},
      {"at": "result", "text": "Grey: each thinned network. Orange: their average. Blue: the "
       "full network.", "question": "Why does averaging the thinned networks help?"}]),
    ("augmentation", 60, "Data augmentation with 50 training digits",
     "Only 50 training digits (5 of each). Each is copied shifted one pixel in four "
     "directions and turned by -10 and +10 degrees: 350 images. The same network trained "
     "on the 50 and on the 350 is tested on 500 held-out digits.",
     "Lecture notes 003 (Data augmentation)", DIGITS,
     {"page": "augmentation", "a_per_class": 5, "a_epochs": 40},
     [{"at": "start", "text": "Bottom: one training digit and its six copies.",
       "question": "Do the copies add new information? Will they help?"},
      {"at": "result", "text": "The augmented network generalises better from the same 50 "
       "digits.", "question": "Which copies would be wrong for digits (hint: 6 and 9)?"}]),
    ("transfer-learning", 70, "Transfer learning against training from scratch",
     "A 64-30-5 network learns digits 0-4 from all their training images. Its first layer is "
     "frozen and a new output layer learns 5-9 from five examples of each; the same network "
     "trained from scratch on the same 25 examples is the comparison. With this small "
     "network and these easy 8x8 digits, features learned to separate 0-4 carry over to 5-9 "
     "worse than raw pixels do: transfer pays when the first task's features are general, "
     "as in large networks pretrained on millions of images.",
     "Lecture notes 003 (Transfer learning)", DIGITS,
     {"page": "transfer", "t_per_class": 5, "t_epochs": 60},
     [{"at": "start", "text": "P: first 0-4, then 5-9 from 25 examples, two ways.",
       "question": "Which will reach the higher accuracy on 5-9, and which learns faster?"},
      {"at": "result", "text": "The frozen first layer is unchanged; only 155 parameters "
       "learned.", "question": "What would make features learned on 0-4 more useful?"}]),
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
