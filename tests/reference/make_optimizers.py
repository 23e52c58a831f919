"""Reference fixtures for Nerva's optimizers: torch.optim steps with stored gradients.

Regenerate from the repository root with:
    /usr/bin/python3 tests/reference/make_optimizers.py
Needs Debian's python3-torch (PyTorch 1.13). Writes tests/Nerva.Tests/reference/fixtures/optimizers.json.

Each case starts two parameters (a [3, 4] matrix and a [5] vector) from stored values, sets p.grad to
a stored gradient (null: the parameter has no gradient at that step and must be skipped), applies
the clipping the config asks for in Nerva's order (global norm, per-parameter norm, value), steps
the torch optimizer (and its learning-rate scheduler, if any) and records the parameters after each
of the five steps. Config keys are Nerva's (Keras's) names; every value is a float32 written in its
shortest round-trip form, so C# reads exactly what torch used.
"""
import json
import os
import numpy as np
import torch

torch.manual_seed(11)
OUT = os.path.join(os.path.dirname(__file__), "..", "Nerva.Tests", "reference", "fixtures", "optimizers.json")
STEPS = 5
SHAPES = [(3, 4), (5,)]


def t(x):
    x = torch.as_tensor(x, dtype=torch.float32)
    return {"shape": list(x.shape), "data": [float(str(np.float32(v))) for v in x.flatten().tolist()]}


initial = [torch.randn(*s) for s in SHAPES]
grads = [[torch.randn(*s) * 0.5 for s in SHAPES] for _ in range(STEPS)]
cases = []


def case(name, kind, config, make, scheduler=None, skip=()):
    """skip: (step, parameter) pairs that get no gradient."""
    params = [torch.nn.Parameter(p.clone()) for p in initial]
    opt = make(params)
    sched = scheduler(opt) if scheduler else None
    steps, stored = [], []
    for s, g in enumerate(grads):
        row = []
        for i, (p, gi) in enumerate(zip(params, g)):
            p.grad = None if (s, i) in skip else gi.clone()
            row.append(None if p.grad is None else t(gi))
        stored.append(row)
        with_grad = [p for p in params if p.grad is not None]
        if "global_clip_norm" in config:
            torch.nn.utils.clip_grad_norm_(with_grad, config["global_clip_norm"])
        if "clip_norm" in config:  # Keras's clipnorm: g·c/max(‖g‖, c), per parameter
            c = torch.tensor(config["clip_norm"], dtype=torch.float32)
            for p in with_grad:
                p.grad.mul_(c / torch.maximum(p.grad.norm(), c))
        if "clip_value" in config:
            torch.nn.utils.clip_grad_value_(with_grad, config["clip_value"])
        opt.step()
        if sched:
            sched.step()
        steps.append([t(p) for p in params])
    cases.append({"name": name, "optimizer": kind, "config": config, "initial": [t(p) for p in initial],
                  "grads": stored, "steps": steps})


SGD, Adam, AdamW, RMSprop, Adagrad = (torch.optim.SGD, torch.optim.Adam, torch.optim.AdamW, torch.optim.RMSprop, torch.optim.Adagrad)

case("sgd", "sgd", {"learning_rate": 0.1}, lambda p: SGD(p, lr=0.1))
case("sgd_momentum", "sgd", {"learning_rate": 0.1, "momentum": 0.9}, lambda p: SGD(p, lr=0.1, momentum=0.9))
case("sgd_momentum_dampening", "sgd", {"learning_rate": 0.05, "momentum": 0.9, "dampening": 0.3},
     lambda p: SGD(p, lr=0.05, momentum=0.9, dampening=0.3))
case("sgd_nesterov_decay", "sgd", {"learning_rate": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.01},
     lambda p: SGD(p, lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01))
case("sgd_momentum_skip", "sgd", {"learning_rate": 0.1, "momentum": 0.9}, lambda p: SGD(p, lr=0.1, momentum=0.9),
     skip={(0, 1), (2, 0)})
case("sgd_clip_value", "sgd", {"learning_rate": 0.1, "clip_value": 0.3}, lambda p: SGD(p, lr=0.1))
case("sgd_global_clip_norm", "sgd", {"learning_rate": 0.1, "momentum": 0.5, "global_clip_norm": 0.8},
     lambda p: SGD(p, lr=0.1, momentum=0.5))
