//===- HTLowering.h - Shared pieces of the ht-to-linalg lowering -*- C++
//-*-===//
//
// Private to lib/Conversion/HTToLinalg. After type conversion an HT matrix is
// its factor tensors (leaves by mode, then transfers in preorder).
//
//===----------------------------------------------------------------------===//

#ifndef HT_LIB_CONVERSION_HTTOLINALG_HTLOWERING_H
#define HT_LIB_CONVERSION_HTTOLINALG_HTLOWERING_H

#include "ht/Dialect/HT/IR/HTOps.h"

#include "mlir/Transforms/DialectConversion.h"

namespace mlir::ht {

/// An HT matrix after type conversion.
struct HTFactors {
  MatrixType type;
  ValueRange leaves;
  ValueRange transfers;
};

/// Splits the converted values of an HT matrix into leaves and transfers.
HTFactors getFactors(MatrixType type, ValueRange converted);

/// The dense `M x N` matrix of an HT matrix, by the node-frame definition.
Value emitHTToDense(OpBuilder &builder, Location loc, const HTFactors &factors);

/// Columns `[offset, offset + width)` of a `[B, N]` matrix.
Value extractColumns(OpBuilder &builder, Location loc, Value matrix,
                     int64_t offset, int64_t width);

/// Entries `[offset, offset + width)` of a vector (one gate's bias block).
Value extractBlock(OpBuilder &builder, Location loc, Value vector,
                   int64_t offset, int64_t width);

/// A gate's squashing function of `z` (scalar code, in a linalg body).
Value emitGateActivation(OpBuilder &builder, Location loc, Value z,
                         GateActivation activation);

void populateHTMatrixLoweringPatterns(const TypeConverter &converter,
                                      RewritePatternSet &patterns);
void populateHTLSTMUpdateLoweringPatterns(const TypeConverter &converter,
                                          RewritePatternSet &patterns);
/// linalg.softmax (any linalg::AggregatedOpInterface op) as the generics it
/// stands for.
void populateAggregatedOpDecompositionPatterns(RewritePatternSet &patterns);
void populateHTGRUUpdateLoweringPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns);

} // namespace mlir::ht

#endif // HT_LIB_CONVERSION_HTTOLINALG_HTLOWERING_H
