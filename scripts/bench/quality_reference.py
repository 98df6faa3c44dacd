"""Reference scores for bench/quality.bench.ts: XGBoost `hist` and scikit-learn's LogisticRegression /
LinearRegression trained on exactly the matrices Orchard's pipeline produced (raw float64, column-major), so the
comparison is model against model (quality only; speed is bench/gbdt.bench.ts). Prints one JSON object.

Usage: /usr/bin/python3 quality_reference.py DIR NAME TASK N_TRAIN N_TEST N_FEATURES [CATEGORICAL]
  DIR/NAME.{train,test}.{x,y}.f64; TASK is binary or regression. CATEGORICAL, a comma-separated list of feature
  indices holding category codes, trains XGBoost with those features as categories (`enable_categorical`,
  its default category splits) and prints only its score.
"""
import json
import sys

import numpy as np
import sklearn
import xgboost as xgb
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import mean_squared_error, roc_auc_score


def load(path, rows, cols):
    data = np.fromfile(path, dtype=np.float64)
    return data.reshape(cols, rows).T.copy() if cols > 1 else data


def main():
    folder, name, task = sys.argv[1], sys.argv[2], sys.argv[3]
    n_train, n_test, n_features = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    x_train = load(f"{folder}/{name}.train.x.f64", n_train, n_features)
    y_train = load(f"{folder}/{name}.train.y.f64", n_train, 1)
    categorical = {int(i) for i in sys.argv[7].split(",")} if len(sys.argv) > 7 and sys.argv[7] else None
    x_test = load(f"{folder}/{name}.test.x.f64", n_test, n_features)
    y_test = load(f"{folder}/{name}.test.y.f64", n_test, 1)
    out = {"xgboost_version": xgb.__version__, "sklearn_version": sklearn.__version__}

    params = {
        "tree_method": "hist",
        "grow_policy": "lossguide",
        "max_depth": 0,
        "max_leaves": 31,
        "learning_rate": 0.1,
        "lambda": 1.0,
        "min_child_weight": 1.0,
        "max_bin": 255,
        "nthread": 2,
        "objective": "binary:logistic" if task == "binary" else "reg:squarederror",
        "seed": 0,
    }
    if categorical is not None:
        types = ["c" if i in categorical else "q" for i in range(n_features)]
        matrix = lambda x, y=None: xgb.DMatrix(x, label=y, feature_types=types, enable_categorical=True)
    else:
        matrix = lambda x, y=None: xgb.DMatrix(x, label=y)
    booster = xgb.train(params, matrix(x_train, y_train), num_boost_round=100)
    pred = booster.predict(matrix(x_test))
    if task == "binary":
        out["xgboost"] = float(roc_auc_score(y_test, pred))
    else:
        out["xgboost"] = float(np.sqrt(mean_squared_error(y_test, pred)))
    if categorical is not None:
        print(json.dumps(out))
        return

    if task == "binary":
        linear = LogisticRegression(C=1.0, max_iter=10000, tol=1e-8).fit(x_train, y_train)
        out["linear"] = float(roc_auc_score(y_test, linear.predict_proba(x_test)[:, 1]))
    else:
        linear = LinearRegression().fit(x_train, y_train)
        out["linear"] = float(np.sqrt(mean_squared_error(y_test, linear.predict(x_test))))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
