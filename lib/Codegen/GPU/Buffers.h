//===- Buffers.h - Which buffer a memref value views --------------*- C++ -*-===//

#ifndef HT_LIB_CODEGEN_GPU_BUFFERS_H
#define HT_LIB_CODEGEN_GPU_BUFFERS_H

#include "mlir/IR/Value.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::ht {

/// The buffer `value` is a view of: the value no view-like op produces.
inline Value getRootBuffer(Value value) {
  while (Operation *producer = value.getDefiningOp()) {
    auto view = dyn_cast<ViewLikeOpInterface>(producer);
    if (!view)
      break;
    value = view.getViewSource();
  }
  return value;
}

} // namespace mlir::ht

#endif // HT_LIB_CODEGEN_GPU_BUFFERS_H
