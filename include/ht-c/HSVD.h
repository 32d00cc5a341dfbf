/*===- ht-c/HSVD.h - The hierarchical SVD for C callers -----------*- C -*-===*
 *
 * A plain C interface to mlir::ht::computeHSVD (ht/Compression/HSVD.h) in
 * libHTHSVD.so, so that tools outside C++ (the Python package, through
 * ctypes) compress with the very code ht-compress runs.
 *
 * Arrays are row-major doubles. Leaves are by mode, [m_k, n_k, r_k];
 * transfers by internal node in preorder, [r_left, r_right, r_node].
 *
 *===----------------------------------------------------------------------===*/

#ifndef HT_C_HSVD_H
#define HT_C_HSVD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HT_C_EXPORT __attribute__((visibility("default")))

typedef struct HTHSVDResult HTHSVDResult;

/* Compresses the rows x cols matrix `dense` (rows * cols values). `tree` is
 * written like "((0,1),(2,3))", or NULL for the balanced tree; num_modes is
 * 2 to 256; `max_rank` <= 0 means no cap. On success stores a result in
 * *result and returns 0; otherwise stores NULL there (when result is not
 * NULL), writes a message (truncated to error_size, if `error` is not NULL)
 * and returns 1. Sizes whose product overflows, non-finite entries, a norm
 * that overflows and a failed allocation are errors, not crashes. */
HT_C_EXPORT int htHSVD(const double *dense, int64_t rows, int64_t cols, int64_t num_modes,
           const int64_t *row_modes, const int64_t *col_modes,
           const char *tree, int64_t max_rank, double tolerance,
           HTHSVDResult **result, char *error, size_t error_size);

/* htHSVD with a parameter budget: at most `max_parameters` parameters, the
 * ranks chosen for the least error within it (0: no budget, as htHSVD). A
 * budget below the smallest HT matrix of the modes (every rank 1) is an
 * error naming that size. */
HT_C_EXPORT int htHSVDWithBudget(const double *dense, int64_t rows, int64_t cols,
           int64_t num_modes, const int64_t *row_modes, const int64_t *col_modes,
           const char *tree, int64_t max_rank, double tolerance,
           int64_t max_parameters, HTHSVDResult **result, char *error,
           size_t error_size);

/* The accessors return 0, or 1 for a NULL argument or an index out of range
 * (then nothing is written). */

/* The chosen ranks: leaf_ranks[num_modes], node_ranks[num_modes - 1]. */
HT_C_EXPORT int htHSVDRanks(const HTHSVDResult *result, int64_t *leaf_ranks,
                int64_t *node_ranks);
/* The canonical written tree, e.g. "((0, 1), (2, 3))" (truncated to size). */
HT_C_EXPORT int htHSVDTree(const HTHSVDResult *result, char *tree, size_t size);
/* Copies leaf `mode` (0 <= mode < num_modes) / transfer `node` (0 <= node <
 * num_modes - 1) into `values` (sized by the ranks). */
HT_C_EXPORT int htHSVDLeaf(const HTHSVDResult *result, int64_t mode, double *values);
HT_C_EXPORT int htHSVDTransfer(const HTHSVDResult *result, int64_t node, double *values);
/* The relative error bound (= the error of the factors, up to rounding);
 * -1 for a NULL result. */
HT_C_EXPORT double htHSVDRelativeErrorBound(const HTHSVDResult *result);
HT_C_EXPORT void htHSVDDestroy(HTHSVDResult *result);

#ifdef __cplusplus
}
#endif

#endif /* HT_C_HSVD_H */
