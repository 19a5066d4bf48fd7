#!/usr/bin/env python3
"""Pairwise precision, recall and F1 of qreg's persons against a truth.

Usage: evaluate.py LINKS.csv (TRUTH.csv | --febrl [FEBRL.csv ...])
LINKS.csv is `qreg links` output (source,record_id,person_id). TRUTH.csv has the columns
source,record_id,person_id[,retracted] (retracted records are left out). With --febrl the truth
is read from FEBRL record ids: rec-N-org and rec-N-dup-K are the same person N; given the
FEBRL files, every record in them counts, and one that did not land (rejected) counts as a
person of its own, so its true pairs count as missed.
Prints one JSON object.
"""
import csv
import json
import sys
from collections import defaultdict


def pairs_of(groups):
    n = 0
    for members in groups.values():
        k = len(members)
        n += k * (k - 1) // 2
    return n


def main():
    if len(sys.argv) < 3 or (len(sys.argv) > 3 and sys.argv[2] != "--febrl"):
        sys.exit(__doc__)
    links = {}
    with open(sys.argv[1], newline="") as f:
        for row in csv.DictReader(f):
            links[(row["source"], row["record_id"])] = row["person_id"]
    truth = {}
    if sys.argv[2] == "--febrl":
        for key in links:
            parts = key[1].split("-")
            truth[key] = parts[1]
        for name in sys.argv[3:]:
            with open(name, newline="") as f:
                next(f)
                for line in f:
                    rec_id = line.split(",", 1)[0].strip()
                    key = ("febrl", rec_id)
                    truth[key] = rec_id.split("-")[1]
                    if key not in links:
                        links[key] = "missing:" + rec_id
    else:
        with open(sys.argv[2], newline="") as f:
            for row in csv.DictReader(f):
                if row.get("retracted", "0") == "1":
                    continue
                truth[(row["source"], row["record_id"])] = row["person_id"]
    keys = [k for k in truth if k in links]
    by_pred, by_true, by_both = defaultdict(list), defaultdict(list), defaultdict(list)
    for k in keys:
        by_pred[links[k]].append(k)
        by_true[truth[k]].append(k)
        by_both[(links[k], truth[k])].append(k)
    tp = pairs_of(by_both)
    predicted = pairs_of(by_pred)
    actual = pairs_of(by_true)
    precision = tp / predicted if predicted else 1.0
    recall = tp / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(json.dumps({"records": len(keys), "true_pairs": actual, "predicted_pairs": predicted,
                      "true_positives": tp, "precision": round(precision, 6),
                      "recall": round(recall, 6), "f1": round(f1, 6)}))


if __name__ == "__main__":
    main()
