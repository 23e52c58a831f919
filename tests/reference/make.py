#!/usr/bin/python3
# PyTorch reference fixtures for Nerva's tensor ops.
#
# Regenerate (from the repository root, with Debian's PyTorch 1.13: apt-get install python3-torch):
#
#     /usr/bin/python3 tests/reference/make.py
#
# Writes tests/Nerva.Tests/reference/fixtures/ops.json, read by
# tests/Nerva.Tests/Ops/ReferenceOpTests.cs. The output is deterministic (torch.manual_seed),
# so regenerating without changing this script gives the same file.
#
# Each case:
#   {"name": unique id, "op": op name (a key of ReferenceOpTests' table),
#    "inputs": [{"shape": [...], "data": [...]}, ...], "args": {...},
#    "output": {"shape", "data"},
#    "gradWeight": {"shape", "data"} (absent for non-differentiable ops),
#    "grads": [per input: {"shape", "data"} or null] (null for non-differentiable ops)}
# grads[i] = d(sum(output * gradWeight)) / d(inputs[i]).
#
# Inputs are float32 values written exactly (shortest round-trip decimal, at most 3 decimals);
# the reference is computed in float64 from those exact values and rounded to 7 significant
# digits. Index tensors (gather, index_select, one_hot, scatter_add) and conditions (where)
# are float tensors holding integers / 0-1, as in Nerva.

import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.manual_seed(1234)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Nerva.Tests", "reference", "fixtures", "ops.json")

cases = []
names = set()


# ---------------------------------------------------------------- input generators

def q(t):
    """Quantise to 3 decimals, then to float32: the exact values written to the fixture."""
    t = torch.round(t.double() * 1000) / 1000
    return t.float().double()


def randn(*shape, scale=1.0):
    return q(torch.randn(shape, dtype=torch.float64) * scale)


def uniform(lo, hi, *shape):
    return q(lo + (hi - lo) * torch.rand(shape, dtype=torch.float64))


def away(*shape, margin=0.1, scale=1.5, around=0.0):
    """Values with |x - around| >= margin (for kinks at `around`)."""
    x = torch.randn(shape, dtype=torch.float64) * scale
    s = (x >= 0).double() * 2 - 1
    return q(around + s * (x.abs() + margin))


def distinct(*shape, lo=-3.0, hi=3.0):
    """Distinct values, pairwise at least ~(hi-lo)/(2n) apart (no ties for max/min/argmax)."""
    n = int(np.prod(shape)) if shape else 1
    perm = torch.randperm(n).double()
    jitter = torch.rand(n, dtype=torch.float64) * 0.3
    v = lo + (hi - lo) * (perm + 0.35 + jitter) / n
    return q(v.reshape(shape))


def ints(lo, hi, *shape):
    return torch.randint(lo, hi, shape).double()


# ---------------------------------------------------------------- serialisation

def r7(v):
    v = float(v)
    if v != v or v in (float("inf"), float("-inf")):
        raise ValueError("non-finite value in fixture")
    if v == 0:
        return 0.0
    return float("%.7g" % v)


def exact32(v):
    return float(str(np.float32(v)))


def enc(t, exact=False):
    t = t.detach().double()
    f = exact32 if exact else r7
    return {"shape": list(t.shape), "data": [f(v) for v in t.reshape(-1).tolist()]}


def shape_desc(shape):
    return "x".join(str(s) for s in shape) if len(shape) else "s"


def arg_desc(k, v):
    if isinstance(v, (list, tuple)):
        v = ".".join(str(e) for e in v)
    return f"{k}{v}"


