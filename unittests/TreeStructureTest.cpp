//===- TreeStructureTest.cpp - Dimension tree parsing and structure -------===//

#include "ht/Dialect/HT/IR/TreeStructure.h"

#include "gtest/gtest.h"

using namespace mlir::ht;

namespace {

TreeStructure parseOrDie(llvm::StringRef text) {
  llvm::Expected<TreeStructure> tree = TreeStructure::parse(text);
  EXPECT_TRUE(static_cast<bool>(tree)) << llvm::toString(tree.takeError());
  return std::move(*tree);
}

std::string parseError(llvm::StringRef text) {
  llvm::Expected<TreeStructure> tree = TreeStructure::parse(text);
  if (tree)
    return "<parsed>";
  return llvm::toString(tree.takeError());
}

TEST(TreeStructure, BalancedTreeStructure) {
  TreeStructure tree = parseOrDie("((0,1),(2,3))");
  EXPECT_EQ(tree.getNumModes(), 4);
  EXPECT_EQ(tree.getNumInternalNodes(), 3);
  EXPECT_EQ(tree.str(), "((0, 1), (2, 3))");
  EXPECT_EQ(tree.getEncoding(), llvm::ArrayRef<int64_t>({-1, -1, 0, 1, -1, 2, 3}));
  // Preorder numbering: root 0, then (0, 1) is 1 and (2, 3) is 2.
  EXPECT_EQ(tree.getLeft(0), TreeNodeRef::makeInternal(1));
  EXPECT_EQ(tree.getRight(0), TreeNodeRef::makeInternal(2));
  EXPECT_EQ(tree.getLeft(2), TreeNodeRef::makeLeaf(2));
  EXPECT_EQ(tree.getParent(TreeNodeRef::makeLeaf(3)), 2);
  EXPECT_EQ(tree.getParent(TreeNodeRef::makeInternal(1)), 0);
  EXPECT_EQ(tree.getParent(tree.getRoot()), std::nullopt);
  EXPECT_EQ(tree.getModesBelow(tree.getRoot()),
            llvm::SmallVector<int64_t>({0, 1, 2, 3}));
}

TEST(TreeStructure, PermutedAndDegenerateTrees) {
  TreeStructure permuted = parseOrDie(" ( (2, 0), (3 ,1) ) ");
  EXPECT_EQ(permuted.str(), "((2, 0), (3, 1))");
  EXPECT_EQ(permuted.getModesBelow(TreeNodeRef::makeInternal(2)),
            llvm::SmallVector<int64_t>({3, 1}));
  EXPECT_EQ(permuted.getParent(TreeNodeRef::makeLeaf(0)), 1);

  TreeStructure rightDeep = parseOrDie("(0,(1,(2,3)))");
  EXPECT_EQ(rightDeep.getRight(0), TreeNodeRef::makeInternal(1));
  EXPECT_EQ(rightDeep.getRight(1), TreeNodeRef::makeInternal(2));
  EXPECT_EQ(rightDeep.getParent(TreeNodeRef::makeLeaf(3)), 2);
}

TEST(TreeStructure, BuiltTrees) {
  EXPECT_EQ(TreeStructure::balanced(2).str(), "(0, 1)");
  EXPECT_EQ(TreeStructure::balanced(4).str(), "((0, 1), (2, 3))");
  EXPECT_EQ(TreeStructure::balanced(5).str(), "(((0, 1), 2), (3, 4))");
  EXPECT_EQ(TreeStructure::balanced(6).str(), "(((0, 1), 2), ((3, 4), 5))");
  EXPECT_EQ(TreeStructure::leftDeep(4).str(), "(((0, 1), 2), 3)");
  for (int64_t d = 2; d <= 16; ++d) {
    EXPECT_EQ(TreeStructure::balanced(d).getNumModes(), d);
    EXPECT_EQ(TreeStructure::leftDeep(d).getNumInternalNodes(), d - 1);
  }
}

TEST(TreeStructure, RoundTripsThroughText) {
  for (llvm::StringRef text :
       {"(0, 1)", "((1, 0), 2)", "(3, ((0, 2), 1))", "(((0, 1), (2, 3)), ((4, 5), 6))"})
    EXPECT_EQ(parseOrDie(text).str(), text);
}

TEST(TreeStructure, RejectsInvalidEncodings) {
  auto error = [](llvm::ArrayRef<int64_t> encoding) {
    llvm::Expected<TreeStructure> tree = TreeStructure::fromEncoding(encoding);
    return tree ? std::string("<valid>") : llvm::toString(tree.takeError());
  };
  EXPECT_EQ(error({}), "the tree is empty");
  EXPECT_NE(error({0}).find("single leaf"), std::string::npos);
  EXPECT_NE(error({-1, 0}).find("incomplete"), std::string::npos);
  EXPECT_NE(error({-1, 0, 1, 2}).find("after the root"), std::string::npos);
  EXPECT_NE(error({-1, 0, 0}).find("mode 0 appears more than once"),
            std::string::npos);
  EXPECT_NE(error({-1, 0, 2}).find("mode 2 is out of range"), std::string::npos);
  EXPECT_NE(error({-1, 0, -3}).find("negative"), std::string::npos);
}

TEST(TreeStructure, RejectsMalformedText) {
  EXPECT_NE(parseError("(0 1)").find("malformed"), std::string::npos);
  EXPECT_NE(parseError("(0,1,2)").find("after the root"), std::string::npos);
  EXPECT_NE(parseError("((0,1)").find("incomplete"), std::string::npos);
  EXPECT_NE(parseError("(0,1))").find("malformed"), std::string::npos);
  EXPECT_NE(parseError("(0,a)").find("unexpected character 'a'"),
            std::string::npos);
  EXPECT_NE(parseError("(0,(1))").find("incomplete"), std::string::npos);
  EXPECT_NE(parseError("(0,99999999999999999999)").find("too large"),
            std::string::npos);
  EXPECT_NE(parseError("").find("empty"), std::string::npos);
}

} // namespace
