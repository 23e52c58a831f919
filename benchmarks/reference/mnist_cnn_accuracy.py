#!/usr/bin/env python3
# Usage: python3 benchmarks/reference/mnist_cnn_accuracy.py SEEDS [keras]   e.g. "0,1 keras"
# Needs python3-torch and dataset-fashion-mnist (Debian packages).
# The MnistCnn network in PyTorch, with its default initialisation or with Keras's ("keras": Glorot-uniform kernels, zero biases),
# Adam(1e-3, eps=1e-7), batch 64, 5 epochs: what this data gives for the same recipe.
import gzip, sys, numpy as np, torch, torch.nn as nn
torch.set_num_threads(2)
def load(name, offset):
    with gzip.open(f"/usr/share/datasets/fashion-mnist/{name}") as f: return np.frombuffer(f.read(), np.uint8, offset=offset)
xtr = torch.tensor(load("train-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28) / 255.0, dtype=torch.float32)
ytr = torch.tensor(load("train-labels-idx1-ubyte.gz", 8).astype(np.int64))
xte = torch.tensor(load("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28) / 255.0, dtype=torch.float32)
yte = torch.tensor(load("t10k-labels-idx1-ubyte.gz", 8).astype(np.int64))
keras_init = len(sys.argv) > 2 and sys.argv[2] == "keras"
for seed in [int(s) for s in sys.argv[1].split(",")]:
    torch.manual_seed(seed)
    net = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(64, 64, 3), nn.ReLU(), nn.Flatten(), nn.Linear(576, 64), nn.ReLU(), nn.Linear(64, 10))
    if keras_init:
        for m in net:
            if isinstance(m, (nn.Conv2d, nn.Linear)): nn.init.xavier_uniform_(m.weight); nn.init.zeros_(m.bias)
    opt = torch.optim.Adam(net.parameters(), 1e-3, eps=1e-7)
    for epoch in range(5):
        perm = torch.randperm(60000)
        for i in range(0, 60000, 64):
            idx = perm[i:i + 64]
            opt.zero_grad(); loss = nn.functional.cross_entropy(net(xtr[idx]), ytr[idx]); loss.backward(); opt.step()
        with torch.no_grad(): acc = (net(xte).argmax(1) == yte).float().mean().item()
        print(f"seed {seed} {'keras' if keras_init else 'torch'} init epoch {epoch + 1}: test accuracy {acc:.4f}", flush=True)
