/* The CUDA C API of tiny-lstm.mlir (ht-compile --target=cuda) on a machine
 * without a GPU: the argument checks, the workspace size (measured without
 * a driver), and the statuses of a missing or stub driver. */
#include "tiny_cuda.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void report(const char *what, int32_t status) {
  printf("%s: %d %s\n", what, status, tiny_cuda_status_string(status));
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "checks";
  enum { T = 5, B = 3, I = 2, H = 1 };
  float *x = calloc(T * B * I, sizeof(float));
  float *h0 = calloc(B * H, sizeof(float)), *c0 = calloc(B * H, sizeof(float));
  float *out = calloc(T * B * H, sizeof(float));
  float *hn = calloc(B * H, sizeof(float)), *cn = calloc(B * H, sizeof(float));

  if (!strcmp(mode, "checks")) {
    uint64_t small = 0, again = 0, longer = 0;
    report("workspace T=5 B=3", tiny_cuda_forward_workspace_bytes(T, B, &small));
    tiny_cuda_forward_workspace_bytes(T, B, &again);
    tiny_cuda_forward_workspace_bytes(4 * T, B, &longer);
    printf("workspace: positive %d, 256-byte multiple %d, deterministic %d, "
           "grows with seq_len %d\n",
           small > 0, small % 256 == 0, small == again, longer > small);
    report("workspace seq_len 0", tiny_cuda_forward_workspace_bytes(0, B, &small));
    report("workspace NULL bytes", tiny_cuda_forward_workspace_bytes(T, B, NULL));
    report("cuda null x", tiny_cuda_forward_cuda(NULL, T, B, NULL, h0, c0, out,
                                                 hn, cn, NULL, 0));
    report("cuda batch 2^31+1",
           tiny_cuda_forward_cuda(NULL, T, (1ll << 31) + 1, x, h0, c0, out, hn,
                                  cn, NULL, 0));
    /* Checked before any driver call. */
    report("cuda workspace 1 byte short",
           tiny_cuda_forward_cuda(NULL, T, B, x, h0, c0, out, hn, cn,
                                  (void *)(uintptr_t)4096, again - 1));
    printf("  %s\n", tiny_cuda_cuda_last_error());
    report("host null c_n", tiny_cuda_forward(T, B, x, h0, c0, out, hn, NULL));
    report("host seq_len -1", tiny_cuda_forward(-1, B, x, h0, c0, out, hn, cn));
    report("unknown code", 99);
    printf("version matches the header: %d\n",
           strcmp(tiny_cuda_version(), HT_MLIR_VERSION) == 0);
  } else {
    /* No usable driver: every call that needs one says so, twice. */
    for (int i = 0; i < 2; ++i) {
      report("host", tiny_cuda_forward(T, B, x, h0, c0, out, hn, cn));
      report("cuda", tiny_cuda_forward_cuda(NULL, T, B, x, h0, c0, out, hn, cn,
                                            NULL, 0));
    }
    printf("  %s\n", tiny_cuda_cuda_last_error());
    uint64_t bytes = 0;
    report("workspace still measured",
           tiny_cuda_forward_workspace_bytes(T, B, &bytes));
  }
  free(x); free(h0); free(c0); free(out); free(hn); free(cn);
  return 0;
}
