#!/usr/bin/python3
"""Reference models for `npm run bench:ml -- --suite`: scikit-learn's random forest and XGBoost
(Debian's python3-sklearn / python3-xgboost) on exactly the encoded matrix and folds the
TypeScript side wrote. Prints {"sklearn_forest": {"foldAucs": [...], "fitSeconds": s}, "xgboost": ...}.

Usage: suite_reference.py <matrix.csv> <folds.csv>
  matrix.csv: header row, then one row per customer: label, then the encoded features.
  folds.csv:  one fold index per row.
"""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from xgboost import XGBClassifier


def main() -> None:
    data = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1, ndmin=2)
    folds = np.loadtxt(sys.argv[2], dtype=int)
    y = data[:, 0].astype(int)
    X = data[:, 1:]
    models = {
        # The reference settings (100 trees, min_samples_leaf 5; 200 rounds of depth 4).
        "sklearn_forest": lambda: RandomForestClassifier(
            n_estimators=100, min_samples_leaf=5, n_jobs=1, random_state=0
        ),
        "xgboost": lambda: XGBClassifier(
            n_estimators=200,
            max_depth=4,
            learning_rate=0.05,
            subsample=0.8,
            tree_method="hist",
            n_jobs=1,
            random_state=0,
            verbosity=0,
        ),
    }
    out = {}
    for name, make in models.items():
        aucs = []
        seconds = 0.0
        for k in sorted(set(folds.tolist())):
            train, test = folds != k, folds == k
            model = make()
            start = time.perf_counter()
            model.fit(X[train], y[train])
            seconds += time.perf_counter() - start
            aucs.append(float(roc_auc_score(y[test], model.predict_proba(X[test])[:, 1])))
        out[name] = {"foldAucs": aucs, "fitSeconds": seconds / len(aucs)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
