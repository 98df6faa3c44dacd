#!/usr/bin/env python3
"""Reference timings and test AUCs for bench/gbdt.bench.ts: XGBoost `hist` and scikit-learn's
HistGradientBoostingClassifier trained on the same binary problem with the same trees, leaves and learning rate.

Usage: gbdt_reference.py DIR PREFIX N_TREES MAX_LEAVES LEARNING_RATE L2 MIN_SAMPLES_LEAF
Reads DIR/PREFIX.{train,test}.{x,y}.f64: raw little-endian float64, X column-major (features × rows, NaN =
missing), y 0/1. Prints one JSON object. Run with OMP_NUM_THREADS=2 (sklearn); XGBoost gets nthread=2.
Each time is the best of two fits and includes binning (XGBoost's DMatrix construction, sklearn's fit), as
Orchard's includes its own. XGBoost's lambda and sklearn's l2_regularization are set to L2 (Orchard's `l2`);
XGBoost keeps its min_child_weight=1 (it has no minimum row count), sklearn gets min_samples_leaf.
"""
import json
import os
import sys
import time

import numpy as np


def load(d, prefix, part):
    y = np.fromfile(os.path.join(d, f"{prefix}.{part}.y.f64"), dtype="<f8")
    x = np.fromfile(os.path.join(d, f"{prefix}.{part}.x.f64"), dtype="<f8")
    n = y.shape[0]
    X = np.ascontiguousarray(x.reshape(-1, n).T)
    return X, y


def main():
    d, prefix = sys.argv[1], sys.argv[2]
    n_trees, leaves, lr, l2, min_leaf = int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7])
    Xtr, ytr = load(d, prefix, "train")
    Xte, yte = load(d, prefix, "test")
    from sklearn.metrics import roc_auc_score

    out = {"rows": int(Xtr.shape[0]), "features": int(Xtr.shape[1])}

    import xgboost as xgb

    params = {
        "objective": "binary:logistic",
        "tree_method": "hist",
        "nthread": 2,
        "grow_policy": "lossguide",
        "max_leaves": leaves,
        "max_depth": 0,
        "eta": lr,
        "lambda": l2,
        "max_bin": 255,
        "min_child_weight": 1,
        "verbosity": 0,
    }
    best = None
    for _ in range(2):
        t = time.perf_counter()
        dtrain = xgb.DMatrix(Xtr, label=ytr, missing=np.nan, nthread=2)
        booster = xgb.train(params, dtrain, num_boost_round=n_trees)
        el = time.perf_counter() - t
        best = el if best is None else min(best, el)
    p = booster.predict(xgb.DMatrix(Xte, missing=np.nan, nthread=2))
    out["xgboost"] = {"seconds": best, "auc": float(roc_auc_score(yte, p)), "version": xgb.__version__}

    from sklearn.ensemble import HistGradientBoostingClassifier
    import sklearn

    best = None
    for _ in range(2):
        t = time.perf_counter()
        clf = HistGradientBoostingClassifier(
            max_iter=n_trees,
            learning_rate=lr,
            max_leaf_nodes=leaves,
            max_bins=255,
            l2_regularization=l2,
            min_samples_leaf=min_leaf,
            early_stopping=False,
            random_state=0,
        ).fit(Xtr, ytr)
        el = time.perf_counter() - t
        best = el if best is None else min(best, el)
    p = clf.predict_proba(Xte)[:, 1]
    out["sklearn"] = {"seconds": best, "auc": float(roc_auc_score(yte, p)), "version": sklearn.__version__}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
