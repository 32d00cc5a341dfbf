//===- HTLowering.h - Shared pieces of the ht-to-linalg lowering -*- C++ -*-===//
//
// Private to lib/Conversion/HTToLinalg. After type conversion an HT matrix is
// its factor tensors (leaves by mode, then transfers in preorder); these
// helpers compute with them on tensors.
//
//===----------------------------------------------------------------------===//

#ifndef HT_LIB_CONVERSION_HTTOLINALG_HTLOWERING_H
#define HT_LIB_CONVERSION_HTTOLINALG_HTLOWERING_H

#include "ht/Dialect/HT/Analysis/ContractionPlan.h"
#include "ht/Dialect/HT/IR/HTOps.h"
#include "ht/Dialect/HT/Utils/TensorBuilders.h"

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

/// A weight operand after type conversion: dense (one tensor) or HT.
struct ConvertedWeight {
  Value dense;                   // set for a dense weight
  std::optional<HTFactors> ht;   // set for an HT weight
};
ConvertedWeight getConvertedWeight(Type originalType, ValueRange converted);

/// How the lowering orders the HT products left to it.
struct ProductOrder {
  OrderStrategy strategy = OrderStrategy::LeftToRight;
  /// Rows assumed by the cost model where they are dynamic.
  int64_t expectedRows = 1;
};

/// A conversion pattern that carries the order of the HT products it emits.
template <typename OpTy>
struct OrderedConversionPattern : public OpConversionPattern<OpTy> {
  OrderedConversionPattern(const TypeConverter &converter, MLIRContext *context,
                           const ProductOrder &order)
      : OpConversionPattern<OpTy>(converter, context), order(order) {}

  ProductOrder order;
};

/// `x · Wᵀ` for `x : [L..., N]` and a weight `W : M x N`: `[L..., M]`. HT
/// weights are contracted factor by factor, never rebuilt.
Value emitMatmulTransposed(OpBuilder &builder, Location loc, Value rows,
                           const ConvertedWeight &weight,
                           const ProductOrder &order);

/// `x · Wᵀ` through the HT factors, in the order `order` gives.
Value emitHTMatmulTransposed(OpBuilder &builder, Location loc, Value rows,
                             const HTFactors &factors,
                             const ProductOrder &order);

/// The dense `M x N` matrix of an HT matrix.
Value emitHTToDense(OpBuilder &builder, Location loc, const HTFactors &factors);

/// The type converter of the lowering: !ht.matrix becomes its factor tensors.
class HTTypeConverter : public TypeConverter {
public:
  HTTypeConverter();
};

void populateHTMatrixLoweringPatterns(const TypeConverter &converter,
                                      RewritePatternSet &patterns,
                                      const ProductOrder &order);
void populateHTLSTMLoweringPatterns(const TypeConverter &converter,
                                    RewritePatternSet &patterns,
                                    const ProductOrder &order);

} // namespace mlir::ht

#endif // HT_LIB_CONVERSION_HTTOLINALG_HTLOWERING_H
