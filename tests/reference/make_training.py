"""Reference fixtures for Nerva's losses and metrics (optimizers: make_optimizers.py).

Regenerate from the repository root with:
    /usr/bin/python3 tests/reference/make_training.py
Needs Debian's python3-torch (PyTorch 1.13) and python3-sklearn. Writes
tests/Nerva.Tests/reference/fixtures/training.json:
- losses: Keras semantics computed with torch (per-sample mean over the last axis, then the
  batch mean, optionally weighted), the value and d loss / d y_pred;
- metrics: scikit-learn's numbers on fixed predictions.
"""
import json
import os
import numpy as np
import torch
import torch.nn.functional as F
from sklearn import metrics as skm

torch.manual_seed(7)
np.random.seed(7)
OUT = os.path.join(os.path.dirname(__file__), "..", "Nerva.Tests", "reference", "fixtures", "training.json")
EPS = 1e-7


def t(x):
    x = torch.as_tensor(x)
    return {"shape": list(x.shape), "data": [float(f"{v:.8g}") for v in x.detach().double().flatten().tolist()]}


def r(*shape):
    return torch.round(torch.randn(*shape) * 1000) / 1000


losses = []


def loss_case(name, loss, config, y_true, y_pred, fn, weight=None):
    p = y_pred.clone().double().requires_grad_(True)
    per_sample = fn(y_true.double(), p)
    value = (per_sample * weight.double()).sum() / per_sample.numel() if weight is not None else per_sample.mean()
    value.backward()
    losses.append({"name": name, "loss": loss, "config": config, "yTrue": t(y_true), "yPred": t(y_pred),
                   "sampleWeight": t(weight) if weight is not None else None, "value": float(value), "grad": t(p.grad)})


probs = lambda *s: F.softmax(r(*s) * 2, -1)
for shape in ([6, 1], [5, 3]):
    yt, yp = r(*shape), r(*shape)
    loss_case(f"mse_{shape[1]}", "mean_squared_error", {}, yt, yp, lambda y, p: ((p - y) ** 2).mean(-1))
    loss_case(f"mae_{shape[1]}", "mean_absolute_error", {}, yt, yp, lambda y, p: (p - y).abs().mean(-1))
    loss_case(f"huber_{shape[1]}", "huber", {"delta": 0.7}, yt * 2, yp, lambda y, p: F.huber_loss(p, y, reduction="none", delta=0.7).mean(-1))
w = torch.tensor([1.0, 0.5, 2.0, 0.0, 1.5])
loss_case("mse_weighted", "mean_squared_error", {}, r(5, 2), r(5, 2), lambda y, p: ((p - y) ** 2).mean(-1), weight=w)

y01 = (torch.rand(8, 1) > 0.5).float()
logits = r(8, 1) * 3
loss_case("bce_probs", "binary_crossentropy", {"from_logits": False}, y01, torch.sigmoid(logits),
          lambda y, p: -(y * torch.log(p.clamp(EPS, 1 - EPS)) + (1 - y) * torch.log((1 - p).clamp(EPS, 1 - EPS))).mean(-1))
loss_case("bce_logits", "binary_crossentropy", {"from_logits": True}, y01, logits,
          lambda y, p: F.binary_cross_entropy_with_logits(p, y, reduction="none").mean(-1))
loss_case("bce_logits_extreme", "binary_crossentropy", {"from_logits": True}, y01, logits * 20,
          lambda y, p: F.binary_cross_entropy_with_logits(p, y, reduction="none").mean(-1))

labels = torch.randint(0, 4, (7,))
onehot = F.one_hot(labels, 4).float()
logits = r(7, 4) * 2
loss_case("cce_logits", "categorical_crossentropy", {"from_logits": True}, onehot, logits, lambda y, p: -(y * F.log_softmax(p, -1)).sum(-1))
loss_case("cce_probs", "categorical_crossentropy", {"from_logits": False}, onehot, F.softmax(logits, -1),
          lambda y, p: -(y * torch.log((p / p.sum(-1, keepdim=True)).clamp(EPS, 1 - EPS))).sum(-1))