def add(op, fn, inputs, args=None, diff=None, name=None):
    """fn(list of float64 tensors) -> tensor. diff: which inputs are differentiable
    (default: all); diff=False: the op is not differentiable."""
    args = args or {}
    if diff is None:
        diff = [True] * len(inputs)
    elif diff is False:
        diff = [False] * len(inputs)
    xs = [x.clone().double().requires_grad_(d) for x, d in zip(inputs, diff)]
    out = fn(xs)
    differentiable = any(diff) and out.requires_grad
    base = name or "_".join([op] + [shape_desc(x.shape) for x in inputs] + [arg_desc(k, v) for k, v in args.items()])
    cname, n = base, 1
    while cname in names:
        n += 1
        cname = f"{base}_{n}"
    names.add(cname)
    case = {"name": cname, "op": op, "inputs": [enc(x, exact=True) for x in inputs],
            "args": args, "output": enc(out)}
    if differentiable:
        w = randn(*out.shape)
        (out * w).sum().backward()
        case["gradWeight"] = enc(w, exact=True)
        case["grads"] = [enc(x.grad if x.grad is not None else torch.zeros_like(x)) if d else None
                         for x, d in zip(xs, diff)]
    else:
        case["grads"] = None
    cases.append(case)


# ---------------------------------------------------------------- binary, broadcasting

BROADCAST_PAIRS = [
    ((), ()), ((5,), ()), ((), (4,)), ((6,), (6,)), ((3, 4), (3, 4)), ((3, 1), (4,)),
    ((2, 3, 4), (4,)), ((5, 1, 3), (1, 4, 1)), ((2, 1, 1, 3), (4, 1)), ((1, 1), (2, 3)),
    ((2, 3, 1, 2), (2, 1, 3, 2)),
]

for sa, sb in BROADCAST_PAIRS:
    add("add", lambda x: x[0] + x[1], [randn(*sa), randn(*sb)])
    add("sub", lambda x: x[0] - x[1], [randn(*sa), randn(*sb)])
    add("mul", lambda x: x[0] * x[1], [randn(*sa), randn(*sb)])
    add("div", lambda x: x[0] / x[1], [randn(*sa), away(*sb, margin=0.5, scale=1.0)])
    add("pow", lambda x: x[0] ** x[1], [uniform(0.3, 2.5, *sa), uniform(-2, 2.5, *sb)])
    a = randn(*sa)
    b = a + away(*sb, margin=0.05, scale=1.0) if sa == sb else randn(*sb)
    if sa != sb:  # keep broadcast pairs away from ties
        bb = torch.broadcast_tensors(a, b)
        while (bb[0] - bb[1]).abs().min() < 0.03:
            b = randn(*sb)
            bb = torch.broadcast_tensors(a, b)
    add("maximum", lambda x: torch.maximum(x[0], x[1]), [a, q(b)])
    add("minimum", lambda x: torch.minimum(x[0], x[1]), [a, q(b)])

# comparisons: small integers so that ties (and eq) actually occur
for sa, sb in BROADCAST_PAIRS[:9]:
    a, b = ints(-2, 3, *sa), ints(-2, 3, *sb)
    for op, f in (("eq", torch.eq), ("gt", torch.gt), ("lt", torch.lt), ("ge", torch.ge), ("le", torch.le)):
        add(op, lambda x, f=f: f(x[0], x[1]).double(), [a, b], diff=False)

for s in [(), (7,), (3, 4)]:
    a = ints(-2, 3, *s)
    for op, f in (("eq_scalar", torch.eq), ("gt_scalar", torch.gt), ("lt_scalar", torch.lt),
                  ("ge_scalar", torch.ge), ("le_scalar", torch.le)):
        add(op, lambda x, f=f: f(x[0], 1.0).double(), [a], {"value": 1.0}, diff=False)

# tensor-float arithmetic, both sides
for s in [(), (5,), (2, 3, 2)]:
    add("add_scalar", lambda x: x[0] + 1.5, [randn(*s)], {"value": 1.5})
    add("sub_scalar", lambda x: x[0] - 0.75, [randn(*s)], {"value": 0.75})
    add("rsub_scalar", lambda x: 2.0 - x[0], [randn(*s)], {"value": 2.0})
    add("mul_scalar", lambda x: x[0] * -2.5, [randn(*s)], {"value": -2.5})
    add("div_scalar", lambda x: x[0] / 4.0, [randn(*s)], {"value": 4.0})
    add("rdiv_scalar", lambda x: 3.0 / x[0], [away(*s, margin=0.5)], {"value": 3.0})

