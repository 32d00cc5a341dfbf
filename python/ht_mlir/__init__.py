"""ht-mlir Python side: dimension trees, the float64 reference, the exporters and the runtime.

Modules: :mod:`tree` (dimension trees, preorder node numbering), :mod:`reference`
(the numerical contract in float64), :mod:`model` (JSON descriptions and ``.npz``
naming), :mod:`emit` (MLIR text), :mod:`runtime` (``compile``: a model compiled by
``ht-compile`` and called through its C API), :mod:`nn` and :mod:`torch_export` (the
PyTorch bridge), :mod:`hsvd` and :mod:`compress_sweep` (compression), and the
command-line tools :mod:`export`, :mod:`random_model` and :mod:`reference_run`.
"""


def compile(model, **options):
    """``ht_mlir.runtime.compile``: compile ``model`` and return a callable
    :class:`ht_mlir.runtime.CompiledModel` (see that module)."""
    from .runtime import compile as compile_model
    return compile_model(model, **options)
