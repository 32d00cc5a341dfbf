//===- HTTypeTest.cpp - Building and verifying !ht.matrix types -----------===//

#include "ht/Dialect/HT/IR/HTOps.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::ht;

namespace {

class HTTypeTest : public ::testing::Test {
protected:
  HTTypeTest() { context.loadDialect<HTDialect>(); }

  /// Builds a type with getChecked and returns the diagnostic, if any.
  std::string verifyMessage(ArrayRef<int64_t> rows, ArrayRef<int64_t> cols,
                            ArrayRef<int64_t> encoding,
                            ArrayRef<int64_t> leafRanks,
                            ArrayRef<int64_t> nodeRanks) {
    std::string message;
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
      message = diag.str();
      return success();
    });
    auto loc = UnknownLoc::get(&context);
    auto tree = DimensionTreeAttr::getChecked(
        [&] { return emitError(loc); }, &context, encoding);
    if (!tree)
      return message;
    MatrixType type = MatrixType::getChecked(
        [&] { return emitError(loc); }, &context, rows, cols, tree, leafRanks,
        nodeRanks, Type(Float32Type::get(&context)));
    return type ? std::string("<valid>") : message;
  }

  MLIRContext context;
};

TEST_F(HTTypeTest, FactorTypes) {
  auto tree = DimensionTreeAttr::get(&context, {-1, 0, -1, 1, 2});
  auto type = MatrixType::get(&context, {4, 2, 3}, {5, 6, 7}, tree, {2, 3, 4},
                              {1, 6}, Float32Type::get(&context));
  EXPECT_EQ(type.getNumRows(), 24);
  EXPECT_EQ(type.getNumCols(), 210);
  EXPECT_EQ(type.getLeafType(2).getShape(), ArrayRef<int64_t>({3, 7, 4}));
  EXPECT_EQ(type.getTransferType(0).getShape(), ArrayRef<int64_t>({2, 6, 1}));
  EXPECT_EQ(type.getTransferType(1).getShape(), ArrayRef<int64_t>({3, 4, 6}));
  EXPECT_EQ(type.getDenseType().getShape(), ArrayRef<int64_t>({24, 210}));
}

TEST_F(HTTypeTest, VerifierMessagesNameTheField) {
  const SmallVector<int64_t> balanced = {-1, -1, 0, 1, -1, 2, 3};
  EXPECT_EQ(verifyMessage({2, 2, 2, 2}, {3, 3, 3, 3}, balanced, {2, 2, 2, 2},
                          {1, 2, 2}),
            "<valid>");
  EXPECT_EQ(verifyMessage({2, 2, 2}, {3, 3, 3, 3}, balanced, {2, 2, 2, 2},
                          {1, 2, 2}),
            "row modes list 3 sizes; expected 4 (one per leaf of the tree "
            "((0, 1), (2, 3)))");
  EXPECT_EQ(verifyMessage({2, 2, 2, 2}, {3, 3, 3, 3}, balanced, {2, 2, 2, 2},
                          {2, 2, 2}),
            "node_ranks[0] (the root's rank) is 2; expected 1");
  EXPECT_EQ(verifyMessage({2, 2, 2, 2}, {3, 0, 3, 3}, balanced, {2, 2, 2, 2},
                          {1, 2, 2}),
            "column modes[1] is 0; mode sizes must be at least 1");
  EXPECT_EQ(verifyMessage({2, 2, 2, 2}, {3, 3, 3, 3}, balanced, {2, 2, 2},
                          {1, 2, 2}),
            "leaf_ranks has 3 entries; expected 4 (one per mode)");
  EXPECT_EQ(verifyMessage({1LL << 40, 1LL << 40}, {2, 2}, {-1, 0, 1}, {1, 1},
                          {1}),
            "the matrix has more than 2^63 elements");
  EXPECT_EQ(verifyMessage({2, 2}, {2, 2}, {-1, 0, 0}, {1, 1}, {1}),
            "invalid dimension tree: mode 0 appears more than once; every "
            "mode must appear exactly once");
}

} // namespace
