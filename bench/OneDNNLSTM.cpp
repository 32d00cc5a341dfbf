//===- OneDNNLSTM.cpp - oneDNN's dense LSTM as a peer of the benchmark ----===//
//
// A small C API over oneDNN's LSTM forward (inference), loaded by
// bench/performance.py through ctypes so that oneDNN is timed in the same
// process, on the same weights and inputs, as the other peers:
//
//   handle = htb_onednn_lstm_create(T, B, I, H, w_ih, w_hh, bias)
//   htb_onednn_lstm_run(handle, x, h0, c0, out, h_n, c_n)
//   htb_onednn_lstm_destroy(handle)
//
// Weights in PyTorch's layout (W_ih [4H, I], W_hh [4H, H], gates i, f, g, o,
// which is oneDNN's order too; bias = b_ih + b_hh), reordered once into the
// layout oneDNN prefers for the shape. Threads are oneDNN's OpenMP threads
// (libgomp): htb_onednn_set_threads sets them. The implementation oneDNN
// picks (htb_onednn_lstm_implementation) depends on DNNL_MAX_CPU_ISA, read
// once per process: scripts/bench.sh explains its choice.
//
//===----------------------------------------------------------------------===//

#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <unordered_map>

// libgomp's (bench/CMakeLists.txt links it): the runtime oneDNN runs on.
extern "C" void omp_set_num_threads(int threads);

namespace {

class OneDNNLSTM {
public:
  OneDNNLSTM(int64_t steps, int64_t batch, int64_t input, int64_t hidden,
             const float *wIh, const float *wHh, const float *bias)
      : engine(dnnl::engine::kind::cpu, 0), stream(engine) {
    using tag = dnnl::memory::format_tag;
    auto md = [](dnnl::memory::dims dims, tag format) {
      return dnnl::memory::desc(dims, dnnl::memory::data_type::f32, format);
    };
    srcLayer = md({steps, batch, input}, tag::tnc);
    state = md({1, 1, batch, hidden}, tag::ldnc);
    dstLayer = md({steps, batch, hidden}, tag::tnc);
    biasDesc = md({1, 1, 4, hidden}, tag::ldgo);
    dnnl::lstm_forward::desc desc(
        dnnl::prop_kind::forward_inference,
        dnnl::rnn_direction::unidirectional_left2right, srcLayer, state, state,
        md({1, 1, input, 4, hidden}, tag::any),
        md({1, 1, hidden, 4, hidden}, tag::any), biasDesc, dstLayer, state,
        state);
    dnnl::lstm_forward::primitive_desc pd(desc, engine);
    implementationName = pd.impl_info_str();
    primitive = dnnl::lstm_forward(pd);
    // PyTorch's [4H, I] is oneDNN's ldgoi.
    weightsLayer = reordered(wIh, md({1, 1, input, 4, hidden}, tag::ldgoi),
                             pd.weights_layer_desc());
    weightsIter = reordered(wHh, md({1, 1, hidden, 4, hidden}, tag::ldgoi),
                            pd.weights_iter_desc());
    biasMemory = dnnl::memory(biasDesc, engine);
    std::copy(bias, bias + 4 * hidden,
              static_cast<float *>(biasMemory.get_data_handle()));
    if (pd.workspace_desc().get_size() > 0)
      workspace = dnnl::memory(pd.workspace_desc(), engine);
  }

  void run(const float *x, const float *h0, const float *c0, float *out,
           float *hN, float *cN) {
    auto wrap = [&](const dnnl::memory::desc &desc, const float *data) {
      return dnnl::memory(desc, engine, const_cast<float *>(data));
    };
    std::unordered_map<int, dnnl::memory> args = {
        {DNNL_ARG_SRC_LAYER, wrap(srcLayer, x)},
        {DNNL_ARG_SRC_ITER, wrap(state, h0)},
        {DNNL_ARG_SRC_ITER_C, wrap(state, c0)},
        {DNNL_ARG_WEIGHTS_LAYER, weightsLayer},
        {DNNL_ARG_WEIGHTS_ITER, weightsIter},
        {DNNL_ARG_BIAS, biasMemory},
        {DNNL_ARG_DST_LAYER, wrap(dstLayer, out)},
        {DNNL_ARG_DST_ITER, wrap(state, hN)},
        {DNNL_ARG_DST_ITER_C, wrap(state, cN)},
    };
    if (workspace)
      args[DNNL_ARG_WORKSPACE] = workspace;
    primitive.execute(stream, args);
    stream.wait();
  }

  const char *implementationInfo() const { return implementationName.c_str(); }

private:
  dnnl::memory reordered(const float *plain, const dnnl::memory::desc &from,
                         const dnnl::memory::desc &to) {
    dnnl::memory source(from, engine, const_cast<float *>(plain));
    dnnl::memory target(to, engine);
    dnnl::reorder(source, target).execute(stream, source, target);
    stream.wait();
    return target;
  }

  dnnl::engine engine;
  dnnl::stream stream;
  dnnl::memory::desc srcLayer, state, dstLayer, biasDesc;
  dnnl::lstm_forward primitive;
  dnnl::memory weightsLayer, weightsIter, biasMemory, workspace;
  std::string implementationName;
};

} // namespace

extern "C" {

/// Null (and a message on stderr) when oneDNN refuses the shape. The
/// primitive plans its work for the thread count of the time
/// (htb_onednn_set_threads), so a primitive is created per thread count.
void *htb_onednn_lstm_create(int64_t steps, int64_t batch, int64_t input,
                             int64_t hidden, const float *wIh,
                             const float *wHh, const float *bias) {
  try {
    return new OneDNNLSTM(steps, batch, input, hidden, wIh, wHh, bias);
  } catch (const std::exception &error) {
    std::fprintf(stderr, "oneDNN LSTM: %s\n", error.what());
    return nullptr;
  }
}

/// 0 on success.
int32_t htb_onednn_lstm_run(void *lstm, const float *x, const float *h0,
                            const float *c0, float *out, float *hN,
                            float *cN) {
  try {
    static_cast<OneDNNLSTM *>(lstm)->run(x, h0, c0, out, hN, cN);
    return 0;
  } catch (const std::exception &error) {
    std::fprintf(stderr, "oneDNN LSTM: %s\n", error.what());
    return 1;
  }
}

const char *htb_onednn_lstm_implementation(void *lstm) {
  return static_cast<OneDNNLSTM *>(lstm)->implementationInfo();
}

void htb_onednn_lstm_destroy(void *lstm) {
  delete static_cast<OneDNNLSTM *>(lstm);
}

void htb_onednn_set_threads(int32_t threads) { omp_set_num_threads(threads); }

const char *htb_onednn_version() {
  static char text[32];
  const dnnl_version_t *version = dnnl_version();
  std::snprintf(text, sizeof text, "%d.%d.%d", version->major, version->minor,
                version->patch);
  return text;
}

} // extern "C"
