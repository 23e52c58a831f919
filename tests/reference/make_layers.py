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
        "inputGrad": t(x.grad), "weightGrads": [t(w.grad) if w.grad is not None else None for w in ws],
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

# BatchNormalization on NHWC: PyTorch's BatchNorm2d works on NCHW, so permute around it.
# Keras updates the moving variance with the biased batch variance (PyTorch uses the unbiased one),
# so the expected moving statistics are computed by formula.
for training in (True, False):
    x = rand(3, 4, 5, 2) * 2 + 1
    gamma, beta = 1 + rand(2) / 2, rand(2)
    mean, var = torch.tensor([0.2, -0.1]), torch.tensor([1.5, 0.8])

    def bn(x, g, b, training=training, mean=mean, var=var):
        y = F.batch_norm(x.permute(0, 3, 1, 2), mean.clone(), var.clone(), g, b, training=training, momentum=0.01, eps=1e-3)
        return y.permute(0, 2, 3, 1)
    case(f"batch_norm_{'train' if training else 'infer'}", "BatchNormalization", {"training": training}, x, [gamma, beta, mean, var],
         lambda x, g, b, m, v, bn=bn: bn(x, g, b))
    flat = x.reshape(-1, 2)
    cases[-1]["movingAfter"] = [t(mean * 0.99 + flat.mean(0) * 0.01 if training else mean),
                                t(var * 0.99 + flat.var(0, unbiased=False) * 0.01 if training else var)]
    cases[-1]["weightGrads"] = cases[-1]["weightGrads"][:2]

x = rand(2, 3, 4, 5)
case("global_average_pooling2d", "GlobalAveragePooling2D", {}, x, [], lambda x: x.mean((1, 2)))
case("global_max_pooling2d", "GlobalMaxPooling2D", {}, x, [], lambda x: x.amax((1, 2)))
x1 = rand(2, 6, 3)
case("global_average_pooling1d", "GlobalAveragePooling1D", {}, x1, [], lambda x: x.mean(1))
case("global_max_pooling1d", "GlobalMaxPooling1D", {}, x1, [], lambda x: x.amax(1))
case("zero_padding2d", "ZeroPadding2D", {"top": 1, "bottom": 2, "left": 0, "right": 1}, x, [], lambda x: F.pad(x, (0, 0, 0, 1, 1, 2)))
case("cropping2d", "Cropping2D", {"top": 1, "bottom": 0, "left": 1, "right": 2}, rand(2, 4, 6, 3), [], lambda x: x[:, 1:, 1:-2, :])
case("up_sampling2d", "UpSampling2D", {"size_h": 2, "size_w": 3}, rand(2, 3, 2, 2), [],
     lambda x: F.interpolate(x.permute(0, 3, 1, 2), scale_factor=(2, 3), mode="nearest").permute(0, 2, 3, 1))

# Convolutions: NHWC images and HWIO kernels (Keras) mapped to PyTorch's NCHW / OIHW, with
# TensorFlow's "same" padding (the odd pixel at the bottom/right) applied explicitly.
import math


def tf_same(size, k, s, d):
    out = math.ceil(size / s)
    total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
    return total // 2, total - total // 2


def conv2d(x, k, b, s, padding, d, groups):
    xc = x.permute(0, 3, 1, 2)
    if padding == "same":
        top, bottom = tf_same(x.shape[1], k.shape[0], s, d)
        left, right = tf_same(x.shape[2], k.shape[1], s, d)
        xc = F.pad(xc, (left, right, top, bottom))
    return F.conv2d(xc, k.permute(3, 2, 0, 1), b, stride=s, dilation=d, groups=groups).permute(0, 2, 3, 1)


