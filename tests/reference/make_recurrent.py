"""Reference fixtures for Nerva's recurrent layers, from PyTorch 1.13 (Debian's python3-torch).

Regenerate from the repository root with:
    /usr/bin/python3 tests/reference/make_recurrent.py
Writes tests/Nerva.Tests/reference/fixtures/recurrent.json. Weights are in Keras layouts (LSTM kernel
[features, 4u], recurrent kernel [u, 4u], bias [4u], gates i, f, c, o; GRU kernel [features, 3u],
recurrent kernel [u, 3u], bias [2, 3u] with reset_after (input bias, recurrent bias) or [3u] without,
gates z, r, h; SimpleRNN kernel [features, u], recurrent kernel [u, u], bias [u]); each case stores the
input, the weights, the output and the gradients of sum(output * w) with respect to the input and every
weight. The expected values come from the step written out in float64 (Keras's definition, including
go_backwards, which also returns the sequence in reversed order); where PyTorch has the same cell
(torch.nn.LSTM, torch.nn.GRU with reset_after, torch.nn.RNN with tanh or relu) the script first checks
that it computes the same thing from the same weights.
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


def simple_rnn(x, kernel, recurrent, bias, units, act="tanh", return_sequences=False, go_backwards=False):
    batch, steps, _ = x.shape
    h = torch.zeros(batch, units)
    outputs = []
    for step in range(steps):
        t_ = steps - 1 - step if go_backwards else step
        z = x[:, t_] @ kernel + h @ recurrent
        if bias is not None:
            z = z + bias
        h = ACT[act](z)
        outputs.append(h)
    return torch.stack(outputs, 1) if return_sequences else h


def check_against_torch_rnn(x, kernel, recurrent, bias, units, act):
    """torch.nn.RNN holds the transposed kernels and two biases; with b_hh = 0 it must agree."""
    module = torch.nn.RNN(x.shape[2], units, nonlinearity=act, batch_first=True)
    with torch.no_grad():
        module.weight_ih_l0.copy_(kernel.t())
        module.weight_hh_l0.copy_(recurrent.t())
        module.bias_ih_l0.copy_(bias)
        module.bias_hh_l0.zero_()
    out, _ = module(x)
    mine = simple_rnn(x, kernel, recurrent, bias, units, act=act, return_sequences=True)
    assert torch.allclose(out, mine, atol=1e-10), "the written-out SimpleRNN disagrees with torch.nn.RNN"


def simple_rnn_case(name, batch, steps, features, units, **options):
    x = rand(batch, steps, features)
    kernel = rand(features, units, scale=0.5)
    # Scaled so that the recurrent product's norm stays near 1: without gates, a larger one amplifies rounding
    # through time and float32 cannot follow the float64 reference over 12 steps of 40 units.
    recurrent = rand(units, units, scale=units ** -0.5)
    use_bias = options.pop("use_bias", True)
    bias = rand(units, scale=0.5) if use_bias else None
    act = options.get("act", "tanh")
    if use_bias and act in ("tanh", "relu"):
        check_against_torch_rnn(x, kernel, recurrent, bias, units, act)
    config = {"units": units, "use_bias": use_bias, "activation": act,
              "return_sequences": options.get("return_sequences", False), "go_backwards": options.get("go_backwards", False)}
    weights = [kernel, recurrent] + ([bias] if use_bias else [])
    if use_bias:
        fn = lambda x, k, r, b: simple_rnn(x, k, r, b, units, **options)
    else:
        fn = lambda x, k, r: simple_rnn(x, k, r, None, units, **options)
    case(name, "SimpleRNN", config, x, weights, fn)


def gru(x, kernel, recurrent, bias, units, act="tanh", rec_act="sigmoid", reset_after=True,
        return_sequences=False, go_backwards=False):
    """Keras's GRU step: gates z (update), r (reset), h (candidate); h = z * h_prev + (1 - z) * candidate."""
    batch, steps, _ = x.shape
    h = torch.zeros(batch, units)
    if bias is None:
        input_bias = recurrent_bias = torch.zeros(3 * units)
    elif reset_after:
        input_bias, recurrent_bias = bias[0], bias[1]
    else:
        input_bias, recurrent_bias = bias, torch.zeros(3 * units)
    outputs = []
    for step in range(steps):
        t_ = steps - 1 - step if go_backwards else step
        x_z, x_r, x_h = (x[:, t_] @ kernel + input_bias).split(units, dim=1)
        u_z, u_r, u_h = recurrent.split(units, dim=1)
        b_z, b_r, b_h = recurrent_bias.split(units)
        z = ACT[rec_act](x_z + h @ u_z + b_z)
        r = ACT[rec_act](x_r + h @ u_r + b_r)
        if reset_after:
            candidate = ACT[act](x_h + r * (h @ u_h + b_h))
        else:
            candidate = ACT[act](x_h + (r * h) @ u_h)
        h = z * h + (1 - z) * candidate
        outputs.append(h)
    return torch.stack(outputs, 1) if return_sequences else h


