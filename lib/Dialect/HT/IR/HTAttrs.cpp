//===- HTAttrs.cpp - Attributes and enums of the ht dialect ---------------===//

#include "ht/Dialect/HT/IR/HTAttrs.h"
#include "ht/Dialect/HT/IR/HTDialect.h"
#include "ht/Dialect/HT/IR/TreeSyntax.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::ht;

#include "ht/Dialect/HT/IR/HTEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "ht/Dialect/HT/IR/HTAttrs.cpp.inc"

void HTDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "ht/Dialect/HT/IR/HTAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Dimension tree
//===----------------------------------------------------------------------===//

// Deeper nesting than this cannot be a valid tree (TreeStructure accepts at
// most 256 modes), and refusing it early keeps the recursion bounded.
static constexpr int kMaxDepth = 256;

static ParseResult parseTreeNode(AsmParser &parser,
                                 SmallVectorImpl<int64_t> &encoding,
                                 int depth) {
  if (depth > kMaxDepth)
    return parser.emitError(parser.getCurrentLocation(),
                            "dimension tree is nested more than ")
           << kMaxDepth << " levels deep";
  if (succeeded(parser.parseOptionalLParen())) {
    encoding.push_back(TreeStructure::kInternalMarker);
    if (parseTreeNode(parser, encoding, depth + 1) || parser.parseComma() ||
        parseTreeNode(parser, encoding, depth + 1) || parser.parseRParen())
      return failure();
    return success();
  }
  SMLoc loc = parser.getCurrentLocation();
  int64_t mode;
  if (parser.parseInteger(mode))
    return failure();
  if (mode < 0)
    return parser.emitError(loc, "dimension tree mode ")
           << mode << " is negative; modes are numbered from 0";
  encoding.push_back(mode);
  return success();
}

ParseResult mlir::ht::parseBareTree(AsmParser &parser,
                                    DimensionTreeAttr &tree) {
  SMLoc loc = parser.getCurrentLocation();
  SmallVector<int64_t> encoding;
  if (parseTreeNode(parser, encoding, /*depth=*/0))
    return failure();
  tree = DimensionTreeAttr::getChecked(
      [&] { return parser.emitError(loc); }, parser.getContext(), encoding);
  return success(static_cast<bool>(tree));
}

void mlir::ht::printBareTree(AsmPrinter &printer, DimensionTreeAttr tree) {
  tree.getStructure().print(printer.getStream());
}

LogicalResult
DimensionTreeAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                          ArrayRef<int64_t> encoding) {
  llvm::Expected<TreeStructure> tree = TreeStructure::fromEncoding(encoding);
  if (!tree)
    return emitError() << "invalid dimension tree: "
                       << llvm::toString(tree.takeError());
  return success();
}

TreeStructure DimensionTreeAttr::getStructure() const {
  // Attributes are verified on construction, so the encoding is valid.
  return llvm::cantFail(TreeStructure::fromEncoding(getEncoding()));
}

Attribute DimensionTreeAttr::parse(AsmParser &parser, Type) {
  DimensionTreeAttr tree;
  if (parser.parseLess() || parseBareTree(parser, tree) ||
      parser.parseGreater())
    return {};
  return tree;
}

void DimensionTreeAttr::print(AsmPrinter &printer) const {
  printer << '<';
  printBareTree(printer, *this);
  printer << '>';
}
