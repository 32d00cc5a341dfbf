//===- HTMetricsTest.cpp - Parameter counts and compression ---------------===//

#include "ht/Dialect/HT/Analysis/HTMetrics.h"

#include "TestShapes.h"

#include "gtest/gtest.h"

using namespace mlir::ht;

namespace {

using mlir::ht::test::makeShape;

// The worked example of semantics.md: a 2 x 2 matrix from rank-1 factors.
TEST(HTMetrics, WorkedExample) {
  HTShape shape = makeShape({2, 1}, {1, 2}, "(0, 1)", {1, 1}, {1});
  HTMetrics metrics = computeMetrics(shape);
  EXPECT_EQ(metrics.parameters, 2 + 2 + 1);
  EXPECT_EQ(metrics.denseParameters, 4);
  EXPECT_DOUBLE_EQ(metrics.compressionRatio, 0.8);
  EXPECT_EQ(metrics.denseMacsPerRow, 4);
}

// The UCF11 input matrix at rank 4 (docs/Statistics.md does this by hand):
// leaves 16*8*4 + 4*20*4 + 4*20*4 + 4*18*4 = 512 + 320 + 320 + 288 = 1440,
// transfers root 4*4*1 + two inner nodes 4*4*4 = 16 + 64 + 64 = 144.
TEST(HTMetrics, UCF11RankFour) {
  HTShape shape = makeShape({16, 4, 4, 4}, {8, 20, 20, 18}, "((0,1),(2,3))",
                            {4, 4, 4, 4}, {1, 4, 4});
  EXPECT_EQ(shape.getNumRows(), 1024);
  EXPECT_EQ(shape.getNumCols(), 57600);
  HTMetrics metrics = computeMetrics(shape);
  EXPECT_EQ(metrics.parameters, 1584);
  EXPECT_EQ(metrics.denseParameters, 58982400);
  EXPECT_NEAR(metrics.compressionRatio, 37236.36, 0.01);
  EXPECT_EQ(metrics.denseMacsPerRow, 58982400);
}

TEST(HTMetrics, FactorShapesFollowTheTree) {
  HTShape shape = makeShape({2, 3, 4}, {5, 6, 7}, "(2, (0, 1))", {2, 3, 4},
                            {1, 5});
  EXPECT_EQ(shape.getLeafShape(1), (std::array<int64_t, 3>{3, 6, 3}));
  // Root: children leaf 2 (rank 4) and node 1 (rank 5).
  EXPECT_EQ(shape.getTransferShape(0), (std::array<int64_t, 3>{4, 5, 1}));
  EXPECT_EQ(shape.getTransferShape(1), (std::array<int64_t, 3>{2, 3, 5}));
  EXPECT_EQ(countParameters(shape),
            2 * 5 * 2 + 3 * 6 * 3 + 4 * 7 * 4 + 4 * 5 * 1 + 2 * 3 * 5);
}

} // namespace
