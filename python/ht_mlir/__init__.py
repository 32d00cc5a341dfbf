"""ht-mlir Python side: dimension trees, the float64 reference, and the MLIR exporter.

Modules: :mod:`tree` (dimension trees, preorder node numbering), :mod:`reference`
(the numerical contract in float64), :mod:`model` (JSON descriptions and ``.npz``
naming), :mod:`emit` (MLIR text), and the command-line tools :mod:`export`,
:mod:`random_model` and :mod:`reference_run`.
"""
