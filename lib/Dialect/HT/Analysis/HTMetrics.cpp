//===- HTMetrics.cpp - Size and cost figures of an HT matrix --------------===//

#include "ht/Dialect/HT/Analysis/HTMetrics.h"

using namespace mlir;
using namespace mlir::ht;

static int64_t volume(std::array<int64_t, 3> shape) {
  return shape[0] * shape[1] * shape[2];
}

int64_t mlir::ht::countParameters(const HTShape &shape) {
  int64_t parameters = 0;
  for (int64_t mode = 0; mode < shape.getNumModes(); ++mode)
    parameters += volume(shape.getLeafShape(mode));
  for (int64_t node = 0; node < shape.tree.getNumInternalNodes(); ++node)
    parameters += volume(shape.getTransferShape(node));
  return parameters;
}

HTMetrics mlir::ht::computeMetrics(const HTShape &shape) {
  HTMetrics metrics;
  metrics.parameters = countParameters(shape);
  metrics.denseParameters = shape.getNumRows() * shape.getNumCols();
  metrics.compressionRatio = static_cast<double>(metrics.denseParameters) /
                             static_cast<double>(metrics.parameters);
  metrics.denseMacsPerRow = metrics.denseParameters;
  return metrics;
}
