//===- HSVDCApiTest.cpp - The HSVD's C interface ---------------------------===//

#include "ht-c/HSVD.h"

#include "gtest/gtest.h"

#include <string>
#include <vector>

namespace {

TEST(HSVDCApi, CompressesAndHandsBackTheFactors) {
  // kron([[1, 2], [3, 4]], [[0.5, -1], [2, 0.25]]): ranks 1 with modes 2x2 by 2x2.
  std::vector<double> dense = {0.5, -1, 1, -2, 2, 0.25, 4, 0.5,
                               1.5, -3, 2, -4, 6, 0.75, 8, 1};
  int64_t modes[] = {2, 2};
  HTHSVDResult *result = nullptr;
  char error[128] = "";
  ASSERT_EQ(htHSVD(dense.data(), 4, 4, 2, modes, modes, "(0,1)", 0, 0.0,
                   &result, error, sizeof(error)),
            0)
      << error;
  int64_t leafRanks[2], nodeRanks[1];
  htHSVDRanks(result, leafRanks, nodeRanks);
  EXPECT_EQ(leafRanks[0], 1);
  EXPECT_EQ(leafRanks[1], 1);
  EXPECT_EQ(nodeRanks[0], 1);
  char tree[32];
  htHSVDTree(result, tree, sizeof(tree));
  EXPECT_STREQ(tree, "(0, 1)");
  // U0 (unit vector along [1, 2, 3, 4]) * B * U1 rebuilds the matrix.
  double u0[4], u1[4], b[1];
  htHSVDLeaf(result, 0, u0);
  htHSVDLeaf(result, 1, u1);
  htHSVDTransfer(result, 0, b);
  for (int i0 = 0; i0 < 2; ++i0)
    for (int i1 = 0; i1 < 2; ++i1)
      for (int j0 = 0; j0 < 2; ++j0)
        for (int j1 = 0; j1 < 2; ++j1)
          EXPECT_NEAR(u0[i0 * 2 + j0] * b[0] * u1[i1 * 2 + j1],
                      dense[(i0 * 2 + i1) * 4 + j0 * 2 + j1], 1e-12);
  EXPECT_LT(htHSVDRelativeErrorBound(result), 1e-12);
  htHSVDDestroy(result);
}

TEST(HSVDCApi, HonoursAParameterBudget) {
  // An 8 x 8 matrix of full rank over modes [2, 4] x [4, 2]: every budget is
  // met, a larger one buys a smaller error, and one below every-rank-1
  // (8 + 8 + 1 = 17 parameters) is refused with that size.
  std::vector<double> dense(64);
  for (int i = 0; i < 64; ++i)
    dense[i] = double((i * 37) % 11) - 5.0 + 0.1 * i;
  int64_t rows[] = {2, 4}, cols[] = {4, 2};
  double previous = 2.0;
  for (int64_t budget : {17, 40, 80}) {
    HTHSVDResult *result = nullptr;
    char error[256] = "";
    ASSERT_EQ(htHSVDWithBudget(dense.data(), 8, 8, 2, rows, cols, nullptr, 0,
                               0.0, budget, &result, error, sizeof(error)),
              0)
        << error;
    int64_t leafRanks[2], nodeRanks[1];
    htHSVDRanks(result, leafRanks, nodeRanks);
    EXPECT_LE(8 * leafRanks[0] + 8 * leafRanks[1] + leafRanks[0] * leafRanks[1],
              budget);
    double bound = htHSVDRelativeErrorBound(result);
    EXPECT_LT(bound, previous);
    previous = bound;
    htHSVDDestroy(result);
  }
  HTHSVDResult *result = nullptr;
  char error[256];
  EXPECT_EQ(htHSVDWithBudget(dense.data(), 8, 8, 2, rows, cols, nullptr, 0, 0.0,
                             16, &result, error, sizeof(error)),
            1);
  EXPECT_EQ(result, nullptr);
  EXPECT_STREQ(error, "a budget of 16 parameters is below the smallest HT "
                      "matrix of row modes [2, 4], column modes [4, 2] and "
                      "tree (0, 1): 17 parameters (every rank 1)");
  EXPECT_EQ(htHSVDWithBudget(dense.data(), 8, 8, 2, rows, cols, nullptr, 0, 0.0,
                             -3, &result, error, sizeof(error)),
            1);
  EXPECT_STREQ(error, "max_parameters is -3; expected a budget >= 1, or 0 for "
                      "none");
}

TEST(HSVDCApi, ReportsErrorsAndTruncatesTheMessage) {
  std::vector<double> dense(16, 1.0);
  int64_t rows[] = {2, 3}, cols[] = {2, 2};
  HTHSVDResult *result = nullptr;
  char error[128];
  EXPECT_EQ(htHSVD(dense.data(), 4, 4, 2, rows, cols, nullptr, 0, 0.0, &result,
                   error, sizeof(error)),
            1);
  EXPECT_STREQ(error, "row modes [2, 3] multiply to 6, expected 4 (the "
                      "matrix's rows)");
  EXPECT_EQ(result, nullptr);
  char small[10];
  EXPECT_EQ(htHSVD(dense.data(), 4, 4, 2, cols, cols, "((0,1)", 0, 0.0,
                   &result, small, sizeof(small)),
            1);
  EXPECT_EQ(std::string(small), "tree: the"); // 9 characters and the NUL
  EXPECT_EQ(htHSVD(nullptr, 4, 4, 2, cols, cols, nullptr, 0, 0.0, &result,
                   error, sizeof(error)),
            1);
  EXPECT_STREQ(error, "dense, row_modes, col_modes and result must not be NULL");
  EXPECT_EQ(htHSVD(dense.data(), 4, 4, 300, cols, cols, nullptr, 0, 0.0,
                   &result, error, sizeof(error)),
            1);
  EXPECT_STREQ(error, "num_modes is 300; expected 2 to 256");
  EXPECT_EQ(htHSVD(dense.data(), int64_t(1) << 32, int64_t(1) << 32, 2, cols,
                   cols, nullptr, 0, 0.0, &result, error, sizeof(error)),
            1);
  EXPECT_STREQ(error, "the matrix is 4294967296 x 4294967296; expected "
                      "positive sizes whose product fits in 64 bits");
  EXPECT_EQ(htHSVD(dense.data(), 0, 4, 2, cols, cols, nullptr, 0, 0.0, &result,
                   error, sizeof(error)),
            1);
  EXPECT_EQ(result, nullptr);
  // A NULL error buffer is allowed.
  EXPECT_EQ(htHSVD(nullptr, 4, 4, 2, cols, cols, nullptr, 0, 0.0, &result,
                   nullptr, 64),
            1);
}

TEST(HSVDCApi, AccessorsCheckTheirArguments) {
  std::vector<double> dense(16);
  for (size_t i = 0; i < dense.size(); ++i)
    dense[i] = double(i % 5) - 1.5;
  int64_t modes[] = {2, 2};
  HTHSVDResult *result = nullptr;
  ASSERT_EQ(htHSVD(dense.data(), 4, 4, 2, modes, modes, nullptr, 0, 0.0,
                   &result, nullptr, 0),
            0);
  double values[64];
  int64_t ranks[2];
  char tree[32];
  EXPECT_EQ(htHSVDLeaf(result, 0, values), 0);
  EXPECT_EQ(htHSVDLeaf(result, 2, values), 1);
  EXPECT_EQ(htHSVDLeaf(result, -1, values), 1);
  EXPECT_EQ(htHSVDLeaf(result, 0, nullptr), 1);
  EXPECT_EQ(htHSVDTransfer(result, 0, values), 0);
  EXPECT_EQ(htHSVDTransfer(result, 1, values), 1);
  EXPECT_EQ(htHSVDLeaf(nullptr, 0, values), 1);
  EXPECT_EQ(htHSVDRanks(nullptr, ranks, ranks), 1);
  EXPECT_EQ(htHSVDRanks(result, nullptr, ranks), 1);
  EXPECT_EQ(htHSVDTree(result, tree, 0), 1);
  EXPECT_EQ(htHSVDTree(result, tree, sizeof(tree)), 0);
  EXPECT_STREQ(tree, "(0, 1)");
  EXPECT_EQ(htHSVDRelativeErrorBound(nullptr), -1.0);
  htHSVDDestroy(result);
}

} // namespace
