#!/usr/bin/python3
# scikit-learn reference fixtures for Nerva.Data.Preprocessing and Nerva.Data.Selection.
#
# Regenerate (from the repository root, with Debian's scikit-learn 1.2: apt-get install python3-sklearn):
#
#     /usr/bin/python3 tests/reference/make_sklearn.py
#
# Writes tests/Nerva.Tests/reference/fixtures/sklearn.json, read by the tests under
# tests/Nerva.Tests/Data/. The output is deterministic (fixed seeds), so regenerating without
# changing this script gives the same file.
#
# Data: iris (150x4) and the first 60 rows and 8 columns of breast cancer, plus a constant ninth
# column (a zero-variance feature), from sklearn's bundled CSV files (BSD licence); small seeded
# random data with NaNs for the imputer. Inputs are the float32 values Nerva sees, written exactly
# (the shortest decimal that round-trips through float32); sklearn computes in float64 from those
# same values; outputs are rounded to 8 significant digits. NaN is written as null.
#
# Layout: {"data": {name: matrix}, "cases": {name: {...}}}; a case's "input" names a
# matrix of "data" (each dataset is written once); matrices are {"shape": [r, c], "data": [...]} row-major.

import json
import os

import numpy as np
import scipy.stats
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split
from sklearn.preprocessing import (LabelEncoder, MinMaxScaler, Normalizer, OneHotEncoder,
                                   RobustScaler, StandardScaler)
from sklearn.impute import SimpleImputer
from sklearn.utils.class_weight import compute_class_weight

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Nerva.Tests", "reference", "fixtures", "sklearn.json")
DATA = "/usr/lib/python3/dist-packages/sklearn/datasets/data"

cases = {}


def exact32(v):
    v = float(v)
    return None if v != v else float(str(np.float32(v)))


def r8(v):
    v = float(v)
    if v != v:
        return None
    return 0.0 if v == 0 else float("%.8g" % v)


def mat(a, exact=False):
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 1:
        a = a.reshape(-1, 1) if exact else a
    f = exact32 if exact else r8
    return {"shape": list(a.shape), "data": [f(v) for v in a.reshape(-1)]}


def vec(a):
    return [r8(v) for v in np.asarray(a, dtype=np.float64).reshape(-1)]