def check_against_torch_gru(x, kernel, recurrent, bias, units):
    """torch.nn.GRU orders its gates r, z, n (Keras z, r, h) and holds the transposed kernels."""
    def to_torch(m):
        z, r, n = m.split(units, dim=-1)
        return torch.cat([r, z, n], dim=-1)
    module = torch.nn.GRU(x.shape[2], units, batch_first=True)
    with torch.no_grad():
        module.weight_ih_l0.copy_(to_torch(kernel).t())
        module.weight_hh_l0.copy_(to_torch(recurrent).t())
        module.bias_ih_l0.copy_(to_torch(bias[0]))
        module.bias_hh_l0.copy_(to_torch(bias[1]))
    out, _ = module(x)
    mine = gru(x, kernel, recurrent, bias, units, return_sequences=True)
    assert torch.allclose(out, mine, atol=1e-10), "the written-out GRU disagrees with torch.nn.GRU"


def gru_case(name, batch, steps, features, units, **options):
    x = rand(batch, steps, features)
    kernel = rand(features, 3 * units, scale=0.5)
    recurrent = rand(units, 3 * units, scale=0.5)
    use_bias = options.pop("use_bias", True)
    reset_after = options.get("reset_after", True)
    bias = (rand(2, 3 * units, scale=0.5) if reset_after else rand(3 * units, scale=0.5)) if use_bias else None
    act, rec_act = options.get("act", "tanh"), options.get("rec_act", "sigmoid")
    if use_bias and reset_after and act == "tanh" and rec_act == "sigmoid":
        check_against_torch_gru(x, kernel, recurrent, bias, units)
    config = {"units": units, "use_bias": use_bias, "activation": act, "recurrent_activation": rec_act,
              "reset_after": reset_after,
              "return_sequences": options.get("return_sequences", False), "go_backwards": options.get("go_backwards", False)}
    weights = [kernel, recurrent] + ([bias] if use_bias else [])
    if use_bias:
        fn = lambda x, k, r, b: gru(x, k, r, b, units, **options)
    else:
        fn = lambda x, k, r: gru(x, k, r, None, units, **options)
    case(name, "GRU", config, x, weights, fn)


# Appended after the LSTM cases so that their random draws stay the same.
simple_rnn_case("simple_rnn_last", 3, 5, 4, 6)
simple_rnn_case("simple_rnn_sequences", 3, 5, 4, 6, return_sequences=True)
simple_rnn_case("simple_rnn_backwards", 2, 6, 3, 5, go_backwards=True)
simple_rnn_case("simple_rnn_backwards_sequences", 2, 6, 3, 5, go_backwards=True, return_sequences=True)
simple_rnn_case("simple_rnn_no_bias", 3, 4, 5, 4, use_bias=False, return_sequences=True)
simple_rnn_case("simple_rnn_one_step", 4, 1, 3, 3)
simple_rnn_case("simple_rnn_units_17", 2, 7, 3, 17, return_sequences=True)
simple_rnn_case("simple_rnn_units_40", 5, 12, 8, 40)
simple_rnn_case("simple_rnn_relu", 3, 5, 4, 6, act="relu", return_sequences=True)
simple_rnn_case("simple_rnn_relu_units_17_backwards", 2, 6, 3, 17, act="relu", go_backwards=True)
# Other activations take the unrolled path.
simple_rnn_case("simple_rnn_sigmoid_backwards", 2, 4, 3, 5, act="sigmoid", go_backwards=True, return_sequences=True)

gru_case("gru_last", 3, 5, 4, 6)
gru_case("gru_sequences", 3, 5, 4, 6, return_sequences=True)
gru_case("gru_backwards", 2, 6, 3, 5, go_backwards=True)
gru_case("gru_backwards_sequences", 2, 6, 3, 5, go_backwards=True, return_sequences=True)
gru_case("gru_no_bias", 3, 4, 5, 4, use_bias=False, return_sequences=True)
gru_case("gru_one_step", 4, 1, 3, 3)
gru_case("gru_units_17", 2, 7, 3, 17, return_sequences=True)
gru_case("gru_units_40", 5, 12, 8, 40)
gru_case("gru_relu_hard_sigmoid", 3, 5, 4, 6, act="relu", rec_act="hard_sigmoid", return_sequences=True)
# reset_after=False (Keras 1's GRU): the reset gate scales h before the recurrent product; one bias [3u].
gru_case("gru_reset_before", 3, 5, 4, 6, reset_after=False, return_sequences=True)
gru_case("gru_reset_before_backwards_no_bias", 2, 6, 3, 5, reset_after=False, use_bias=False, go_backwards=True)
gru_case("gru_reset_before_units_17", 2, 7, 3, 17, reset_after=False)

with open(OUT, "w") as f:
    json.dump({"generator": "tests/reference/make_recurrent.py", "torch": torch.__version__, "cases": cases}, f)
print(f"wrote {len(cases)} cases to {OUT}")
