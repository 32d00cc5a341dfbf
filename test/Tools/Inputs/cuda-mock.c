/* The CUDA runtime's calls into the driver, against mock_cuda.c (loaded as
 * libcuda.so.1): lazy module loading, launches on the caller's stream in the
 * caller's context, no allocation with a caller workspace, copies and one
 * synchronisation for the host-pointer function. */
#include "tiny_cuda.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  void *driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_GLOBAL);
  if (!driver)
    return 3;
  void (*expectStream)(void *) = (void (*)(void *))dlsym(driver, "mock_expect_stream");
  void (*report)(const char *) = (void (*)(const char *))dlsym(driver, "mock_report");
  enum { T = 5, B = 3 };
  float *x = calloc(T * B * 2, 4), *h0 = calloc(B, 4), *c0 = calloc(B, 4);
  float *out = calloc(T * B, 4), *hn = calloc(B, 4), *cn = calloc(B, 4);
  uint64_t bytes;
  tiny_cuda_forward_workspace_bytes(T, B, &bytes);
  void *workspace = aligned_alloc(256, (bytes + 255) / 256 * 256);
  void *stream = (void *)(uintptr_t)0x5000;
  expectStream(stream);
  for (int call = 0; call < 2; ++call) {
    int32_t status = tiny_cuda_forward_cuda(stream, T, B, x, h0, c0, out, hn, cn,
                                            workspace, bytes);
    printf("cuda call %d: status %d\n", call, status);
    report(call ? "second call" : "first call");
  }
  expectStream(NULL);
  printf("host call: status %d\n", tiny_cuda_forward(T, B, x, h0, c0, out, hn, cn));
  report("host call");
  printf("cuda call, no workspace: status %d\n",
         tiny_cuda_forward_cuda(NULL, T, B, x, h0, c0, out, hn, cn, NULL, 0));
  report("no workspace");
  return 0;
}
