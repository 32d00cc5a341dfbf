//===- HTInterfaces.cpp - Interfaces of the ht dialect --------------------===//

#include "ht/Dialect/HT/IR/HTInterfaces.h"

using namespace mlir;
using namespace mlir::ht;

#include "ht/Dialect/HT/IR/HTInterfaces.cpp.inc"

std::string mlir::ht::getWeightName(WeightRole role,
                                    std::optional<unsigned> gate) {
  switch (role) {
  case WeightRole::Input:
    if (gate) {
      static constexpr char kGates[] = "ifgo";
      return std::string("W_ih[") + kGates[*gate % 4] + "]";
    }
    return "W_ih";
  case WeightRole::Recurrent:
    return "W_hh";
  case WeightRole::InputRecurrent:
    return "[W_ih|W_hh]";
  case WeightRole::Linear:
    return "W";
  }
  llvm_unreachable("unknown weight role");
}

std::string WeightedOpInterface::getWeightName(unsigned index) {
  return ::mlir::ht::getWeightName(getWeightRole(index), getWeightGate(index));
}