for s, e, pos in [((6,), 2.0, False), ((2, 3), 3.0, False), ((), 2.0, False), ((3, 4), 0.5, True),
                  ((2, 2, 3), 1.5, True), ((5,), -1.0, True), ((4,), -0.5, True), ((2, 3), 0.0, True),
                  ((3, 1), 1.0, False), ((2, 3), 2.5, True)]:
    x = uniform(0.3, 3.0, *s) if pos else away(*s, margin=0.2)
    add("pow_scalar", lambda xs, e=e: xs[0] ** e, [x], {"exponent": e})

# where: cond 0/1 floats, broadcasting
for sc, sa, sb in [((6,), (6,), (6,)), ((3, 4), (3, 4), (3, 4)), ((3, 1), (4,), (3, 4)),
                   ((2, 3, 4), (4,), ()), ((1, 4), (3, 1), (1,))]:
    add("where", lambda x: torch.where(x[0] > 0.5, x[1], x[2]),
        [ints(0, 2, *sc), randn(*sa), randn(*sb)], diff=[False, True, True])

# clamp: values kept away from the bounds
for s, lo, hi in [((10,), -0.5, 0.5), ((3, 4), -1.0, 1.0), ((2, 3, 2), None, 0.3), ((3, 5), 0.2, None),
                  ((), -0.5, 0.5), ((4, 1), -2.0, -0.2)]:
    x = randn(*s, scale=1.5)
    for bound in (lo, hi):
        if bound is not None:
            x = torch.where((x - bound).abs() < 0.05, x + 0.1, x)
    add("clamp", lambda xs, lo=lo, hi=hi: torch.clamp(xs[0], lo, hi), [q(x)], {"min": lo, "max": hi})

# ---------------------------------------------------------------- unary

UNARY_SHAPES = [(), (7,), (3, 4), (2, 3, 4), (2, 1, 3, 2), (1, 5)]

def unary(op, fn, gen, args=None, shapes=UNARY_SHAPES, diff=None):
    for s in shapes:
        add(op, fn, [gen(*s)], args, diff=diff)

unary("neg", lambda x: -x[0], randn)
unary("abs", lambda x: x[0].abs(), lambda *s: away(*s))
unary("exp", lambda x: x[0].exp(), lambda *s: randn(*s, scale=1.5))
unary("log", lambda x: x[0].log(), lambda *s: uniform(0.05, 5, *s))
unary("sqrt", lambda x: x[0].sqrt(), lambda *s: uniform(0.05, 5, *s))
unary("square", lambda x: x[0] ** 2, randn)
unary("reciprocal", lambda x: x[0].reciprocal(), lambda *s: away(*s, margin=0.3))
unary("sin", lambda x: x[0].sin(), lambda *s: randn(*s, scale=2))
unary("cos", lambda x: x[0].cos(), lambda *s: randn(*s, scale=2))
unary("sign", lambda x: x[0].sign(), lambda *s: ints(-2, 3, *s) * 0.5, diff=False)
unary("relu", lambda x: F.relu(x[0]), lambda *s: away(*s))
for slope in (0.01, 0.2):
    unary("leaky_relu", lambda x, slope=slope: F.leaky_relu(x[0], slope), lambda *s: away(*s),
          {"negativeSlope": slope}, shapes=UNARY_SHAPES[:4])
for alpha in (1.0, 0.5):
    unary("elu", lambda x, alpha=alpha: F.elu(x[0], alpha), lambda *s: away(*s),
          {"alpha": alpha}, shapes=UNARY_SHAPES[:4])
unary("gelu", lambda x: F.gelu(x[0]), lambda *s: randn(*s, scale=2), {"approximate": False})
unary("gelu", lambda x: F.gelu(x[0], approximate="tanh"), lambda *s: randn(*s, scale=2),
      {"approximate": True}, shapes=UNARY_SHAPES[:4])
unary("silu", lambda x: F.silu(x[0]), lambda *s: randn(*s, scale=2))
unary("sigmoid", lambda x: torch.sigmoid(x[0]), lambda *s: randn(*s, scale=3))
unary("tanh", lambda x: torch.tanh(x[0]), lambda *s: randn(*s, scale=2))
unary("softplus", lambda x: F.softplus(x[0]), lambda *s: randn(*s, scale=3), {"beta": 1.0, "threshold": 20.0})
# beta != 1, and a threshold some inputs exceed (linear region), kept off the switch point
unary("softplus", lambda x: F.softplus(x[0], beta=2.0, threshold=5.0), lambda *s: away(*s, margin=0.2, scale=3, around=2.5),
      {"beta": 2.0, "threshold": 5.0}, shapes=UNARY_SHAPES[:4])

