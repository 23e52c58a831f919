"""Reference fixtures for Nerva's layers, from PyTorch 1.13 (Debian's python3-torch).

Regenerate from the repository root with:
    /usr/bin/python3 tests/reference/make_layers.py
Writes tests/Nerva.Tests/reference/fixtures/layers.json. Weights are given in Keras layouts
(Dense kernel [in, units]); the script maps them to PyTorch's ([units, in] for nn.Linear).
Each case stores the input, the weights, the output and the gradients of sum(output * w) with
respect to the input and to every weight.
"""
import json
import os
import torch
import torch.nn.functional as F

torch.manual_seed(1234)
OUT = os.path.join(os.path.dirname(__file__), "..", "Nerva.Tests", "reference", "fixtures", "layers.json")


def t(x):
    return {"shape": list(x.shape), "data": [float(f"{v:.7g}") for v in x.detach().double().flatten().tolist()]}


def rand(*shape):
    return torch.round(torch.randn(*shape) * 1000) / 1000


cases = []


def case(name, layer, config, inputs, weights, fn):
    x = inputs.clone().requires_grad_(True)
    ws = [w.clone().requires_grad_(True) for w in weights]
    y = fn(x, *ws)
    gw = rand(*y.shape)
    (y * gw).sum().backward()
    cases.append({
        "name": name, "layer": layer, "config": config,
        "input": t(inputs), "weights": [t(w) for w in weights],
        "output": t(y), "gradWeight": t(gw),
        "inputGrad": t(x.grad), "weightGrads": [t(w.grad) for w in ws],
    })


ACT = {
    "linear": lambda z: z, "relu": F.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
    "softmax": lambda z: F.softmax(z, -1), "elu": F.elu, "selu": F.selu, "gelu": F.gelu,
    "silu": F.silu, "softplus": F.softplus, "softsign": F.softsign,
    "hard_sigmoid": lambda z: F.relu6(z + 3) / 6, "leaky_relu": lambda z: F.leaky_relu(z, 0.2),
    "log_softmax": lambda z: F.log_softmax(z, -1),
}

for act in ACT:
    for shape in ([4, 5], [2, 3, 5]):
        kernel, bias = rand(5, 3), rand(3)
        case(f"dense_{act}_{len(shape)}d", "Dense", {"units": 3, "activation": act}, rand(*shape), [kernel, bias],
             lambda x, k, b, act=act: ACT[act](F.linear(x, k.t(), b)))

kernel = rand(6, 4)
case("dense_no_bias", "Dense", {"units": 4, "use_bias": False}, rand(3, 6), [kernel], lambda x, k: x @ k)

for shape, eps in (([4, 6], 1e-3), ([2, 3, 8], 1e-5)):
    gamma, beta = 1 + rand(shape[-1]) / 2, rand(shape[-1])
    case(f"layer_norm_{len(shape)}d", "LayerNormalization", {"epsilon": eps}, rand(*shape) * 2 + 0.5, [gamma, beta],
         lambda x, g, b, eps=eps: F.layer_norm(x, (x.shape[-1],), g, b, eps))

x = rand(3, 4)
case("repeat_vector", "RepeatVector", {"n": 3}, x, [], lambda x: x.unsqueeze(1).expand(3, 3, 4))
case("permute", "Permute", {"dims": [2, 1]}, rand(2, 3, 4), [], lambda x: x.permute(0, 2, 1))
case("flatten", "Flatten", {}, rand(2, 3, 4), [], lambda x: x.reshape(2, -1))
case("reshape", "Reshape", {"target_shape": [4, -1]}, rand(2, 3, 4), [], lambda x: x.reshape(2, 4, -1))

with open(OUT, "w") as f:
    json.dump({"generator": "tests/reference/make_layers.py", "torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
print(f"wrote {len(cases)} cases to {OUT}")