def f32(a):
    """The float32 values Nerva reads, back in float64 for sklearn."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def load_csv(name):
    with open(os.path.join(DATA, name)) as f:
        header = f.readline().strip().split(",")
        rows = [line.strip().split(",") for line in f if line.strip()]
    x = np.array([[float(v) for v in r[:-1]] for r in rows])
    y = np.array([int(r[-1]) for r in rows])
    return header, f32(x), y


iris_header, iris_x, iris_y = load_csv("iris.csv")
iris_names = np.array(iris_header[2:])[iris_y]
_, bc_full, _ = load_csv("breast_cancer.csv")
bc_x = np.hstack([bc_full[:60, :8], np.full((60, 1), 1.5)])

datasets = {"iris": iris_x, "bc": bc_x}
zero_row = {}
for name, x in datasets.items():
    zero_row[name] = x.copy()
    zero_row[name][3, :] = 0  # for the normalizer: a zero row stays zero
data = {name: mat(x, exact=True) for name, x in datasets.items()}
data.update({name + "_zero_row": mat(x, exact=True) for name, x in zero_row.items()})

# ---------------------------------------------------------------- scalers

for dname, x in datasets.items():
    for with_mean, with_std in [(True, True), (False, True), (True, False)]:
        s = StandardScaler(with_mean=with_mean, with_std=with_std).fit(x)
        cases[f"standard_{dname}_{int(with_mean)}{int(with_std)}"] = {
            "input": dname, "withMean": with_mean, "withStd": with_std,
            "mean": vec(s.mean_), "var": vec(s.var_) if s.var_ is not None else None,
            "scale": vec(s.scale_) if s.scale_ is not None else None,
            "output": mat(s.transform(x))}

    for lo, hi in [(0, 1), (-1, 2)]:
        s = MinMaxScaler(feature_range=(lo, hi)).fit(x)
        cases[f"minmax_{dname}_{lo}_{hi}"] = {
            "input": dname, "min": lo, "max": hi,
            "dataMin": vec(s.data_min_), "dataMax": vec(s.data_max_),
            "scale": vec(s.scale_), "offset": vec(s.min_), "output": mat(s.transform(x))}

    for q in [(25.0, 75.0), (10.0, 90.0)]:
        s = RobustScaler(quantile_range=q).fit(x)
        cases[f"robust_{dname}_{int(q[0])}_{int(q[1])}"] = {
            "input": dname, "qMin": q[0], "qMax": q[1],
            "center": vec(s.center_), "scale": vec(s.scale_), "output": mat(s.transform(x))}

    for norm in ["l1", "l2", "max"]:
        cases[f"normalizer_{dname}_{norm}"] = {
            "input": dname + "_zero_row", "norm": norm,
            "output": mat(Normalizer(norm=norm).fit_transform(zero_row[dname]))}

# ---------------------------------------------------------------- encoders

labels = ["paris", "tokyo", "amsterdam", "paris", "Zurich", "berlin", "tokyo", "zurich", "Ångström"]
le = LabelEncoder().fit(labels)
cases["label_encoder"] = {"labels": labels, "classes": le.classes_.tolist(),
                          "output": vec(le.transform(labels))}
le = LabelEncoder().fit(iris_names)
cases["label_encoder_iris"] = {"labels": iris_names.tolist(), "classes": le.classes_.tolist(),
                               "output": vec(le.transform(iris_names))}

cat_train = [["red", "S", "yes"], ["green", "M", "no"], ["blue", "L", "yes"], ["green", "S", "no"],
             ["red", "XL", "no"], ["Red", "M", "yes"]]
cat_test = [["blue", "M", "no"], ["purple", "S", "yes"], ["red", "XXL", "maybe"]]
enc = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(cat_train)
cases["onehot_strings"] = {
    "train": cat_train, "test": cat_test,
    "categories": [c.tolist() for c in enc.categories_],
    "trainOutput": mat(enc.transform(cat_train)), "testOutput": mat(enc.transform(cat_test))}

num_train = np.column_stack([iris_y[::10], np.round(iris_x[::10, 3] * 2) / 2])
num_test = np.array([[0, 0.5], [2, 9.0], [7, 1.0]])
enc = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(num_train)
cases["onehot_numeric"] = {
    "train": mat(num_train, exact=True), "test": mat(num_test, exact=True),
    "categories": [vec(c) for c in enc.categories_],
    "trainOutput": mat(enc.transform(num_train)), "testOutput": mat(enc.transform(num_test))}

# ---------------------------------------------------------------- imputer

rng = np.random.RandomState(7)
imp_x = f32(np.round(rng.normal(size=(20, 4)) * 4) / 4)
imp_x[rng.rand(20, 4) < 0.25] = np.nan
imp_x[0, 0] = np.nan
imp_test = f32(np.array([[np.nan, 1.0, np.nan, 2.0], [0.5, np.nan, 3.0, np.nan]]))
for strategy in ["mean", "median", "most_frequent", "constant"]:
    imp = SimpleImputer(strategy=strategy, fill_value=-1.0 if strategy == "constant" else None).fit(imp_x)
    cases[f"imputer_{strategy}"] = {
        "input": mat(imp_x, exact=True), "test": mat(imp_test, exact=True), "strategy": strategy,
        "fillValue": -1.0, "statistics": vec(imp.statistics_),
        "output": mat(imp.transform(imp_x)), "testOutput": mat(imp.transform(imp_test))}

# ---------------------------------------------------------------- outliers (numpy/scipy formulas)

for dname, x in datasets.items():
    z = np.nan_to_num(np.abs(scipy.stats.zscore(x, axis=0, ddof=0)))
    q1, q3 = np.percentile(x, [25, 75], axis=0)
    iqr = q3 - q1
    inside = (x >= q1 - 1.5 * iqr) & (x <= q3 + 1.5 * iqr)
    cases[f"outliers_{dname}"] = {
        "input": dname, "threshold": 2.5,
        "zscoreKept": np.nonzero((z <= 2.5).all(axis=1))[0].tolist(),
        "iqrKept": np.nonzero(inside.all(axis=1))[0].tolist()}

# ---------------------------------------------------------------- selection
# Folds keep only the test indices: sklearn's train indices are the sorted complement.

imb = np.concatenate([iris_y[:120], [5, 5, 5]])  # classes 0, 1, 2, 5 with counts 50, 50, 20, 3
cases["class_weight"] = {"labels": imb.tolist(), "classes": np.unique(imb).tolist(),
                         "weights": vec(compute_class_weight("balanced", classes=np.unique(imb), y=imb))}

for n, k in [(23, 5), (10, 3), (150, 10)]:
    cases[f"kfold_{n}_{k}"] = {
        "n": n, "k": k,
        "testFolds": [te.tolist() for _, te in KFold(k).split(np.zeros(n))]}

rs = np.random.RandomState(3)
strat_sets = {"iris": iris_y, "imb": rs.permutation(imb), "mixed": rs.choice([0, 1, 1, 2, 2, 2], 31)}
for name, y in strat_sets.items():
    for k in [3, 5]:
        cases[f"stratified_kfold_{name}_{k}"] = {
            "labels": y.tolist(), "k": k,
            "testFolds": [te.tolist() for _, te in StratifiedKFold(k).split(np.zeros(len(y)), y)]}

sizes = []
for n in [10, 11, 150, 7, 1000]:
    for t in [0.1, 0.2, 0.25, 0.3, 0.33, 0.5]:
        tr, te = train_test_split(np.arange(n), test_size=t, random_state=0)
        sizes.append([n, t, len(tr), len(te)])
cases["split_sizes"] = {"rows": sizes}

with open(OUT, "w") as f:
    f.write("{\"data\": {\n")
    f.write(",\n".join(f"  {json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}" for k, v in data.items()))
    f.write("\n},\n\"cases\": {\n")
    f.write(",\n".join(f"  {json.dumps(k)}: {json.dumps(v, separators=(',', ':'), ensure_ascii=False)}"
                       for k, v in cases.items()))
    f.write("\n}}\n")
print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes)")
