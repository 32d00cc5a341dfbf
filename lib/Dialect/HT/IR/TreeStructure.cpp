//===- TreeStructure.cpp - Dimension trees of HT matrices -------------------===//

#include "ht/Dialect/HT/IR/TreeStructure.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir::ht;

// Bounds recursion in printing and keeps every size computation in range;
// real HT layers have fewer than 20 modes.

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<TreeStructure>
TreeStructure::fromEncoding(llvm::ArrayRef<int64_t> encoding) {
  if (encoding.empty())
    return makeError("the tree is empty");
  if (encoding.front() != kInternalMarker)
    return makeError("the tree is a single leaf; an HT matrix needs at least "
                     "2 modes under an internal root");

  TreeStructure tree;
  tree.encoding.assign(encoding.begin(), encoding.end());
  llvm::SmallVector<std::pair<int64_t, TreeNodeRef>> leaves; // (parent, leaf)
  // Internal nodes whose children are not all known yet, innermost last.
  llvm::SmallVector<int64_t> open;
  llvm::SmallVector<int, 8> childrenSeen;

  auto attach = [&](TreeNodeRef child) {
    int64_t parent = open.back();
    InternalNode &node = tree.internalNodes[parent];
    (childrenSeen[parent] == 0 ? node.left : node.right) = child;
    if (++childrenSeen[parent] == 2)
      open.pop_back();
    return parent;
  };

  for (auto [position, value] : llvm::enumerate(encoding)) {
    if (position > 0 && open.empty())
      return makeError("the tree has entries after the root's subtree, at "
                       "position " + llvm::Twine(position));
    if (value == kInternalMarker) {
      int64_t index = tree.internalNodes.size();
      int64_t parent = open.empty() ? -1 : attach(TreeNodeRef::makeInternal(index));
      tree.internalNodes.push_back({{}, {}, parent});
      childrenSeen.push_back(0);
      open.push_back(index);
      continue;
    }
    if (value < 0)
      return makeError("mode " + llvm::Twine(value) +
                       " is negative; modes are numbered from 0");
    TreeNodeRef leaf = TreeNodeRef::makeLeaf(value);
    leaves.push_back({attach(leaf), leaf});
  }
  if (!open.empty())
    return makeError("the tree is incomplete: internal node " +
                     llvm::Twine(open.back()) + " has " +
                     llvm::Twine(childrenSeen[open.back()]) +
                     " child(ren), expected 2");

  int64_t numModes = leaves.size();
  if (numModes > kMaxModes)
    return makeError("the tree has " + llvm::Twine(numModes) +
                     " modes; at most " + llvm::Twine(kMaxModes) +
                     " are supported");
  tree.leafParent.assign(numModes, -1);
  for (auto [parent, leaf] : leaves) {
    if (leaf.index >= numModes)
      return makeError("mode " + llvm::Twine(leaf.index) +
                       " is out of range; a tree with " +
                       llvm::Twine(numModes) + " leaves has modes 0.." +
                       llvm::Twine(numModes - 1));
    if (tree.leafParent[leaf.index] != -1)
      return makeError("mode " + llvm::Twine(leaf.index) +
                       " appears more than once; every mode must appear "
                       "exactly once");
    tree.leafParent[leaf.index] = parent;
  }
  return tree;
}

llvm::Expected<TreeStructure> TreeStructure::parse(llvm::StringRef text) {
  // The written form is determined by its parentheses and integers, so build
  // the encoding from those and then require that the canonical spelling of
  // the result is the text itself (ignoring blanks). That rejects misplaced
  // commas and parentheses without a separate grammar.
  llvm::SmallVector<int64_t> encoding;
  std::string compact;
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      ++i;
      continue;
    }
    if (c == '(') {
      encoding.push_back(kInternalMarker);
    } else if (llvm::isDigit(c)) {
      size_t end = i;
      while (end < text.size() && llvm::isDigit(text[end]))
        ++end;
      int64_t mode;
      if (text.slice(i, end).getAsInteger(10, mode) || mode > kMaxModes)
        return makeError("mode '" + text.slice(i, end) + "' is too large");
      encoding.push_back(mode);
      compact += text.slice(i, end).str();
      i = end;
      continue;
    } else if (c != ')' && c != ',') {
      return makeError("unexpected character '" + llvm::Twine(c) +
                       "' in tree '" + text + "'; expected digits, '(', ',' "
                       "or ')'");
    }
    compact += c;
    ++i;
  }
  llvm::Expected<TreeStructure> tree = fromEncoding(encoding);
  if (!tree)
    return tree.takeError();
  std::string canonical = tree->str();
  llvm::erase(canonical, ' ');
  if (canonical != compact)
    return makeError("malformed tree '" + text + "'; expected nested pairs "
                     "such as ((0, 1), (2, 3))");
  return tree;
}

static void buildBalanced(llvm::SmallVectorImpl<int64_t> &encoding,
                          int64_t first, int64_t count) {
  if (count == 1) {
    encoding.push_back(first);
    return;
  }
  int64_t leftCount = (count + 1) / 2;
  encoding.push_back(TreeStructure::kInternalMarker);
  buildBalanced(encoding, first, leftCount);
  buildBalanced(encoding, first + leftCount, count - leftCount);
}

TreeStructure TreeStructure::balanced(int64_t numModes) {
  // Callers check the count (isValidNumModes): a tree of 10^8 modes would
  // be built before anything could refuse it.
  assert(isValidNumModes(numModes) && "mode count out of range");
  llvm::SmallVector<int64_t> encoding;
  buildBalanced(encoding, 0, numModes);
  return llvm::cantFail(fromEncoding(encoding));
}

TreeStructure TreeStructure::leftDeep(int64_t numModes) {
  assert(isValidNumModes(numModes) && "mode count out of range");
  llvm::SmallVector<int64_t> encoding(numModes - 1, kInternalMarker);
  encoding.push_back(0);
  for (int64_t mode = 1; mode < numModes; ++mode)
    encoding.push_back(mode);
  return llvm::cantFail(fromEncoding(encoding));
}

std::optional<int64_t> TreeStructure::getParent(TreeNodeRef node) const {
  int64_t parent = node.isLeaf() ? leafParent[node.index]
                                 : internalNodes[node.index].parent;
  if (parent < 0)
    return std::nullopt;
  return parent;
}

llvm::SmallVector<int64_t> TreeStructure::getModesBelow(TreeNodeRef node) const {
  if (node.isLeaf())
    return {node.index};
  llvm::SmallVector<int64_t> modes = getModesBelow(getLeft(node.index));
  llvm::append_range(modes, getModesBelow(getRight(node.index)));
  return modes;
}

void TreeStructure::printNode(llvm::raw_ostream &os, TreeNodeRef node) const {
  if (node.isLeaf()) {
    os << node.index;
    return;
  }
  os << '(';
  printNode(os, getLeft(node.index));
  os << ", ";
  printNode(os, getRight(node.index));
  os << ')';
}

void TreeStructure::print(llvm::raw_ostream &os) const {
  printNode(os, getRoot());
}

std::string TreeStructure::str() const {
  std::string text;
  llvm::raw_string_ostream os(text);
  print(os);
  return text;
}