case("sgd_step_schedule", "sgd", {"learning_rate": 0.1, "momentum": 0.9, "schedule": {"step_size": 2, "factor": 0.5}},
     lambda p: SGD(p, lr=0.1, momentum=0.9), scheduler=lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.5))

case("adam", "adam", {"learning_rate": 0.01, "epsilon": 1e-7}, lambda p: Adam(p, lr=0.01, eps=1e-7))
case("adam_torch_defaults", "adam", {"learning_rate": 0.001, "epsilon": 1e-8}, lambda p: Adam(p))
case("adam_betas", "adam", {"learning_rate": 0.02, "beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-6},
     lambda p: Adam(p, lr=0.02, betas=(0.8, 0.99), eps=1e-6))
case("adam_amsgrad", "adam", {"learning_rate": 0.01, "epsilon": 1e-7, "amsgrad": True}, lambda p: Adam(p, lr=0.01, eps=1e-7, amsgrad=True))
case("adam_decay_global_clip", "adam", {"learning_rate": 0.01, "epsilon": 1e-7, "weight_decay": 0.1, "global_clip_norm": 0.5},
     lambda p: Adam(p, lr=0.01, eps=1e-7, weight_decay=0.1))
case("adam_clip_norm", "adam", {"learning_rate": 0.01, "epsilon": 1e-7, "clip_norm": 0.4}, lambda p: Adam(p, lr=0.01, eps=1e-7))
case("adam_skip", "adam", {"learning_rate": 0.01, "epsilon": 1e-7}, lambda p: Adam(p, lr=0.01, eps=1e-7), skip={(0, 1), (1, 1), (3, 0)})
case("adam_exponential_schedule", "adam", {"learning_rate": 0.01, "epsilon": 1e-7, "schedule": {"decay_steps": 1, "decay_rate": 0.8}},
     lambda p: Adam(p, lr=0.01, eps=1e-7), scheduler=lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.8))

case("adamw", "adamw", {"learning_rate": 0.01, "epsilon": 1e-7, "weight_decay": 0.05}, lambda p: AdamW(p, lr=0.01, eps=1e-7, weight_decay=0.05))
case("adamw_amsgrad_clip_value", "adamw", {"learning_rate": 0.01, "epsilon": 1e-7, "weight_decay": 0.2, "amsgrad": True, "clip_value": 0.25},
     lambda p: AdamW(p, lr=0.01, eps=1e-7, weight_decay=0.2, amsgrad=True))

case("rmsprop", "rmsprop", {"learning_rate": 0.01, "rho": 0.9, "epsilon": 1e-7}, lambda p: RMSprop(p, lr=0.01, alpha=0.9, eps=1e-7))
case("rmsprop_centered", "rmsprop", {"learning_rate": 0.01, "rho": 0.8, "epsilon": 1e-7, "centered": True},
     lambda p: RMSprop(p, lr=0.01, alpha=0.8, eps=1e-7, centered=True))
case("rmsprop_centered_momentum", "rmsprop", {"learning_rate": 0.01, "rho": 0.8, "epsilon": 1e-7, "centered": True, "momentum": 0.5},
     lambda p: RMSprop(p, lr=0.01, alpha=0.8, eps=1e-7, centered=True, momentum=0.5))
case("rmsprop_momentum_decay", "rmsprop", {"learning_rate": 0.005, "rho": 0.95, "epsilon": 1e-7, "momentum": 0.9, "weight_decay": 0.05},
     lambda p: RMSprop(p, lr=0.005, alpha=0.95, eps=1e-7, momentum=0.9, weight_decay=0.05))

case("adagrad", "adagrad", {"learning_rate": 0.1, "initial_accumulator_value": 0.1, "epsilon": 1e-7},
     lambda p: Adagrad(p, lr=0.1, initial_accumulator_value=0.1, eps=1e-7))
case("adagrad_decay_global_clip", "adagrad", {"learning_rate": 0.05, "initial_accumulator_value": 0.0, "epsilon": 1e-10, "weight_decay": 0.1,
                                              "global_clip_norm": 1.0},
     lambda p: Adagrad(p, lr=0.05, eps=1e-10, weight_decay=0.1))

with open(OUT, "w") as f:
    json.dump({"generator": "tests/reference/make_optimizers.py", "torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
print(f"wrote {len(cases)} optimizer cases to {OUT}")