for s, dims in [((7,), [0, -1]), ((3, 4), [0, 1, -1, -2]), ((2, 3, 4), [0, 1, 2, -1]),
                ((2, 1, 3, 2), [1, 3, -3]), ((1, 5), [0, 1])]:
    for d in dims:
        add("softmax", lambda x, d=d: torch.softmax(x[0], d), [randn(*s, scale=2)], {"dim": d})
        add("log_softmax", lambda x, d=d: torch.log_softmax(x[0], d), [randn(*s, scale=2)], {"dim": d})

# ---------------------------------------------------------------- reductions

RED_SHAPES = [(7,), (3, 4), (2, 3, 4), (2, 1, 3, 2), (1, 5)]

def dims_of(s):
    r = len(s)
    return sorted(set(list(range(r)) + [-1] + ([-r] if r > 1 else [])))

def reduction(op, full, along, gen=randn, extra=None, diff=None):
    extra = extra or {}
    for s in [()] + RED_SHAPES if op not in ("var", "std") else RED_SHAPES:
        add(op, lambda x: full(x[0]), [gen(*s)], dict(extra), diff=diff)
    for s in RED_SHAPES:
        for d in dims_of(s):
            if op in ("var", "std") and s[d] == 1 and (op == "std" or extra["unbiased"]):
                continue  # NaN (n - 1 = 0) or sqrt'(0)
            for k in (False, True):
                add(op, lambda x, d=d, k=k: along(x[0], d, k), [gen(*s)], dict(extra, dim=d, keepDim=k), diff=diff)

reduction("sum", lambda x: x.sum(), lambda x, d, k: x.sum(d, keepdim=k))
reduction("mean", lambda x: x.mean(), lambda x, d, k: x.mean(d, keepdim=k))
reduction("max", lambda x: x.max(), lambda x, d, k: x.max(d, keepdim=k).values, gen=distinct)
reduction("min", lambda x: x.min(), lambda x, d, k: x.min(d, keepdim=k).values, gen=distinct)
reduction("argmax", lambda x: x.argmax().double(), lambda x, d, k: x.argmax(d, keepdim=k).double(), gen=distinct, diff=False)
reduction("argmin", lambda x: x.argmin().double(), lambda x, d, k: x.argmin(d, keepdim=k).double(), gen=distinct, diff=False)
for ub in (True, False):
    reduction("var", lambda x, ub=ub: x.var(unbiased=ub), lambda x, d, k, ub=ub: x.var(d, unbiased=ub, keepdim=k),
              extra={"unbiased": ub})
    reduction("std", lambda x, ub=ub: x.std(unbiased=ub), lambda x, d, k, ub=ub: x.std(d, unbiased=ub, keepdim=k),
              extra={"unbiased": ub})
reduction("logsumexp", lambda x: x.reshape(-1).logsumexp(0), lambda x, d, k: x.logsumexp(d, keepdim=k),
          gen=lambda *s: randn(*s, scale=2))

# norm: p=2 (and p=1) over all elements; p=1 and p=2 along a dim. Values away from 0 (|x| kink for p=1).
for s in [(7,), (3, 4), (2, 3, 4), (2, 1, 3, 2)]:
    for p in (2.0, 1.0):
        add("norm", lambda x, p=p: torch.norm(x[0], p=p), [away(*s, margin=0.1)], {"p": p})
    for d in dims_of(s):
        for p in (1.0, 2.0):
            for k in (False, True):
                add("norm", lambda x, d=d, p=p, k=k: torch.norm(x[0], p=p, dim=d, keepdim=k),
                    [away(*s, margin=0.1)], {"p": p, "dim": d, "keepDim": k})

# ---------------------------------------------------------------- numerical stability
# Large magnitudes: naive exp-based formulas overflow float32 here; var/std of values far from 0
# catch E[x^2] - E[x]^2 cancellation. Names end in "_large".

