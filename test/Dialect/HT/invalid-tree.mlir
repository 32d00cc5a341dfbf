// RUN: ht-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{invalid dimension tree: the tree is a single leaf; an HT matrix needs at least 2 modes under an internal root}}
func.func @single_leaf() attributes {t = #ht.tree<0>} { return }

// -----

// expected-error @+1 {{invalid dimension tree: mode 2 is out of range; a tree with 2 leaves has modes 0..1}}
func.func @out_of_range() attributes {t = #ht.tree<(0, 2)>} { return }

// -----

// expected-error @+1 {{invalid dimension tree: mode 1 appears more than once; every mode must appear exactly once}}
func.func @repeated() attributes {t = #ht.tree<((0, 1), (1, 2))>} { return }

// -----

// expected-error @+1 {{dimension tree mode -1 is negative; modes are numbered from 0}}
func.func @negative() attributes {t = #ht.tree<(0, -1)>} { return }

// -----

// A node with three children is not a binary tree.
// expected-error @+1 {{expected ')'}}
func.func @ternary() attributes {t = #ht.tree<(0, 1, 2)>} { return }

// -----

// expected-error @+1 {{expected ','}}
func.func @unary() attributes {t = #ht.tree<((0), 1)>} { return }

// -----

// expected-error @+1 {{expected integer value}}
func.func @not_a_mode() attributes {t = #ht.tree<(0, x)>} { return }

// -----

// expected-error @+1 {{expected integer value}}
func.func @empty() attributes {t = #ht.tree<>} { return }
