//===- HTToLinalg.h - Lowering the ht dialect to linalg ---------*- C++ -*-===//
//
// The reusable half of convert-ht-to-linalg, for projects that mix the ht
// dialect into their own conversions: the type converter, the patterns and
// the legality. The lowering is mechanical: it expects the HT products to be
// planned already (ht.contract steps, as ht-optimize leaves them) and the
// LSTMs expanded (ht.linear + ht.lstm_update, by ht-expand-lstm).
//
//===----------------------------------------------------------------------===//

#ifndef HT_CONVERSION_HTTOLINALG_HTTOLINALG_H
#define HT_CONVERSION_HTTOLINALG_HTTOLINALG_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::ht {

/// `!ht.matrix` becomes its factor tensors: the leaf frames by mode, then
/// the transfer tensors in preorder. Every other type is left alone.
class HTToLinalgTypeConverter : public TypeConverter {
public:
  HTToLinalgTypeConverter();
};

/// Patterns lowering ht.constant, ht.assemble, ht.factors, ht.contract,
/// ht.to_dense, ht.linear with a dense weight and ht.lstm_update to linalg,
/// tensor, arith and math ops.
void populateHTToLinalgConversionPatterns(const TypeConverter &converter,
                                          RewritePatternSet &patterns);

/// Marks the ht dialect illegal and the dialects the patterns produce legal;
/// func ops are legal once their types are converted (pair with
/// populateFunctionOpInterfaceTypeConversionPattern and friends).
void configureHTToLinalgConversionTarget(ConversionTarget &target,
                                         const TypeConverter &converter);

/// Emits an error on every op the mechanical lowering cannot take: HT
/// products not yet planned (ht.linear with an HT weight) and unexpanded
/// LSTMs, naming the pass that prepares them. Fails if there was any.
LogicalResult verifyReadyForLowering(Operation *root);

} // namespace mlir::ht

#endif // HT_CONVERSION_HTTOLINALG_HTTOLINALG_H
