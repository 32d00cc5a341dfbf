"""Dimension trees of Hierarchical-Tucker matrices.

A dimension tree is a full binary tree whose leaves are the modes ``0..d-1``, each
exactly once, in any order (semantics section 2). It is written as nested pairs:
``((0,1),(2,3))``, ``(0,(1,(2,3)))``, ``((2,0),(3,1))``; whitespace is ignored and the
canonical text uses ``", "`` as separator.

Numbering convention, shared by the JSON description, the ``.npz`` keys and the MLIR
type: internal nodes are numbered in *preorder*, i.e. internal node ``i`` is the
``i``-th opening parenthesis of the written tree, so the root is internal node 0.
Leaves are numbered by their mode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple, Sequence, Union


@dataclass(frozen=True)
class Leaf:
    """A leaf of the tree: one mode of the matrix."""

    mode: int


@dataclass(frozen=True)
class Node:
    """An internal node with its two children in written (left, right) order."""

    left: Subtree
    right: Subtree


Subtree = Union[Leaf, Node]


class Child(NamedTuple):
    """Reference to a child: ``("leaf", mode)`` or ``("node", preorder index)``."""

    kind: str
    index: int


@dataclass(frozen=True)
class DimensionTree:
    """A validated dimension tree over the modes ``0..num_modes-1`` (``num_modes >= 2``)."""

    root: Node

    def __post_init__(self) -> None:
        if not isinstance(self.root, Node):
            raise ValueError("a dimension tree needs at least 2 modes")
        _check_leaves(self.leaf_order())

    @property
    def num_modes(self) -> int:
        return len(self.leaf_order())

    def leaf_order(self) -> tuple[int, ...]:
        """Modes of the leaves from left to right as written."""
        return tuple(_leaves(self.root))

    def internal_nodes(self) -> list[tuple[Child, Child]]:
        """``(left, right)`` children of every internal node, in preorder (root first)."""
        children: dict[int, tuple[Child, Child]] = {}
        next_index = 0

        def ref(subtree: Subtree) -> Child:
            nonlocal next_index
            if isinstance(subtree, Leaf):
                return Child("leaf", subtree.mode)
            index = next_index  # numbered before its children: preorder
            next_index += 1
            children[index] = (ref(subtree.left), ref(subtree.right))
            return Child("node", index)

        ref(self.root)
        return [children[index] for index in range(next_index)]

    def __str__(self) -> str:
        return format_tree(self)


def _leaves(subtree: Subtree) -> list[int]:
    if isinstance(subtree, Leaf):
        return [subtree.mode]
    return _leaves(subtree.left) + _leaves(subtree.right)


def _check_leaves(modes: Sequence[int]) -> None:
    """Raise unless ``modes`` is a permutation of ``0..len(modes)-1``."""
    seen: set[int] = set()
    for mode in modes:
        if mode in seen:
            raise ValueError(f"mode {mode} appears more than once")
        seen.add(mode)
    for mode in modes:
        if not 0 <= mode < len(modes):
            raise ValueError(
                f"mode {mode} is out of range: a tree with {len(modes)} leaves "
                f"uses the modes 0..{len(modes) - 1}"
            )


def format_tree(tree: DimensionTree) -> str:
    """Canonical text of ``tree``, e.g. ``((0, 1), (2, 3))``."""

    def text(subtree: Subtree) -> str:
        if isinstance(subtree, Leaf):
            return str(subtree.mode)
        return f"({text(subtree.left)}, {text(subtree.right)})"

    return text(tree.root)


_TOKEN = re.compile(r"[0-9]+|[(),]|\s+|.", re.DOTALL)


def _tokenize(text: str) -> list[tuple[str, int]]:
    """Split ``text`` into ``(token, position)`` pairs, dropping whitespace."""
    tokens: list[tuple[str, int]] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token.isspace():
            continue
        if not (token.isdigit() or token in "(),"):
            raise ValueError(f"unexpected character {token!r} at position {match.start()}")
        tokens.append((token, match.start()))
    return tokens


class _Parser:
    """Recursive-descent parser for ``subtree := MODE | '(' subtree (',' subtree)* ')'``.

    Any number of children is accepted syntactically so that a node with one or three
    children gets a message naming the node, rather than a bare syntax error.
    """

    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.cursor = 0
        self.internal_count = 0

    def next(self, expected: str) -> tuple[str, int]:
        if self.cursor >= len(self.tokens):
            raise ValueError(f"unexpected end of tree, expected {expected}")
        token = self.tokens[self.cursor]
        self.cursor += 1
        return token

    def tree(self) -> Subtree:
        if not self.tokens:
            raise ValueError("empty tree")
        root = self.subtree()
        if self.cursor != len(self.tokens):
            token, position = self.tokens[self.cursor]
            raise ValueError(f"unexpected {token!r} at position {position} after the end of the tree")
        return root

    def subtree(self) -> Subtree:
        token, position = self.next("a mode or '('")
        if token.isdigit():
            return Leaf(int(token))
        if token != "(":
            raise ValueError(f"unexpected {token!r} at position {position}, expected a mode or '('")
        index = self.internal_count
        self.internal_count += 1
        children = [self.subtree()]
        while True:
            token, position = self.next("',' or ')'")
            if token == ")":
                break
            if token != ",":
                raise ValueError(f"unexpected {token!r} at position {position}, expected ',' or ')'")
            children.append(self.subtree())
        if len(children) != 2:
            noun = "child" if len(children) == 1 else "children"
            raise ValueError(f"internal node {index} has {len(children)} {noun}, expected exactly 2")
        return Node(children[0], children[1])


def parse_tree(text: str, num_modes: int | None = None) -> DimensionTree:
    """Parse a written tree; with ``num_modes``, its leaves must be the modes ``0..num_modes-1``."""
    root = _Parser(text).tree()
    if not isinstance(root, Node):
        raise ValueError("a dimension tree needs at least 2 modes")
    leaf_count = len(_leaves(root))
    if num_modes is not None and leaf_count != num_modes:
        raise ValueError(f"tree has {leaf_count} leaves, expected {num_modes} (one per mode)")
    return DimensionTree(root)


def _as_tree(subtree: Subtree) -> DimensionTree:
    if not isinstance(subtree, Node):
        raise ValueError("a dimension tree needs at least 2 modes")
    return DimensionTree(subtree)


def balanced_tree(num_modes: int) -> DimensionTree:
    """Balanced tree over ``0..num_modes-1`` in order; a left half gets ``ceil(d/2)`` modes."""

    def build(modes: list[int]) -> Subtree:
        if len(modes) == 1:
            return Leaf(modes[0])
        half = (len(modes) + 1) // 2
        return Node(build(modes[:half]), build(modes[half:]))

    return _as_tree(build(list(range(max(num_modes, 1)))))


def left_deep_tree(num_modes: int) -> DimensionTree:
    """Degenerate tree ``(((0, 1), 2), 3)``: each internal node adds one mode on the right."""
    subtree: Subtree = Leaf(0)
    for mode in range(1, num_modes):
        subtree = Node(subtree, Leaf(mode))
    return _as_tree(subtree)


def right_deep_tree(num_modes: int) -> DimensionTree:
    """Degenerate tree ``(0, (1, (2, 3)))``: each internal node adds one mode on the left."""
    subtree: Subtree = Leaf(max(num_modes, 1) - 1)
    for mode in range(num_modes - 2, -1, -1):
        subtree = Node(Leaf(mode), subtree)
    return _as_tree(subtree)


def transfer_shapes(
    tree: DimensionTree, leaf_ranks: Sequence[int], node_ranks: Sequence[int]
) -> list[tuple[int, int, int]]:
    """Shape ``(r_left, r_right, r_node)`` of every transfer tensor, in preorder."""

    def rank(child: Child) -> int:
        return leaf_ranks[child.index] if child.kind == "leaf" else node_ranks[child.index]

    return [
        (rank(left), rank(right), node_ranks[index])
        for index, (left, right) in enumerate(tree.internal_nodes())
    ]