for s, d in [((3, 4), -1), ((2, 5), 0), ((6,), 0)]:
    add("softmax", lambda x, d=d: torch.softmax(x[0], d), [randn(*s, scale=60)], {"dim": d},
        name=f"softmax_{shape_desc(s)}_dim{d}_large")
    add("log_softmax", lambda x, d=d: torch.log_softmax(x[0], d), [randn(*s, scale=60)], {"dim": d},
        name=f"log_softmax_{shape_desc(s)}_dim{d}_large")
    add("logsumexp", lambda x, d=d: x[0].logsumexp(d), [randn(*s, scale=60)], {"dim": d, "keepDim": False},
        name=f"logsumexp_{shape_desc(s)}_dim{d}_large")
add("logsumexp", lambda x: x[0].reshape(-1).logsumexp(0), [randn(3, 4, scale=60)], {}, name="logsumexp_3x4_all_large")
for op, fn, args in [("sigmoid", torch.sigmoid, {}), ("tanh", torch.tanh, {}), ("silu", F.silu, {}),
                     ("softplus", F.softplus, {"beta": 1.0, "threshold": 20.0}), ("elu", F.elu, {"alpha": 1.0}),
                     ("gelu", F.gelu, {"approximate": False})]:
    add(op, lambda x, fn=fn: fn(x[0]), [away(12, margin=3, scale=40)], args, name=f"{op}_12_large")
for op, fn in [("var", torch.var), ("std", torch.std)]:
    x = randn(40) + 300
    add(op, lambda xs, fn=fn: fn(xs[0], unbiased=True), [x], {"unbiased": True}, name=f"{op}_40_offset300_large")
    x = randn(4, 30) - 300
    add(op, lambda xs, fn=fn: fn(xs[0], 1, unbiased=False), [x], {"unbiased": False, "dim": 1, "keepDim": False},
        name=f"{op}_4x30_dim1_offset-300_large")

# ---------------------------------------------------------------- shape

for s, target in [((3, 4), [4, 3]), ((3, 4), [-1]), ((2, 3, 4), [6, -1]), ((2, 3, 4), [2, -1, 2]),
                  ((12,), [3, 1, 4]), ((1,), []), ((), [1, 1]), ((2, 1, 3), [-1, 2])]:
    add("reshape", lambda x, t=target: x[0].reshape(t), [randn(*s)], {"shape": target})

for s, a, b in [((2, 3, 4), 0, -1), ((2, 3, 4), 1, 2), ((2, 3, 4), 0, 1), ((2, 3, 4, 2), 1, -2),
                ((5,), 0, -1), ((3, 4), 1, 1), ((2, 1, 3, 2), -3, -1)]:
    add("flatten", lambda x, a=a, b=b: x[0].flatten(a, b), [randn(*s)], {"startDim": a, "endDim": b})

for s, a, b in [((3, 4), 0, 1), ((2, 3, 4), 0, 2), ((2, 3, 4), -1, -2), ((2, 3, 4, 2), 1, 3), ((5,), 0, 0),
                ((1, 4), 0, 1)]:
    add("transpose", lambda x, a=a, b=b: x[0].transpose(a, b), [randn(*s)], {"dim0": a, "dim1": b})

for s, p in [((3, 4), [1, 0]), ((2, 3, 4), [2, 0, 1]), ((2, 3, 4), [1, 2, 0]), ((2, 3, 4, 2), [0, 2, 3, 1]),
             ((2, 3, 4, 2), [3, 1, 0, 2]), ((2, 3, 4), [-1, 0, 1])]:
    add("permute", lambda x, p=p: x[0].permute(p), [randn(*s)], {"dims": p})

for s, d in [((1, 3, 1, 2), None), ((3, 1, 2), 1), ((3, 1, 2), 0), ((1, 4), -2), ((1,), None), ((2, 1), -1),
             ((1, 1), None)]:
    add("squeeze", lambda x, d=d: x[0].squeeze() if d is None else x[0].squeeze(d), [randn(*s)],
        {} if d is None else {"dim": d})

for s, d in [((3, 4), 0), ((3, 4), 1), ((3, 4), 2), ((3, 4), -1), ((3, 4), -3), ((), 0), ((5,), -1)]:
    add("unsqueeze", lambda x, d=d: x[0].unsqueeze(d), [randn(*s)], {"dim": d})

