"""Writes an LSTM (I = 96, H = 40, HT W_ih, dense W_hh, dynamic T and B)
with random weights to the given .mlir path: large enough that every
parallel loop of the compiled code has several iterations."""
import sys

from ht_mlir import export
from ht_mlir.random_model import random_weights

config = {
    "kind": "lstm", "input_size": 96, "hidden_size": 40, "form": "stacked",
    "gate_activation": "sigmoid", "bias": True, "batch": None, "seq_len": None,
    "weights": {
        "W_ih": {"format": "ht", "row_modes": [4, 5, 8], "col_modes": [4, 4, 6],
                 "tree": "((0, 1), 2)", "leaf_ranks": [3, 4, 2], "node_ranks": [1, 3]},
        "W_hh": {"format": "dense"},
    },
}
export.write_mlir(config, random_weights(config, seed=7), sys.argv[1])
