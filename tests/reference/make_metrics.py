#!/usr/bin/python3
"""scikit-learn reference fixtures for Nerva's metrics (src/Nerva/Metrics).

Regenerate from the repository root with Debian's python3-sklearn:

    /usr/bin/python3 tests/reference/make_metrics.py

Writes tests/Nerva.Tests/reference/fixtures/metrics.json, read by
tests/Nerva.Tests/Metrics/MetricReferenceTests.cs. Deterministic (seeded).

"data" holds the inputs as {"shape", "data"} tensors of exact float32 values; "expected" holds
scikit-learn's numbers computed on those same values, with and without sample weights:
accuracy_score, precision/recall/f1 (binary and macro, zero_division=0), roc_auc_score,
mean_absolute_error, mean_squared_error, r2_score, confusion_matrix and classification_report.
RMSE is Keras's: the root of the pooled mean squared error over all outputs.
"""
import json
import os

import numpy as np
import sklearn
from sklearn import metrics as skm

rng = np.random.default_rng(5)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Nerva.Tests", "reference", "fixtures", "metrics.json")


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def js(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "data": [float(str(v)) for v in a.flatten()]}


n = 41  # streamed in batches of 7, 13 and 21
data, expected = {}, {}

# Binary: scores rounded to 2 decimals so that many tie (the AUC must count ties as half).
y_bin = rng.integers(0, 2, n)
score = f32(np.clip(y_bin * 0.25 + rng.random(n) * 0.75, 0, 1).round(2))
weight = f32(rng.random(n).round(3) * 2)
data.update(yBinary=js(y_bin), scoreBinary=js(score), weight=js(weight))
for suffix, w in (("", None), ("_weighted", weight)):
    pred = (score.astype(np.float32) > np.float32(0.5)).astype(int)
    expected["binary_accuracy" + suffix] = skm.accuracy_score(y_bin, pred, sample_weight=w)
    expected["precision" + suffix] = skm.precision_score(y_bin, pred, sample_weight=w, zero_division=0)
    expected["recall" + suffix] = skm.recall_score(y_bin, pred, sample_weight=w, zero_division=0)
    expected["f1" + suffix] = skm.f1_score(y_bin, pred, sample_weight=w, zero_division=0)
    expected["auc" + suffix] = skm.roc_auc_score(y_bin, score, sample_weight=w)
    pred3 = (score.astype(np.float32) > np.float32(0.3)).astype(int)  # compared in float32, as in C#
    expected["binary_accuracy_t03" + suffix] = skm.accuracy_score(y_bin, pred3, sample_weight=w)
    expected["precision_t03" + suffix] = skm.precision_score(y_bin, pred3, sample_weight=w, zero_division=0)
    expected["recall_t03" + suffix] = skm.recall_score(y_bin, pred3, sample_weight=w, zero_division=0)
    expected["f1_t03" + suffix] = skm.f1_score(y_bin, pred3, sample_weight=w, zero_division=0)

# Multi-class: 3 classes, scores with the true class favoured.
y_multi = rng.integers(0, 3, n)
scores3 = rng.random((n, 3)).round(3)
scores3[np.arange(n), y_multi] += 0.3
scores3 = f32(scores3)
pred_multi = scores3.argmax(1)
data.update(yMulti=js(y_multi), scoresMulti=js(scores3), oneHotMulti=js(np.eye(3)[y_multi]))
for suffix, w in (("", None), ("_weighted", weight)):
    expected["multi_accuracy" + suffix] = skm.accuracy_score(y_multi, pred_multi, sample_weight=w)
    for metric, fn in (("precision", skm.precision_score), ("recall", skm.recall_score), ("f1", skm.f1_score)):
        expected[f"{metric}_macro" + suffix] = fn(y_multi, pred_multi, average="macro", sample_weight=w, zero_division=0)
expected["confusion"] = skm.confusion_matrix(y_multi, pred_multi).tolist()
expected["report_named"] = skm.classification_report(y_multi, pred_multi, target_names=["cat", "dog", "bird"], zero_division=0)
expected["report_digits4"] = skm.classification_report(y_multi, pred_multi, digits=4, zero_division=0)

# Four score columns; class 3 occurs but is never predicted (zero division counts as 0) and
# class 2 neither occurs nor is predicted, so the macro average runs over classes 0, 1 and 3 only.
y4 = rng.choice([0, 1, 3], n)
scores4 = rng.random((n, 4)).round(3)
scores4[:, 2:] = -1
scores4[np.arange(n), np.where(y4 == 3, 0, y4)] += 0.2
scores4 = f32(scores4)
pred4 = scores4.argmax(1)
data.update(y4=js(y4), scores4=js(scores4))
for metric, fn in (("precision", skm.precision_score), ("recall", skm.recall_score), ("f1", skm.f1_score)):
    expected[f"{metric}_macro_4"] = fn(y4, pred4, average="macro", zero_division=0)
expected["confusion_4"] = skm.confusion_matrix(y4, pred4, labels=[0, 1, 2, 3]).tolist()
expected["report_4"] = skm.classification_report(y4, pred4, zero_division=0)

# Regression: two outputs, and one output with a large mean (streaming sums must not cancel).
y_reg = f32(rng.normal(size=(n, 2)).round(3))
p_reg = f32((y_reg + rng.normal(size=(n, 2)) * 0.5).round(3))
y_big = f32((1000 + rng.normal(size=n) * 2).round(3))
p_big = f32((y_big + rng.normal(size=n)).round(3))
data.update(yRegression=js(y_reg), pRegression=js(p_reg), yLarge=js(y_big), pLarge=js(p_big))
for suffix, w in (("", None), ("_weighted", weight)):
    expected["mae" + suffix] = skm.mean_absolute_error(y_reg, p_reg, sample_weight=w)
    expected["mse" + suffix] = skm.mean_squared_error(y_reg, p_reg, sample_weight=w)
    expected["rmse" + suffix] = skm.mean_squared_error(y_reg, p_reg, sample_weight=w) ** 0.5
    expected["r2" + suffix] = skm.r2_score(y_reg, p_reg, sample_weight=w)
    expected["r2_large" + suffix] = skm.r2_score(y_big, p_big, sample_weight=w)
    expected["mae_large" + suffix] = skm.mean_absolute_error(y_big, p_big, sample_weight=w)

with open(OUT, "w") as f:
    json.dump({"generator": "tests/reference/make_metrics.py", "sklearn": sklearn.__version__,
               "batches": [7, 13, 21], "data": data, "expected": expected}, f, separators=(",", ":"), indent=None)
print(f"wrote {len(expected)} expected values to {OUT}")
print(expected["report_named"])
print(expected["report_4"])
