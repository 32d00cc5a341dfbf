//===- OneDNNLSTM.cpp - The UCF11 LSTM: oneDNN dense vs ht-mlir -----------===//
//
// Times, in one process and on the same input, oneDNN's LSTM forward (the
// dense model, inference, weights in oneDNN's preferred layout) against the
// ht-compile'd HT model of scripts/run-example.sh (out/ucf11/libucf11.so),
// for the example's shape: T = 16, B = 1, I = 57,600, H = 256.
//
//   [OMP_NUM_THREADS=N] ht-bench-onednn out/ucf11/libucf11.so [--repeats N]
//
// oneDNN runs on its OpenMP threads (all cores unless OMP_NUM_THREADS says
// otherwise); ht-mlir's code is single-threaded. Prints medians and the ratio.
//
//===----------------------------------------------------------------------===//

#include <oneapi/dnnl/dnnl.hpp>

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

constexpr int64_t kSteps = 16, kBatch = 1, kInput = 57600, kHidden = 256;

using ForwardFn = int32_t (*)(int64_t, int64_t, const float *, const float *,
                              const float *, float *, float *, float *);

double medianMs(const std::function<void()> &run, int repeats) {
  run(); // warm-up
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    auto start = std::chrono::steady_clock::now();
    run();
    times.push_back(std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - start)
                        .count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

std::vector<float> randomValues(size_t count, float scale, std::mt19937 &rng) {
  std::normal_distribution<float> normal(0.0f, scale);
  std::vector<float> values(count);
  for (float &value : values)
    value = normal(rng);
  return values;
}

/// oneDNN's dense LSTM forward (inference) for the example's shape.
class OneDNNLSTM {
public:
  OneDNNLSTM(std::mt19937 &rng) : engine(dnnl::engine::kind::cpu, 0), stream(engine) {
    using tag = dnnl::memory::format_tag;
    using dt = dnnl::memory::data_type;
    auto md = [](dnnl::memory::dims dims, tag format) {
      return dnnl::memory::desc(dims, dt::f32, format);
    };
    dnnl::memory::desc srcLayer = md({kSteps, kBatch, kInput}, tag::tnc);
    dnnl::memory::desc state = md({1, 1, kBatch, kHidden}, tag::ldnc);
    dnnl::memory::desc weightsLayerAny =
        md({1, 1, kInput, 4, kHidden}, tag::any);
    dnnl::memory::desc weightsIterAny = md({1, 1, kHidden, 4, kHidden}, tag::any);
    dnnl::memory::desc bias = md({1, 1, 4, kHidden}, tag::ldgo);
    dnnl::memory::desc dstLayer = md({kSteps, kBatch, kHidden}, tag::tnc);
    dnnl::lstm_forward::desc desc(
        dnnl::prop_kind::forward_inference,
        dnnl::rnn_direction::unidirectional_left2right, srcLayer, state, state,
        weightsLayerAny, weightsIterAny, bias, dstLayer, state, state);
    dnnl::lstm_forward::primitive_desc pd(desc, engine);
    primitive = dnnl::lstm_forward(pd);

    // Weights in the plain ldigo layout, reordered once into oneDNN's own.
    auto plainLayer = randomValues(size_t(kInput) * 4 * kHidden,
                                   1.0f / std::sqrt(float(kInput)), rng);
    auto plainIter = randomValues(size_t(kHidden) * 4 * kHidden,
                                  1.0f / std::sqrt(float(kHidden)), rng);
    weightsLayer = reordered(plainLayer, md({1, 1, kInput, 4, kHidden}, tag::ldigo),
                             pd.weights_layer_desc());
    weightsIter = reordered(plainIter, md({1, 1, kHidden, 4, kHidden}, tag::ldigo),
                            pd.weights_iter_desc());
    biasValues = randomValues(4 * kHidden, 0.1f, rng);
    input = randomValues(size_t(kSteps) * kBatch * kInput, 1.0f, rng);
    zeros.assign(kBatch * kHidden, 0.0f);
    output.resize(size_t(kSteps) * kBatch * kHidden);
    hN.resize(kBatch * kHidden);
    cN.resize(kBatch * kHidden);
    args = {
        {DNNL_ARG_SRC_LAYER, dnnl::memory(srcLayer, engine, input.data())},
        {DNNL_ARG_SRC_ITER, dnnl::memory(state, engine, zeros.data())},
        {DNNL_ARG_SRC_ITER_C, dnnl::memory(state, engine, zeros.data())},
        {DNNL_ARG_WEIGHTS_LAYER, weightsLayer},
        {DNNL_ARG_WEIGHTS_ITER, weightsIter},
        {DNNL_ARG_BIAS, dnnl::memory(bias, engine, biasValues.data())},
        {DNNL_ARG_DST_LAYER, dnnl::memory(dstLayer, engine, output.data())},
        {DNNL_ARG_DST_ITER, dnnl::memory(state, engine, hN.data())},
        {DNNL_ARG_DST_ITER_C, dnnl::memory(state, engine, cN.data())},
    };
    if (pd.workspace_desc().get_size() > 0)
      args[DNNL_ARG_WORKSPACE] = dnnl::memory(pd.workspace_desc(), engine);
  }

  void run() {
    primitive.execute(stream, args);
    stream.wait();
  }

private:
  dnnl::memory reordered(std::vector<float> &plain, const dnnl::memory::desc &from,
                         const dnnl::memory::desc &to) {
    dnnl::memory source(from, engine, plain.data());
    dnnl::memory target(to, engine);
    dnnl::reorder(source, target).execute(stream, source, target);
    stream.wait();
    return target;
  }

  dnnl::engine engine;
  dnnl::stream stream;
  dnnl::lstm_forward primitive;
  dnnl::memory weightsLayer, weightsIter;
  std::vector<float> biasValues, input, zeros, output, hN, cN;
  std::unordered_map<int, dnnl::memory> args;
};

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: %s out/ucf11/libucf11.so [--repeats N]\n",
                 argv[0]);
    return 2;
  }
  int repeats = 11;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--repeats"))
      repeats = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "error: unknown option '%s'\n", argv[i]);
      return 2;
    }
  }
  if (repeats < 1) {
    std::fprintf(stderr, "error: --repeats must be at least 1\n");
    return 2;
  }
  void *library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    std::fprintf(stderr, "error: cannot load %s: %s\n", argv[1], dlerror());
    return 1;
  }
  auto forward = reinterpret_cast<ForwardFn>(dlsym(library, "ucf11_forward"));
  if (!forward) {
    std::fprintf(stderr, "error: %s has no ucf11_forward (build it with "
                         "scripts/run-example.sh)\n", argv[1]);
    return 1;
  }

  std::mt19937 rng(0);
  OneDNNLSTM onednn(rng);
  std::vector<float> x = randomValues(size_t(kSteps) * kBatch * kInput, 1.0f, rng);
  std::vector<float> zeros(kBatch * kHidden, 0.0f), output(kSteps * kBatch * kHidden),
      hN(kBatch * kHidden), cN(kBatch * kHidden);
  int32_t status = 0;
  double htMs = medianMs(
      [&] {
        status |= forward(kSteps, kBatch, x.data(), zeros.data(), zeros.data(),
                          output.data(), hN.data(), cN.data());
      },
      repeats);
  if (status != 0) {
    std::fprintf(stderr, "error: ucf11_forward returned %d\n", status);
    return 1;
  }
  double onednnMs = medianMs([&] { onednn.run(); }, repeats);
  std::printf("T = %lld, B = %lld, I = %lld, H = %lld; medians of %d\n",
              (long long)kSteps, (long long)kBatch, (long long)kInput,
              (long long)kHidden, repeats);
  const char *threads = std::getenv("OMP_NUM_THREADS");
  std::printf("oneDNN dense LSTM (OMP_NUM_THREADS=%s) %9.2f ms  %6.2fx "
              "ht-mlir's time\n",
              threads ? threads : "unset", onednnMs, onednnMs / htMs);
  std::printf("ht-mlir HT-LSTM (1 thread)                 %9.2f ms\n", htMs);
  return 0;
}
