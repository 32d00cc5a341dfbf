"""Trains a two-layer bidirectional GRU with a linear head on the tutorial's task, then
compiles it with ht_mlir.compile and classifies the test set with the compiled model.

    python3 train_classifier.py --out DIR

The model is ``ht_mlir.nn.RecurrentClassifier(nn.GRU(256, 16, num_layers=2,
bidirectional=True, batch_first=True), nn.Linear(32, 4))``: the head reads the last
step of the GRU's output and gives four logits. Writes DIR/model.pt (the classifier's
whole state_dict, as one saves any PyTorch model), the test set batch-first as raw
float32 DIR/test_x.bin ([B, T, I]) and int32 DIR/test_labels.bin, and prints the
accuracy of PyTorch and of the compiled library on it.
"""

import argparse
import os
import time

import numpy as np
import torch

import ht_mlir
from ht_mlir import nn as htnn
from train import CLASSES, HIDDEN, SIDE, datasets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="folder for model.pt and the test set")
    parser.add_argument("--epochs", type=int, default=4)
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    train_x, train_y, test_x, test_y = datasets()
    # The task's sequences are time-major; this model takes batch-first ones.
    train_x, test_x = (np.ascontiguousarray(x.transpose(1, 0, 2)) for x in (train_x, test_x))

    model = htnn.RecurrentClassifier(
        torch.nn.GRU(SIDE * SIDE, HIDDEN, num_layers=2, bidirectional=True, batch_first=True),
        torch.nn.Linear(2 * HIDDEN, CLASSES))
    rng = np.random.default_rng(1)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    started = time.perf_counter()
    for epoch in range(args.epochs):
        order = rng.permutation(len(train_y))
        for batch in np.split(order, len(order) // 64):
            loss = torch.nn.functional.cross_entropy(
                model(torch.from_numpy(train_x[batch])), torch.from_numpy(train_y[batch]).long())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch + 1}: loss {loss.item():.3f}")
    print(f"trained in {time.perf_counter() - started:.0f} s")
    with torch.no_grad():
        logits = model(torch.from_numpy(test_x)).numpy()
    print(f"PyTorch test accuracy: {np.mean(logits.argmax(axis=1) == test_y):.3f}")

    # The same module, compiled to a native library and called on NumPy arrays.
    compiled = ht_mlir.compile(model, cache_dir=os.path.join(args.out, "cache"))
    compiled_logits = compiled(test_x)
    print(f"ht_mlir.compile test accuracy: {np.mean(compiled_logits.argmax(axis=1) == test_y):.3f}")
    print(f"largest logit difference: {np.abs(compiled_logits - logits).max():.1e}")

    os.makedirs(args.out, exist_ok=True)
    torch.save(model.state_dict(), os.path.join(args.out, "model.pt"))
    test_x.tofile(os.path.join(args.out, "test_x.bin"))
    test_y.tofile(os.path.join(args.out, "test_labels.bin"))


if __name__ == "__main__":
    main()
