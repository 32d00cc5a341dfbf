//===- HTInterfaces.cpp - Interfaces of the ht dialect --------------------===//

#include "ht/Dialect/HT/IR/HTInterfaces.h"

using namespace mlir;
using namespace mlir::ht;

#include "ht/Dialect/HT/IR/HTInterfaces.cpp.inc"

std::string mlir::ht::getWeightName(WeightRole role,
                                    std::optional<unsigned> gate,
                                    StringRef gateNames) {
  switch (role) {
  case WeightRole::Input:
    if (gate && *gate < gateNames.size())
      return std::string("W_ih[") + gateNames[*gate] + "]";
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
  return ::mlir::ht::getWeightName(getWeightRole(index), getWeightGate(index),
                                   getGateNames());
}