for s, d, st, ln in [((6,), 0, 1, 3), ((4, 5), 1, 2, 3), ((4, 5), 0, 0, 1), ((2, 3, 4), -1, 1, 2),
                     ((2, 3, 4), 1, 0, 3), ((3, 4), -2, 2, 0)]:
    add("narrow", lambda x, d=d, st=st, ln=ln: x[0].narrow(d, st, ln), [randn(*s)],
        {"dim": d, "start": st, "length": ln})

def slice_along(x, d, st, en, sp):
    idx = [slice(None)] * x.dim()
    idx[d] = slice(st, en, sp)
    return x[tuple(idx)]

for s, d, st, en, sp in [((3, 8), 1, 1, 7, 2), ((10,), 0, 0, 10, 3), ((10,), 0, 2, 5, 1), ((4, 5), 0, 1, 4, 1),
                         ((2, 6, 3), 1, 0, 6, 2), ((2, 6, 3), -1, 1, 3, 1), ((2, 3, 9), 2, 2, 9, 4),
                         ((5, 3), 0, 4, 5, 1)]:
    add("slice", lambda x, d=d, st=st, en=en, sp=sp: slice_along(x[0], d, st, en, sp), [randn(*s)],
        {"dim": d, "start": st, "end": en, "step": sp})

for shapes, d in [([(3,), (4,)], 0), ([(2, 3), (4, 3)], 0), ([(2, 3), (2, 1), (2, 2)], 1), ([(2, 3, 4), (2, 1, 4)], 1),
                  ([(2, 3, 4), (2, 3, 2)], -1), ([(1, 2), (1, 2), (1, 2)], 0)]:
    add("cat", lambda x, d=d: torch.cat(x, d), [randn(*s) for s in shapes], {"dim": d})

for s, n, d in [((3,), 2, 0), ((3,), 3, 1), ((2, 3), 2, 0), ((2, 3), 3, 1), ((2, 3), 2, 2), ((2, 3), 2, -1),
                ((), 3, 0), ((2, 1, 3), 2, -2)]:
    add("stack", lambda x, d=d: torch.stack(x, d), [randn(*s) for _ in range(n)], {"dim": d})