for (hw, c, f, k, s, padding, d, groups) in [((6, 6), 3, 4, 3, 1, "valid", 1, 1), ((7, 9), 2, 5, 3, 2, "same", 1, 1),
                                             ((8, 7), 4, 6, 5, 1, "same", 1, 2), ((9, 9), 3, 2, 3, 1, "valid", 2, 1),
                                             ((5, 6), 4, 4, 3, 2, "same", 1, 4), ((4, 5), 6, 3, 1, 1, "valid", 1, 1),
                                             ((7, 7), 2, 3, 2, 2, "valid", 1, 1)]:
    x = rand(2, hw[0], hw[1], c)
    kernel, bias = rand(k, k, c // groups, f) / 2, rand(f)
    case(f"conv2d_k{k}_s{s}_{padding}_d{d}_g{groups}", "Conv2D",
         {"filters": f, "kernel": k, "strides": s, "padding": padding, "dilation": d, "groups": groups}, x, [kernel, bias],
         lambda x, kk, bb, s=s, padding=padding, d=d, groups=groups: conv2d(x, kk, bb, s, padding, d, groups))

for (k, s, padding, d) in [(3, 1, "valid", 1), (3, 2, "same", 1), (2, 1, "causal", 2)]:
    x = rand(2, 9, 3)
    kernel, bias = rand(k, 3, 4) / 2, rand(4)

    def conv1d(x, kk, bb, k=k, s=s, padding=padding, d=d):
        xc = x.permute(0, 2, 1)
        if padding == "same":
            xc = F.pad(xc, tf_same(x.shape[1], k, s, d))
        elif padding == "causal":
            xc = F.pad(xc, ((k - 1) * d, 0))
        return F.conv1d(xc, kk.permute(2, 1, 0), bb, stride=s, dilation=d).permute(0, 2, 1)
    case(f"conv1d_k{k}_s{s}_{padding}_d{d}", "Conv1D", {"filters": 4, "kernel": k, "strides": s, "padding": padding, "dilation": d, "groups": 1},
         x, [kernel, bias], conv1d)

# Pooling with TensorFlow's geometry: "same" pads bottom/right first; max ignores the padding,
# average divides by the number of pixels inside the image (Keras).
def pool(x, k, s, padding, kind):
    xc = x.permute(0, 3, 1, 2)
    pads = (0, 0, 0, 0)
    if padding == "same":
        top, bottom = tf_same(x.shape[1], k, s, 1)
        left, right = tf_same(x.shape[2], k, s, 1)
        pads = (left, right, top, bottom)
    if kind == "max":
        y = F.max_pool2d(F.pad(xc, pads, value=float("-inf")), k, s)
    else:
        total = F.avg_pool2d(F.pad(xc, pads), k, s) * k * k
        count = F.avg_pool2d(F.pad(torch.ones_like(xc), pads), k, s) * k * k
        y = total / count
    return y.permute(0, 2, 3, 1)


for (hw, k, s, padding) in [((13, 13), 2, 2, "valid"), ((7, 9), 3, 2, "same"), ((6, 5), 2, 1, "valid"), ((5, 5), 2, 2, "same")]:
    x = rand(2, hw[0], hw[1], 3)
    for kind, layer in (("max", "MaxPooling2D"), ("avg", "AveragePooling2D")):
        case(f"{kind}_pool_k{k}_s{s}_{padding}_{hw[0]}x{hw[1]}", layer, {"pool_size": k, "strides": s, "padding": padding}, x, [],
             lambda x, k=k, s=s, padding=padding, kind=kind: pool(x, k, s, padding, kind))


# Conv2DTranspose: kernel [kh, kw, filters, C] (Keras). TensorFlow defines conv2d_transpose as the
# gradient, with respect to its input, of the conv2d (TF padding) that maps an output-sized image
# back to the input's size; that definition is computed literally here (a vector-Jacobian product
# with create_graph, so the result can itself be differentiated) and checked against PyTorch's
# conv_transpose2d cropped TensorFlow's way.
def pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def transposed_size(size, k, s, padding, op, d):
    k = (k - 1) * d + 1
    if op is None:
        return size * s + max(k - s, 0) if padding == "valid" else size * s
    return (size - 1) * s + (k if padding == "valid" else k % 2) + op


def conv2d_transpose(x, k, b, s, padding, op, d):
    (kh, kw), (sh, sw) = k.shape[:2], pair(s)
    oph, opw = pair(op) if op is not None else (None, None)
    out_h, out_w = transposed_size(x.shape[1], kh, sh, padding, oph, d), transposed_size(x.shape[2], kw, sw, padding, opw, d)
    z = torch.zeros(x.shape[0], out_h, out_w, k.shape[2], requires_grad=True)
    zc = z.permute(0, 3, 1, 2)
    if padding == "same":
        top, bottom = tf_same(out_h, kh, sh, d)
        left, right = tf_same(out_w, kw, sw, d)
        zc = F.pad(zc, (left, right, top, bottom))
    y = F.conv2d(zc, k.permute(3, 2, 0, 1), stride=(sh, sw), dilation=d).permute(0, 2, 3, 1)
    assert y.shape == x.shape, (y.shape, x.shape)
    (out,) = torch.autograd.grad(y, z, grad_outputs=x, create_graph=True)
    # Cross-check: PyTorch's own transposed convolution, padded/cropped to TensorFlow's window.
    full = F.conv_transpose2d(x.permute(0, 3, 1, 2), k.permute(3, 2, 0, 1), stride=(sh, sw), dilation=d)
    top = tf_same(out_h, kh, sh, d)[0] if padding == "same" else 0
    left = tf_same(out_w, kw, sw, d)[0] if padding == "same" else 0
    full = F.pad(full, (0, max(left + out_w - full.shape[3], 0), 0, max(top + out_h - full.shape[2], 0)))
    check = full[:, :, top:top + out_h, left:left + out_w].permute(0, 2, 3, 1)
    assert torch.allclose(out, check, atol=1e-5), "conv2d_transpose: the two definitions disagree"
    return out if b is None else out + b


for (hw, c, f, k, s, padding, op, d, bias) in [((5, 5), 3, 4, 3, 1, "valid", None, 1, True), ((4, 5), 2, 3, 3, 2, "same", None, 1, True),
                                                ((3, 4), 3, 2, 4, 2, "valid", None, 1, False), ((5, 3), 2, 3, 5, 2, "same", None, 1, True),
                                                ((4, 4), 3, 2, 1, 2, "valid", None, 1, True), ((3, 3), 2, 4, 2, 2, "same", None, 1, True),
                                                ((4, 3), 3, 2, 3, 2, "same", 1, 1, True), ((3, 5), 2, 3, 3, 2, "valid", 1, 1, False),
                                                ((3, 4), 2, 2, 4, 2, "same", 1, 1, True), ((5, 4), 2, 3, 3, 1, "same", None, 2, True),
                                                ((5, 4), 2, 3, [3, 2], [2, 1], "same", None, 1, True), ((4, 3), 3, 2, [2, 5], [3, 2], "valid", [2, 1], 1, True),
                                                ((2, 3), 1, 2, 5, 3, "same", None, 1, True)]:
    x = rand(2, hw[0], hw[1], c)
    kh, kw = pair(k)
    kernel = rand(kh, kw, f, c) / 2
    weights = [kernel, rand(f)] if bias else [kernel]
    name = f"conv2d_transpose_k{kh}x{kw}_s{'x'.join(map(str, pair(s)))}_{padding}_op{'none' if op is None else 'x'.join(map(str, pair(op)))}_d{d}_{hw[0]}x{hw[1]}"
    case(name + ("" if bias else "_nobias"), "Conv2DTranspose",
         {"filters": f, "kernel": k, "strides": s, "padding": padding, "output_padding": op, "dilation": d, "use_bias": bias}, x, weights,
         lambda x, kk, bb=None, s=s, padding=padding, op=op, d=d: conv2d_transpose(x, kk, bb, s, padding, op, d))


# DepthwiseConv2D: kernel [kh, kw, C, m]; TensorFlow's depthwise_conv2d gives output channel c·m + q
# the sum of input channel c times filter[:, :, c, q], written here as PyTorch's grouped
# convolution with weight [C·m, 1, kh, kw] row c·m + q = filter[:, :, c, q].
def depthwise(x, k, b, s, padding, d):
    kh, kw, c, m = k.shape
    xc = x.permute(0, 3, 1, 2)
    if padding == "same":
        top, bottom = tf_same(x.shape[1], kh, s, d)
        left, right = tf_same(x.shape[2], kw, s, d)
        xc = F.pad(xc, (left, right, top, bottom))
    w = k.permute(2, 3, 0, 1).reshape(c * m, 1, kh, kw)
    return F.conv2d(xc, w, b, stride=s, dilation=d, groups=c).permute(0, 2, 3, 1)


for (hw, c, k, s, padding, m, d, bias) in [((6, 6), 3, 3, 1, "valid", 1, 1, True), ((7, 8), 2, 3, 2, "same", 2, 1, True),
                                           ((8, 7), 3, 3, 1, "same", 2, 2, True), ((7, 7), 4, 5, 2, "valid", 1, 1, False),
                                           ((5, 6), 2, 2, 1, "same", 3, 1, True), ((9, 9), 2, 3, 1, "valid", 1, 2, True)]:
    x = rand(2, hw[0], hw[1], c)
    kernel = rand(k, k, c, m) / 2
    weights = [kernel, rand(c * m)] if bias else [kernel]
    case(f"depthwise_conv2d_k{k}_s{s}_{padding}_m{m}_d{d}" + ("" if bias else "_nobias"), "DepthwiseConv2D",
         {"kernel": k, "strides": s, "padding": padding, "depth_multiplier": m, "dilation": d, "use_bias": bias}, x, weights,
         lambda x, kk, bb=None, s=s, padding=padding, d=d: depthwise(x, kk, bb, s, padding, d))

# SeparableConv2D: the depthwise convolution, then a 1x1 convolution [1, 1, C·m, filters] and the bias.
for (hw, c, f, k, s, padding, m, d, bias) in [((6, 6), 3, 4, 3, 1, "valid", 1, 1, True), ((7, 8), 2, 5, 3, 2, "same", 2, 1, True),
                                              ((8, 8), 3, 2, 3, 1, "same", 1, 2, False)]:
    x = rand(2, hw[0], hw[1], c)
    dk, pk = rand(k, k, c, m) / 2, rand(1, 1, c * m, f) / 2
    weights = [dk, pk, rand(f)] if bias else [dk, pk]
    case(f"separable_conv2d_k{k}_s{s}_{padding}_m{m}_d{d}" + ("" if bias else "_nobias"), "SeparableConv2D",
         {"filters": f, "kernel": k, "strides": s, "padding": padding, "depth_multiplier": m, "dilation": d, "use_bias": bias}, x, weights,
         lambda x, dk, pk, bb=None, s=s, padding=padding, d=d:
             F.conv2d(depthwise(x, dk, None, s, padding, d).permute(0, 3, 1, 2), pk.permute(3, 2, 0, 1), bb).permute(0, 2, 3, 1))


# 1-D pooling over [N, steps, C] with TensorFlow's geometry, as the 2-D cases above.
def pool1d(x, k, s, padding, kind):
    xc = x.permute(0, 2, 1)
    pads = tf_same(x.shape[1], k, s, 1) if padding == "same" else (0, 0)
    if kind == "max":
        y = F.max_pool1d(F.pad(xc, pads, value=float("-inf")), k, s)
    else:
        y = F.avg_pool1d(F.pad(xc, pads), k, s) / F.avg_pool1d(F.pad(torch.ones_like(xc), pads), k, s)
    return y.permute(0, 2, 1)


for (steps, k, s, padding) in [(9, 2, 2, "valid"), (9, 3, 2, "same"), (8, 3, 1, "valid"), (7, 2, 1, "same"), (10, 3, 3, "same"), (11, 3, 2, "valid")]:
    x = rand(2, steps, 3)
    for kind, layer in (("max", "MaxPooling1D"), ("avg", "AveragePooling1D")):
        case(f"{kind}_pool1d_k{k}_s{s}_{padding}_{steps}", layer, {"pool_size": k, "strides": s, "padding": padding}, x, [],
             lambda x, k=k, s=s, padding=padding, kind=kind: pool1d(x, k, s, padding, kind))

with open(OUT, "w") as f:
    json.dump({"generator": "tests/reference/make_layers.py", "torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
print(f"wrote {len(cases)} cases to {OUT}")
