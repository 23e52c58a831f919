"""Reference fixtures for Nerva's recurrent layers, from PyTorch 1.13 (Debian's python3-torch).

Regenerate from the repository root with:
    /usr/bin/python3 tests/reference/make_recurrent.py
Writes tests/Nerva.Tests/reference/fixtures/recurrent.json. Weights are in Keras layouts (LSTM kernel
[features, 4u], recurrent kernel [u, 4u], bias [4u], gates i, f, c, o); each case stores the input, the
weights, the output and the gradients of sum(output * w) with respect to the input and every weight.
The expected values come from the step written out in float64 (Keras's definition, including
go_backwards, which also returns the sequence in reversed order); for the default activations the
script first checks that torch.nn.LSTM, given the same weights, computes the same thing.
"""
import json
import os
import torch

torch.manual_seed(4321)
torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(__file__), "..", "Nerva.Tests", "reference", "fixtures", "recurrent.json")


def t(x):
    return {"shape": list(x.shape), "data": [float(f"{v:.7g}") for v in x.detach().double().flatten().tolist()]}


def rand(*shape, scale=1.0):
    return torch.round(torch.randn(*shape) * scale * 1000) / 1000


ACT = {
    "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu,
    "hard_sigmoid": lambda z: torch.clamp(z / 6 + 0.5, 0, 1), "linear": lambda z: z,
}

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


def lstm(x, kernel, recurrent, bias, units, act="tanh", rec_act="sigmoid", return_sequences=False, go_backwards=False):
    batch, steps, _ = x.shape
    h = torch.zeros(batch, units)
    c = torch.zeros(batch, units)
    outputs = []
    for step in range(steps):
        t_ = steps - 1 - step if go_backwards else step
        z = x[:, t_] @ kernel + h @ recurrent
        if bias is not None:
            z = z + bias
        i, f, g, o = z.split(units, dim=1)
        i, f, o = ACT[rec_act](i), ACT[rec_act](f), ACT[rec_act](o)
        c = f * c + i * ACT[act](g)
        h = o * ACT[act](c)
        outputs.append(h)
    return torch.stack(outputs, 1) if return_sequences else h


def check_against_torch_lstm(x, kernel, recurrent, bias, units):
    """torch.nn.LSTM holds the transposed kernels and two biases; with b_hh = 0 it must agree."""
    module = torch.nn.LSTM(x.shape[2], units, batch_first=True)
    with torch.no_grad():
        module.weight_ih_l0.copy_(kernel.t())
        module.weight_hh_l0.copy_(recurrent.t())
        module.bias_ih_l0.copy_(bias)
        module.bias_hh_l0.zero_()
    out, _ = module(x)
    mine = lstm(x, kernel, recurrent, bias, units, return_sequences=True)
    assert torch.allclose(out, mine, atol=1e-10), "the written-out LSTM disagrees with torch.nn.LSTM"


def lstm_case(name, batch, steps, features, units, **options):
    x = rand(batch, steps, features)
    kernel = rand(features, 4 * units, scale=0.5)
    recurrent = rand(units, 4 * units, scale=0.5)
    use_bias = options.pop("use_bias", True)
    bias = rand(4 * units, scale=0.5) if use_bias else None
    if use_bias and options.get("act", "tanh") == "tanh" and options.get("rec_act", "sigmoid") == "sigmoid":
        check_against_torch_lstm(x, kernel, recurrent, bias, units)
    config = {"units": units, "use_bias": use_bias,
              "activation": options.get("act", "tanh"), "recurrent_activation": options.get("rec_act", "sigmoid"),
              "return_sequences": options.get("return_sequences", False), "go_backwards": options.get("go_backwards", False)}
    weights = [kernel, recurrent] + ([bias] if use_bias else [])
    if use_bias:
        fn = lambda x, k, r, b: lstm(x, k, r, b, units, **options)
    else:
        fn = lambda x, k, r: lstm(x, k, r, None, units, **options)
    case(name, "LSTM", config, x, weights, fn)


lstm_case("lstm_last", 3, 5, 4, 6)
lstm_case("lstm_sequences", 3, 5, 4, 6, return_sequences=True)
lstm_case("lstm_backwards", 2, 6, 3, 5, go_backwards=True)
lstm_case("lstm_backwards_sequences", 2, 6, 3, 5, go_backwards=True, return_sequences=True)
lstm_case("lstm_no_bias", 3, 4, 5, 4, use_bias=False, return_sequences=True)
lstm_case("lstm_one_step", 4, 1, 3, 3)
# 17 and 40 units: the cell kernel's vector loop (16 floats) plus a scalar tail.
lstm_case("lstm_units_17", 2, 7, 3, 17, return_sequences=True)
lstm_case("lstm_units_40", 5, 12, 8, 40)
# Other activations take the unrolled path.
lstm_case("lstm_relu_hard_sigmoid", 3, 5, 4, 6, act="relu", rec_act="hard_sigmoid", return_sequences=True)
lstm_case("lstm_linear_backwards", 2, 4, 3, 5, act="linear", go_backwards=True)

with open(OUT, "w") as f:
    json.dump({"generator": "tests/reference/make_recurrent.py", "torch": torch.__version__, "cases": cases}, f)
print(f"wrote {len(cases)} cases to {OUT}")
