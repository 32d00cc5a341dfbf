// RUN: ht-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{element type must be a floating-point type, got 'i32'}}
func.func @int_elements(%w: !ht.matrix<[2, 2] x [3, 3], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], i32>) { return }

// -----

// expected-error @+1 {{row modes list 3 sizes; expected 2 (one per leaf of the tree (0, 1))}}
func.func @row_count(%w: !ht.matrix<[2, 2, 2] x [3, 3], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>) { return }

// -----

// expected-error @+1 {{column modes list 1 sizes; expected 2 (one per leaf of the tree (0, 1))}}
func.func @col_count(%w: !ht.matrix<[2, 2] x [3], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>) { return }

// -----

// expected-error @+1 {{leaf_ranks has 3 entries; expected 2 (one per mode)}}
func.func @leaf_rank_count(%w: !ht.matrix<[2, 2] x [3, 3], tree = (0, 1), leaf_ranks = [1, 1, 1], node_ranks = [1], f32>) { return }

// -----

// expected-error @+1 {{node_ranks has 1 entries; expected 2 (one per internal node, in preorder)}}
func.func @node_rank_count(%w: !ht.matrix<[2, 2, 2] x [3, 3, 3], tree = ((0, 1), 2), leaf_ranks = [1, 1, 1], node_ranks = [1], f32>) { return }

// -----

// expected-error @+1 {{row modes[1] is 0; mode sizes must be at least 1}}
func.func @zero_row_mode(%w: !ht.matrix<[2, 0] x [3, 3], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>) { return }

// -----

// expected-error @+1 {{column modes[0] is -3; mode sizes must be at least 1}}
func.func @negative_col_mode(%w: !ht.matrix<[2, 2] x [-3, 3], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>) { return }

// -----

// expected-error @+1 {{leaf_ranks[1] is 0; ranks must be at least 1}}
func.func @zero_leaf_rank(%w: !ht.matrix<[2, 2] x [3, 3], tree = (0, 1), leaf_ranks = [1, 0], node_ranks = [1], f32>) { return }

// -----

// expected-error @+1 {{node_ranks[1] is 0; ranks must be at least 1}}
func.func @zero_node_rank(%w: !ht.matrix<[2, 2, 2] x [3, 3, 3], tree = ((0, 1), 2), leaf_ranks = [1, 1, 1], node_ranks = [1, 0], f32>) { return }

// -----

// expected-error @+1 {{node_ranks[0] (the root's rank) is 4; expected 1}}
func.func @root_rank(%w: !ht.matrix<[2, 2] x [3, 3], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [4], f32>) { return }

// -----

// expected-error @+1 {{the matrix has more than 2^63 elements}}
func.func @too_many_elements(%w: !ht.matrix<[1048576, 1048576] x [1048576, 1048576], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>) { return }

// -----

// expected-error @+1 {{the factors have more than 2^63 elements}}
func.func @huge_factors(%w: !ht.matrix<[2, 2] x [3, 3], tree = (0, 1), leaf_ranks = [4294967296, 4294967296], node_ranks = [1], f32>) { return }

// -----

// expected-error @+1 {{invalid dimension tree: mode 2 is out of range; a tree with 2 leaves has modes 0..1}}
func.func @bad_tree(%w: !ht.matrix<[2, 2] x [3, 3], tree = (0, 2), leaf_ranks = [1, 1], node_ranks = [1], f32>) { return }

// -----

// expected-error @+1 {{expected 'tree'}}
func.func @missing_tree(%w: !ht.matrix<[2, 2] x [3, 3], leaf_ranks = [1, 1], node_ranks = [1], f32>) { return }

// -----

// expected-error @+2 {{expected integer value}}
// expected-error @+1 {{failed to parse HT_MatrixType parameter 'rowModes'}}
func.func @bad_mode_list(%w: !ht.matrix<[2, a] x [3, 3], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>) { return }
