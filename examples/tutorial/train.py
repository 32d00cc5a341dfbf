"""Trains a small LSTM to tell which way a bar moves across 16x16 frames.

    python3 train.py --model ht    --out DIR   # an HT-LSTM (W_ih in HT form)
    python3 train.py --model dense --out DIR   # a dense torch.nn.LSTM

Each sequence is 12 noisy 16x16 frames (I = 256) of a bar moving left, right, up
or down. The class is read from the final hidden state: the largest of its first
four units (H = 16). Writes DIR/model.pt (ht_mlir.nn.save for --model ht, the
nn.LSTM state_dict for --model dense) and the held-out test set as raw float32
DIR/test_x.bin ([T, B, I], time-major) and int32 DIR/test_labels.bin, and prints
the PyTorch test accuracy. Seeded and single-threaded: the same numbers each run.
"""

import argparse
import os
import time

import numpy as np
import torch

from ht_mlir import nn as htnn

SIDE, STEPS, HIDDEN, CLASSES = 16, 12, 16, 4
TEST_SIZE = 256


def make_sequences(count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """[T, count, 256] frames of a faint 2-pixel bar in strong noise moving one pixel per step, and the direction."""
    labels = rng.integers(0, CLASSES, count)
    frames = rng.normal(0.0, 1.0, (STEPS, count, SIDE, SIDE)).astype(np.float32)
    starts = rng.integers(0, SIDE - STEPS - 1, count)
    for index, (label, start) in enumerate(zip(labels, starts)):
        for step in range(STEPS):
            # 0: right, 1: left, 2: down, 3: up
            position = start + step if label in (0, 2) else start + STEPS - step
            if label < 2:
                frames[step, index, :, position:position + 2] += 0.5
            else:
                frames[step, index, position:position + 2, :] += 0.5
    return frames.reshape(STEPS, count, SIDE * SIDE), labels.astype(np.int32)


def build(kind: str) -> torch.nn.Module:
    if kind == "dense":
        return torch.nn.LSTM(SIDE * SIDE, HIDDEN)
    # W_ih is [4H x I] = [64 x 256]: rows 4*4*2*2, columns 4*4*4*4, all ranks 4.
    return htnn.HTLSTM(SIDE * SIDE, HIDDEN, w_ih=htnn.ht_layout([4, 4, 2, 2], [4, 4, 4, 4], 4))


def final_hidden(model: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    _, (h_n, _) = model(x)
    return h_n.reshape(x.shape[1], HIDDEN)


def accuracy(model: torch.nn.Module, x: np.ndarray, labels: np.ndarray) -> float:
    with torch.no_grad():
        scores = final_hidden(model, torch.from_numpy(x))[:, :CLASSES]
    return float((scores.argmax(dim=1).numpy() == labels).mean())


def datasets() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The seeded training set (2048 sequences) and test set (256)."""
    rng = np.random.default_rng(0)
    train_x, train_y = make_sequences(2048, rng)
    test_x, test_y = make_sequences(TEST_SIZE, rng)
    return train_x, train_y, test_x, test_y


def train(model: torch.nn.Module, train_x: np.ndarray, train_y: np.ndarray, epochs: int,
          learning_rate: float = 0.01) -> None:
    """Adam on the cross-entropy of 4 x the first four units of h_T, batches of 64."""
    rng = np.random.default_rng(1)
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
    for epoch in range(epochs):
        order = rng.permutation(len(train_y))
        for batch in np.split(order, len(order) // 64):
            x = torch.from_numpy(train_x[:, batch])
            logits = 4.0 * final_hidden(model, x)[:, :CLASSES]
            loss = torch.nn.functional.cross_entropy(logits, torch.from_numpy(train_y[batch]).long())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch + 1}: loss {loss.item():.3f}")


def save_test_set(folder: str, test_x: np.ndarray, test_y: np.ndarray) -> None:
    test_x.tofile(os.path.join(folder, "test_x.bin"))
    test_y.tofile(os.path.join(folder, "test_labels.bin"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=("ht", "dense"), required=True)
    parser.add_argument("--out", required=True, help="folder for model.pt and the test set")
    parser.add_argument("--epochs", type=int, default=8)
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    train_x, train_y, test_x, test_y = datasets()

    model = build(args.model)
    w_ih = model.weight_ih_l0 if args.model == "dense" else model.weights["W_ih"]
    parameters = sum(p.numel() for p in (w_ih.parameters() if args.model == "ht" else [w_ih]))
    print(f"{args.model} LSTM: W_ih has {parameters} parameters (dense: {4 * HIDDEN * SIDE * SIDE})")
    started = time.perf_counter()
    train(model, train_x, train_y, args.epochs)
    print(f"trained in {time.perf_counter() - started:.0f} s")
    print(f"PyTorch test accuracy: {accuracy(model, test_x, test_y):.3f}")

    os.makedirs(args.out, exist_ok=True)
    if args.model == "ht":
        htnn.save(model, os.path.join(args.out, "model.pt"))
    else:
        torch.save(model.state_dict(), os.path.join(args.out, "model.pt"))
    save_test_set(args.out, test_x, test_y)


if __name__ == "__main__":
    main()