for s, size, d in [((7,), 3, 0), ((4, 6), 2, 1), ((4, 6), 4, 1), ((5, 3), 2, 0), ((2, 5, 3), 2, -2), ((6,), 6, 0)]:
    n = -(-s[d] // size)
    x = randn(*s)
    for i in range(n):
        add("split", lambda xs, size=size, d=d, i=i: torch.split(xs[0], size, d)[i], [x],
            {"size": size, "dim": d, "index": i},
            name=f"split_{shape_desc(s)}_size{size}_dim{d}_part{i}")

for s, pad, v in [((5,), [1, 2], 0.0), ((3, 4), [1, 1], 0.0), ((3, 4), [0, 2, 1, 0], 0.0), ((2, 3, 4), [1, 0, 2, 1], -1.5),
                  ((2, 2, 3), [0, 0, 0, 0, 1, 1], 0.0), ((2, 3, 2, 2), [1, 1, 1, 1], 0.5), ((2, 3), [0, 0], 0.0)]:
    add("pad", lambda x, pad=pad, v=v: F.pad(x[0], pad, value=v), [randn(*s)], {"pad": pad, "value": v})

for s, t in [((3, 1), [3, 4]), ((4,), [3, 4]), ((), [2, 3]), ((1,), [5]), ((2, 1, 3), [2, 4, 3]), ((1, 3, 1), [2, 2, 3, 4]),
             ((3, 1), [-1, 5]), ((3, 4), [3, 4])]:
    add("expand", lambda x, t=t: x[0].expand(t), [randn(*s)], {"shape": t})

for s, r in [((3,), [2]), ((3,), [2, 2]), ((2, 3), [2, 1]), ((2, 3), [1, 3]), ((2, 1, 2), [2, 2, 3]), ((2, 2), [1, 2, 2]),
             ((), [3])]:
    add("repeat", lambda x, r=r: x[0].repeat(r), [randn(*s)], {"repeats": r})

# ---------------------------------------------------------------- linear algebra

for sa, sb in [((4,), (4,)), ((3,), (3, 5)), ((4, 3), (3,)), ((3, 4), (4, 5)), ((1, 4), (4, 1)), ((5, 1), (1, 3)),
               ((2, 3, 4), (2, 4, 5)), ((2, 1, 3, 4), (5, 4, 2)), ((3, 4), (2, 4, 5)), ((2, 3, 4), (4, 2)),
               ((2, 3, 4), (4,)), ((4,), (2, 4, 3)), ((1, 3, 4), (3, 4, 2)), ((7, 9), (9, 6))]:
    add("matmul", lambda x: torch.matmul(x[0], x[1]), [randn(*sa), randn(*sb)])

for sa, sb in [((3,), (4,)), ((1,), (5,)), ((6,), (1,))]:
    add("outer", lambda x: torch.outer(x[0], x[1]), [randn(*sa), randn(*sb)])

# ---------------------------------------------------------------- indexing

def gather_case(s, d, idx_shape):
    x = randn(*s)
    dd = d % len(s)
    idx = ints(0, s[dd], *idx_shape)
    add("gather", lambda xs: torch.gather(xs[0], d, xs[1].long()), [x, idx], {"dim": d}, diff=[True, False])

gather_case((3, 4), 1, (3, 2))
gather_case((3, 4), 0, (2, 4))
gather_case((3, 4), -1, (3, 4))
gather_case((5,), 0, (7,))
gather_case((2, 3, 4), 2, (2, 3, 1))
gather_case((2, 3, 4), 1, (2, 5, 4))
gather_case((2, 3, 4), 0, (1, 2, 3))

for s, d, idx in [((5, 3), 0, [4, 0, 2, 2]), ((5, 3), 1, [2, 0]), ((6,), 0, [5, 1, 1, 3]), ((2, 3, 4), -1, [3, 0]),
                  ((2, 3, 4), 1, [1]), ((4, 2), 0, [0, 1, 2, 3, 3, 2])]:
    add("index_select", lambda xs, d=d: torch.index_select(xs[0], d, xs[1].long()),
        [randn(*s), torch.tensor(idx, dtype=torch.float64)], {"dim": d}, diff=[True, False])

for s, n in [((5,), 4), ((2, 3), 5), ((), 3), ((2, 2, 2), 3)]:
    add("one_hot", lambda xs, n=n: F.one_hot(xs[0].long(), n).double(), [ints(0, n, *s)], {"numClasses": n}, diff=False)

def scatter_case(s, d, src_shape, idx_shape=None):
    dd = d % len(s)
    add("scatter_add", lambda xs: xs[0].scatter_add(d, xs[1].long(), xs[2]),
        [randn(*s), ints(0, s[dd], *(idx_shape or src_shape)), randn(*src_shape)], {"dim": d}, diff=[True, False, True])

scatter_case((5,), 0, (8,))
scatter_case((3, 4), 1, (3, 4))
scatter_case((3, 4), 0, (3, 4))
scatter_case((3, 4), -1, (3, 6))
scatter_case((4, 3), 0, (6, 3))
scatter_case((2, 3, 4), 1, (2, 5, 4))
scatter_case((2, 3, 4), 2, (2, 3, 4))

# ---------------------------------------------------------------- write

os.makedirs(os.path.dirname(OUT), exist_ok=True)
doc = {
    "generator": "tests/reference/make.py",
    "torch": torch.__version__,
    "note": "grads[i] = d(sum(output * gradWeight))/d(inputs[i]); reference computed in float64 from the exact float32 inputs",
    "cases": cases,
}
with open(OUT, "w") as f:
    f.write("{\n")
    for k in ("generator", "torch", "note"):
        f.write(f"  {json.dumps(k)}: {json.dumps(doc[k])},\n")
    f.write('  "cases": [\n')
    f.write(",\n".join("    " + json.dumps(c, separators=(",", ":")) for c in cases))
    f.write("\n  ]\n}\n")

ops = sorted({c["op"] for c in cases})
print(f"{len(cases)} cases, {len(ops)} ops, {os.path.getsize(OUT)} bytes -> {os.path.relpath(OUT)}", file=sys.stderr)