loss_case("scce_logits", "sparse_categorical_crossentropy", {"from_logits": True}, labels.float(), logits,
          lambda y, p: F.cross_entropy(p, y.long(), reduction="none"))
loss_case("scce_logits_extreme", "sparse_categorical_crossentropy", {"from_logits": True}, labels.float(), logits * 50,
          lambda y, p: F.cross_entropy(p, y.long(), reduction="none"))
loss_case("scce_probs", "sparse_categorical_crossentropy", {"from_logits": False}, labels.float(), F.softmax(logits, -1),
          lambda y, p: F.nll_loss(torch.log((p / p.sum(-1, keepdim=True)).clamp(EPS, 1 - EPS)), y.long(), reduction="none"))
loss_case("scce_weighted", "sparse_categorical_crossentropy", {"from_logits": True}, labels.float(), logits,
          lambda y, p: F.cross_entropy(p, y.long(), reduction="none"), weight=torch.rand(7))
pt, pp = probs(6, 3), probs(6, 3)
loss_case("kld", "kl_divergence", {}, pt, pp, lambda y, p: (y.clamp(EPS, 1) * torch.log(y.clamp(EPS, 1) / p.clamp(EPS, 1))).sum(-1))
ypm = (torch.rand(6, 2) > 0.5).float()
loss_case("hinge", "hinge", {}, ypm, r(6, 2), lambda y, p: torch.relu(1 - (2 * y - 1) * p).mean(-1))

# Metrics against scikit-learn.
n = 40
y_bin = np.random.randint(0, 2, n)
score = np.clip(y_bin * 0.3 + np.random.rand(n) * 0.7, 0, 1).round(3)
pred_bin = (score > 0.5).astype(int)
y_multi = np.random.randint(0, 3, n)
scores3 = np.random.rand(n, 3).round(3)
scores3[np.arange(n), y_multi] += 0.3
pred_multi = scores3.argmax(1)
y_reg = np.random.randn(n, 2).round(3)
p_reg = (y_reg + np.random.randn(n, 2) * 0.5).round(3)
metrics = {
    "yBinary": t(torch.tensor(y_bin, dtype=torch.float32)), "scoreBinary": t(torch.tensor(score, dtype=torch.float32)),
    "yMulti": t(torch.tensor(y_multi, dtype=torch.float32)), "scoresMulti": t(torch.tensor(scores3, dtype=torch.float32)),
    "yRegression": t(torch.tensor(y_reg, dtype=torch.float32)), "pRegression": t(torch.tensor(p_reg, dtype=torch.float32)),
    "binary_accuracy": skm.accuracy_score(y_bin, pred_bin),
    "precision": skm.precision_score(y_bin, pred_bin), "recall": skm.recall_score(y_bin, pred_bin), "f1": skm.f1_score(y_bin, pred_bin),
    "auc": skm.roc_auc_score(y_bin, score),
    "multi_accuracy": skm.accuracy_score(y_multi, pred_multi),
    "precision_macro": skm.precision_score(y_multi, pred_multi, average="macro"),
    "recall_macro": skm.recall_score(y_multi, pred_multi, average="macro"),
    "f1_macro": skm.f1_score(y_multi, pred_multi, average="macro"),
    "confusion": skm.confusion_matrix(y_multi, pred_multi).tolist(),
    "mae": skm.mean_absolute_error(y_reg, p_reg), "mse": skm.mean_squared_error(y_reg, p_reg),
    "rmse": skm.mean_squared_error(y_reg, p_reg) ** 0.5, "r2": skm.r2_score(y_reg, p_reg),
}

with open(OUT, "w") as f:
    json.dump({"generator": "tests/reference/make_training.py", "torch": torch.__version__,
               "losses": losses, "metrics": metrics}, f, separators=(",", ":"))
print(f"wrote {len(losses)} loss cases and the metric data to {OUT}")
