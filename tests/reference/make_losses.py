#!/usr/bin/python3
"""PyTorch reference fixtures for Nerva's losses (src/Nerva/Losses).

Regenerate from the repository root with Debian's PyTorch 1.13 (apt-get install python3-torch):

    /usr/bin/python3 tests/reference/make_losses.py

Writes tests/Nerva.Tests/reference/fixtures/losses.json, read by
tests/Nerva.Tests/Losses/LossReferenceTests.cs. Deterministic (seeded).

Each case: {"name", "loss" (Keras name), "config" (constructor arguments, Keras names),
"yTrue", "yPred", "sampleWeight" (or null), "perSample" (the per-sample losses), "value" (the
reduced loss), "grad" (d value / d yPred), "gradcheck" (false where finite differences cannot
resolve the gradient: saturated or clipped inputs)}.

Keras semantics, computed with torch.nn.functional in float64 from the exact float32 inputs:
per-sample loss = the loss over the last axis (mean for elementwise losses, sum over classes for
cross-entropies and KL), reduced by "sum_over_batch_size": sum(w * per_sample) / per_sample.numel().
Probabilities are clipped to [eps, 1 - eps] with eps = 1e-7 as float32 values, as Keras does.
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.manual_seed(11)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Nerva.Tests", "reference", "fixtures", "losses.json")
LO = float(np.float32(1e-7))          # Keras's epsilon as the float32 the C# code uses
HI = float(np.float32(1 - np.float32(1e-7)))  # 1 - eps rounded to float32, as 1f - 1e-7f

cases = []


def f32(t):
    """The exact float32 values written to the fixture, as float64."""
    return torch.as_tensor(t, dtype=torch.float64).float().double()


def js(t):
    t = torch.as_tensor(t).detach().double()
    return {"shape": list(t.shape), "data": [float(str(np.float32(v))) for v in t.flatten().tolist()]}


def randn(*shape, scale=1.0):
    return f32(torch.round(torch.randn(*shape, dtype=torch.float64) * scale * 1000) / 1000)


def away(y, p, kink, margin=0.05):
    """Moves predictions so that |p - y| keeps `margin` from each kink (finite differences need it)."""
    e = p - y
    for k in kink:
        for sign in (1, -1):
            close = (e - sign * k).abs() < margin
            e = torch.where(close, e + 2 * margin, e)
    return f32(y + e)


PROBABILITY_LOSSES = ("binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy", "kl_divergence")


def case(name, loss, config, y_true, y_pred, fn, weight=None, gradcheck=True):
    y_true, y_pred = f32(y_true), f32(y_pred)
    if loss in PROBABILITY_LOSSES and not config.get("from_logits") and not ((y_pred > 0.03) & ((y_pred < 0.97) | (loss != "binary_crossentropy"))).all():
        gradcheck = False  # steps of 1e-3 cannot resolve log p near 0 or 1
    w = f32(weight) if weight is not None else None
    p = y_pred.clone().requires_grad_(True)
    per_sample = fn(y_true, p)
    if w is None:
        value = per_sample.mean()
    else:
        wb = w.reshape(per_sample.shape) if w.numel() == per_sample.numel() else w.reshape([-1] + [1] * (per_sample.dim() - 1))
        value = (per_sample * wb).sum() / per_sample.numel()
    value.backward()
    assert torch.isfinite(value) and torch.isfinite(p.grad).all(), name
    cases.append({"name": name, "loss": loss, "config": config, "yTrue": js(y_true), "yPred": js(y_pred),
                  "sampleWeight": js(w) if w is not None else None, "perSample": js(per_sample),
                  "value": float(value), "grad": js(p.grad), "gradcheck": gradcheck})


def last_mean(x):
    return x if x.dim() <= 1 else x.mean(-1)


def classes_last(fn):
    """Applies a torch loss that wants classes on dim 1 to [..., classes] tensors."""
    def wrapped(y, p):
        if p.dim() <= 2:
            return fn(y, p)
        return fn(y.movedim(-1, 1) if y.dim() == p.dim() else y, p.movedim(-1, 1))
    return wrapped


def clip(p):
    return p.clamp(LO, HI)


# ---------------------------------------------------------------- regression losses
mse = lambda y, p: last_mean(F.mse_loss(p, y, reduction="none"))
mae = lambda y, p: last_mean(F.l1_loss(p, y, reduction="none"))
huber = lambda d: (lambda y, p: last_mean(F.huber_loss(p, y, reduction="none", delta=d)))
for shape in ([6, 1], [5, 3], [4], [2, 3, 4]):
    tag = "x".join(map(str, shape))
    yt = randn(*shape)
    yp = away(yt, randn(*shape), [0.0])
    case(f"mse_{tag}", "mean_squared_error", {}, yt, yp, mse)
    case(f"mae_{tag}", "mean_absolute_error", {}, yt, yp, mae)
    yh = away(yt * 2, randn(*shape), [0.7, 1.0])
    case(f"huber_{tag}", "huber", {"delta": 1.0}, yt * 2, yh, huber(1.0))
    case(f"huber_delta07_{tag}", "huber", {"delta": 0.7}, yt * 2, yh, huber(0.7))
yt, yp = randn(5, 3), randn(5, 3)
w5 = torch.tensor([1.0, 0.5, 2.0, 0.0, 1.5])
case("mse_weighted", "mean_squared_error", {}, yt, yp, mse, weight=w5)
case("mae_weighted", "mean_absolute_error", {}, yt, away(yt, yp, [0.0]), mae, weight=w5)
case("huber_weighted", "huber", {"delta": 1.0}, yt * 2, away(yt * 2, yp, [1.0]), huber(1.0), weight=w5)
yt3, yp3 = randn(2, 3, 4), randn(2, 3, 4)
case("mse_2x3x4_weighted_per_sequence", "mean_squared_error", {}, yt3, yp3, mse, weight=torch.tensor([0.25, 2.0]))
# [batch] targets against [batch, 1] predictions (Keras squeezes or expands the trailing 1).
yt6 = randn(6)
case("mse_targets_6_vs_6x1", "mean_squared_error", {}, yt6, randn(6, 1), lambda y, p: mse(y.reshape(p.shape), p))

# ---------------------------------------------------------------- binary cross-entropy
bce_probs = lambda s=0.0: (lambda y, p: last_mean(F.binary_cross_entropy(clip(p), y * (1 - s) + 0.5 * s, reduction="none")))
bce_logits = lambda s=0.0: (lambda y, p: last_mean(F.binary_cross_entropy_with_logits(p, y * (1 - s) + 0.5 * s, reduction="none")))
for shape in ([8, 1], [5, 3], [6]):
    tag = "x".join(map(str, shape))
    y01 = (torch.rand(*shape) > 0.5).double()
    logits = randn(*shape, scale=3)
    case(f"bce_probs_{tag}", "binary_crossentropy", {"from_logits": False}, y01, torch.sigmoid(logits / 2), bce_probs())
    case(f"bce_logits_{tag}", "binary_crossentropy", {"from_logits": True}, y01, logits, bce_logits())
y01 = (torch.rand(8, 1) > 0.5).double()
logits = randn(8, 1, scale=3)
case("bce_probs_smoothing02", "binary_crossentropy", {"from_logits": False, "label_smoothing": 0.2}, y01, torch.sigmoid(logits / 2), bce_probs(0.2))
case("bce_logits_smoothing02", "binary_crossentropy", {"from_logits": True, "label_smoothing": 0.2}, y01, logits, bce_logits(0.2))
case("bce_logits_weighted", "binary_crossentropy", {"from_logits": True}, y01, logits, bce_logits(), weight=torch.rand(8))
case("bce_probs_weighted", "binary_crossentropy", {"from_logits": False}, y01, torch.sigmoid(logits / 2), bce_probs(), weight=torch.rand(8))
case("bce_soft_targets_logits", "binary_crossentropy", {"from_logits": True}, torch.rand(4, 3), randn(4, 3, scale=2), bce_logits())
# Logits exactly 0: the gradient must be sigmoid(0) - y = 0.5 - y, not -y.
case("bce_logits_zero", "binary_crossentropy", {"from_logits": True}, torch.tensor([[0.0], [1.0], [1.0], [0.0]]), torch.zeros(4, 1), bce_logits())
ext = torch.tensor([[50.0], [-50.0], [50.0], [-50.0], [0.5], [-30.0]])
yext = torch.tensor([[1.0], [0.0], [0.0], [1.0], [1.0], [1.0]])
case("bce_logits_extreme", "binary_crossentropy", {"from_logits": True}, yext, ext, bce_logits(), gradcheck=False)
case("bce_probs_extreme", "binary_crossentropy", {"from_logits": False}, yext, torch.sigmoid(ext.float()).double(), bce_probs(), gradcheck=False)
case("bce_probs_exact_0_and_1", "binary_crossentropy", {"from_logits": False}, yext, torch.tensor([[1.0], [0.0], [1.0], [0.0], [0.6], [1e-9]]), bce_probs(), gradcheck=False)

# ---------------------------------------------------------------- categorical cross-entropy
def cce_probs(s=0.0):
    def fn(y, p):
        y = y * (1 - s) + s / p.shape[-1]
        return -(y * torch.log(clip(p / p.sum(-1, keepdim=True)))).sum(-1)
    return fn


cce_logits = lambda s=0.0: classes_last(lambda y, p: F.cross_entropy(p, y, reduction="none", label_smoothing=s))
labels = torch.randint(0, 4, (7,))
onehot = F.one_hot(labels, 4).double()
logits = randn(7, 4, scale=1.2)
case("cce_logits_7x4", "categorical_crossentropy", {"from_logits": True}, onehot, logits, cce_logits())
probs = F.softmax(logits * 0.6, -1)
case("cce_probs_7x4", "categorical_crossentropy", {"from_logits": False}, onehot, probs, cce_probs())
# With one-hot targets, the probability form is PyTorch's nll_loss of the clipped log.
case("cce_probs_7x4_nll", "categorical_crossentropy", {"from_logits": False}, onehot, probs,
     lambda y, p: F.nll_loss(torch.log(clip(p / p.sum(-1, keepdim=True))), y.argmax(-1), reduction="none"))
case("cce_probs_unnormalised", "categorical_crossentropy", {"from_logits": False}, onehot, torch.rand(7, 4) + 0.1, cce_probs())
soft = F.softmax(randn(7, 4), -1)
case("cce_soft_targets_logits", "categorical_crossentropy", {"from_logits": True}, soft, logits, cce_logits())
case("cce_logits_smoothing01", "categorical_crossentropy", {"from_logits": True, "label_smoothing": 0.1}, onehot, logits, cce_logits(0.1))
case("cce_probs_smoothing01", "categorical_crossentropy", {"from_logits": False, "label_smoothing": 0.1}, onehot, probs, cce_probs(0.1))
case("cce_logits_weighted", "categorical_crossentropy", {"from_logits": True}, onehot, logits, cce_logits(), weight=torch.rand(7))
case("cce_logits_extreme", "categorical_crossentropy", {"from_logits": True}, onehot, logits * 40, cce_logits(), gradcheck=False)
case("cce_probs_extreme", "categorical_crossentropy", {"from_logits": False}, onehot, F.softmax((logits * 40).float(), -1).double(), cce_probs(), gradcheck=False)
lab3 = torch.randint(0, 4, (2, 3))
case("cce_logits_2x3x4", "categorical_crossentropy", {"from_logits": True}, F.one_hot(lab3, 4).double(), randn(2, 3, 4), cce_logits())

# ---------------------------------------------------------------- sparse categorical cross-entropy
scce_logits = classes_last(lambda y, p: F.cross_entropy(p, y.long(), reduction="none"))
scce_probs = lambda y, p: F.nll_loss(torch.log(clip(p / p.sum(-1, keepdim=True))).reshape(-1, p.shape[-1]), y.long().reshape(-1), reduction="none").reshape(p.shape[:-1])
case("scce_logits_7x4", "sparse_categorical_crossentropy", {"from_logits": True}, labels, logits, scce_logits)
case("scce_logits_labels_7x1", "sparse_categorical_crossentropy", {"from_logits": True}, labels.reshape(7, 1), logits,
     lambda y, p: scce_logits(y.reshape(-1), p))
case("scce_probs_7x4", "sparse_categorical_crossentropy", {"from_logits": False}, labels, probs, scce_probs)
case("scce_logits_weighted", "sparse_categorical_crossentropy", {"from_logits": True}, labels, logits, scce_logits, weight=torch.rand(7))
case("scce_logits_extreme", "sparse_categorical_crossentropy", {"from_logits": True}, labels, logits * 40, scce_logits, gradcheck=False)
case("scce_probs_extreme", "sparse_categorical_crossentropy", {"from_logits": False}, labels, F.softmax((logits * 40).float(), -1).double(), scce_probs, gradcheck=False)
case("scce_logits_2x3x4", "sparse_categorical_crossentropy", {"from_logits": True}, lab3, randn(2, 3, 4), scce_logits)
case("scce_probs_2x3x4", "sparse_categorical_crossentropy", {"from_logits": False}, lab3, F.softmax(randn(2, 3, 4) * 0.6, -1), scce_probs)

# ---------------------------------------------------------------- KL divergence (Keras: sum over the last axis)
kld = lambda y, p: F.kl_div(torch.log(p.clamp(LO, 1)), y.clamp(LO, 1), reduction="none").sum(-1)
pt, pp = F.softmax(randn(6, 3) * 2, -1), F.softmax(randn(6, 3) * 0.8, -1)
case("kld_6x3", "kl_divergence", {}, pt, pp, kld)
case("kld_weighted", "kl_divergence", {}, pt, pp, kld, weight=torch.rand(6))
case("kld_one_hot_targets", "kl_divergence", {}, F.one_hot(torch.randint(0, 3, (6,)), 3).double(), pp, kld)
case("kld_2x3x4", "kl_divergence", {}, F.softmax(randn(2, 3, 4), -1), F.softmax(randn(2, 3, 4), -1), kld)

# ---------------------------------------------------------------- hinge (Keras maps 0/1 targets to -1/1)
def hinge(y, p):
    if ((y == 0) | (y == 1)).all():
        y = 2 * y - 1
    return last_mean(torch.relu(1 - y * p))


for shape in ([6, 2], [6]):
    tag = "x".join(map(str, shape))
    y01 = (torch.rand(*shape) > 0.5).double()
    yp = randn(*shape, scale=1.5)
    yp = f32(torch.where(((1 - (2 * y01 - 1) * yp).abs() < 0.05), yp + 0.1 * (2 * y01 - 1) * -1, yp))
    case(f"hinge_01_{tag}", "hinge", {}, y01, yp, hinge)
    case(f"hinge_pm1_{tag}", "hinge", {}, 2 * y01 - 1, yp, hinge)
case("hinge_weighted", "hinge", {}, y01, yp, hinge, weight=torch.rand(6))

with open(OUT, "w") as f:
    json.dump({"generator": "tests/reference/make_losses.py", "torch": torch.__version__, "epsilon": LO, "cases": cases},
              f, separators=(",", ":"))
print(f"wrote {len(cases)} loss cases to {OUT}")
