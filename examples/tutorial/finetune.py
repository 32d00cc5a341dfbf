"""Compresses the tutorial's dense LSTM in PyTorch, then fine-tunes the HT-LSTM.

    python3 finetune.py --dense DIR --out DIR2 [--epochs N]

Reads DIR/model.pt (the nn.LSTM state_dict train.py --model dense wrote),
compresses W_ih with ht_mlir.nn.compress_lstm (the compiler's own HSVD, as
ht-compress runs it: rows 8 x 8, columns 16 x 16, rank at most 8), prints the
accuracy before and after a few epochs of fine-tuning, and writes
DIR2/model.pt (ht_mlir.nn.save) and the test set for the C program.
"""

import argparse
import os

import torch

from ht_mlir import nn as htnn
from train import HIDDEN, SIDE, accuracy, datasets, save_test_set, train


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dense", required=True, help="folder of train.py --model dense")
    parser.add_argument("--out", required=True)
    parser.add_argument("--epochs", type=int, default=4)
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    train_x, train_y, test_x, test_y = datasets()

    dense = torch.nn.LSTM(SIDE * SIDE, HIDDEN)
    dense.load_state_dict(torch.load(os.path.join(args.dense, "model.pt"), weights_only=True))
    model, bound = htnn.compress_lstm(dense, [8, 8], [16, 16], max_rank=8)
    parameters = sum(p.numel() for p in model.weights["W_ih"].parameters())
    print(f"compressed W_ih: {parameters} parameters, relative error {bound:.3e}")
    print(f"accuracy after compression: {accuracy(model, test_x, test_y):.3f}")
    train(model, train_x, train_y, args.epochs, learning_rate=0.003)
    print(f"accuracy after fine-tuning: {accuracy(model, test_x, test_y):.3f}")

    os.makedirs(args.out, exist_ok=True)
    htnn.save(model, os.path.join(args.out, "model.pt"))
    save_test_set(args.out, test_x, test_y)


if __name__ == "__main__":
    main()
