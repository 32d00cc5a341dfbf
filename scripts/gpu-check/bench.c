/* Times a compiled UCF11-shaped CUDA library (ht-compile --target=cuda):
 * <prefix>_forward_cuda on device buffers with a caller-provided
 * workspace, one call per sample, the stream synchronised after each, and a
 * baseline: one launch of an empty kernel (the driver's launch latency).
 * Needs only libc and the driver; built on the CPU machine by
 * scripts/build-gpu-bundle.sh.
 *
 *   bench LIBRARY PREFIX INPUT_SIZE HIDDEN SEQ_LEN BATCH REPEATS
 *
 * Prints one line: "ht-mlir <prefix> T=.. B=.. median_us=.. per_step_us=..
 * launch_us=.. workspace_bytes=..", or "SKIP ..." with the reason. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;
static CUresult (*cuInit)(unsigned);
static CUresult (*cuDeviceGet)(int *, int);
static CUresult (*cuDevicePrimaryCtxRetain)(void **, int);
static CUresult (*cuCtxSetCurrent)(void *);
static CUresult (*cuCtxSynchronize)(void);
static CUresult (*cuMemAlloc)(CUdeviceptr *, size_t);
static CUresult (*cuMemsetD32)(CUdeviceptr, unsigned, size_t);
static CUresult (*cuModuleLoadData)(void **, const void *);
static CUresult (*cuModuleGetFunction)(void **, void *, const char *);
static CUresult (*cuLaunchKernel)(void *, unsigned, unsigned, unsigned, unsigned,
                                  unsigned, unsigned, unsigned, void *, void **,
                                  void **);

static const char kEmptyKernel[] =
    ".version 7.8\n.target sm_90\n.address_size 64\n"
    ".visible .entry empty()\n{\n\tret;\n}\n";

typedef int32_t (*Forward)(void *, int64_t, int64_t, const float *,
                           const float *, const float *, float *, float *,
                           float *, void *, uint64_t);
typedef int32_t (*WorkspaceBytes)(int64_t, int64_t, uint64_t *);

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec * 1e-3;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *samples, int count) {
  qsort(samples, count, sizeof(double), compare);
  return count % 2 ? samples[count / 2]
                   : 0.5 * (samples[count / 2 - 1] + samples[count / 2]);
}

#define CHECK(call)                                                            \
  do {                                                                         \
    CUresult result_ = (call);                                                 \
    if (result_) {                                                             \
      printf("SKIP %s failed with %d\n", #call, result_);                      \
      return 1;                                                                \
    }                                                                          \
  } while (0)

int main(int argc, char **argv) {
  if (argc != 8) {
    fprintf(stderr, "usage: bench LIBRARY PREFIX INPUT HIDDEN SEQ_LEN BATCH REPEATS\n");
    return 2;
  }
  const char *prefix = argv[2];
  long input = atol(argv[3]), hidden = atol(argv[4]);
  long seqLen = atol(argv[5]), batch = atol(argv[6]);
  int repeats = atoi(argv[7]);
  if (input < 1 || hidden < 1 || seqLen < 1 || batch < 1 || repeats < 1) {
    fprintf(stderr, "bench: sizes and repeats must be positive\n");
    return 2;
  }
  void *driver = dlopen("libcuda.so.1", RTLD_NOW);
  if (!driver) {
    printf("SKIP no libcuda.so.1 (no NVIDIA driver)\n");
    return 1;
  }
#define RESOLVE(name, symbol) *(void **)&name = dlsym(driver, symbol)
  RESOLVE(cuInit, "cuInit");
  RESOLVE(cuDeviceGet, "cuDeviceGet");
  RESOLVE(cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain");
  RESOLVE(cuCtxSetCurrent, "cuCtxSetCurrent");
  RESOLVE(cuCtxSynchronize, "cuCtxSynchronize");
  RESOLVE(cuMemAlloc, "cuMemAlloc_v2");
  RESOLVE(cuMemsetD32, "cuMemsetD32_v2");
  RESOLVE(cuModuleLoadData, "cuModuleLoadData");
  RESOLVE(cuModuleGetFunction, "cuModuleGetFunction");
  RESOLVE(cuLaunchKernel, "cuLaunchKernel");
  CHECK(cuInit(0));
  int device;
  void *context;
  CHECK(cuDeviceGet(&device, 0));
  CHECK(cuDevicePrimaryCtxRetain(&context, device));
  CHECK(cuCtxSetCurrent(context));

  void *library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    printf("SKIP cannot load %s: %s\n", argv[1], dlerror());
    return 1;
  }
  char name[256];
  snprintf(name, sizeof name, "%s_forward_cuda", prefix);
  Forward forward = (Forward)dlsym(library, name);
  snprintf(name, sizeof name, "%s_forward_workspace_bytes", prefix);
  WorkspaceBytes workspaceBytes = (WorkspaceBytes)dlsym(library, name);
  if (!forward || !workspaceBytes) {
    printf("SKIP %s has no %s_forward_cuda\n", argv[1], prefix);
    return 1;
  }
  uint64_t bytes = 0;
  if (workspaceBytes(seqLen, batch, &bytes)) {
    printf("SKIP workspace_bytes failed\n");
    return 1;
  }
  CUdeviceptr x, h0, c0, out, hn, cn, workspace;
  CHECK(cuMemAlloc(&x, 4 * seqLen * batch * input));
  CHECK(cuMemAlloc(&h0, 4 * batch * hidden));
  CHECK(cuMemAlloc(&c0, 4 * batch * hidden));
  CHECK(cuMemAlloc(&out, 4 * seqLen * batch * hidden));
  CHECK(cuMemAlloc(&hn, 4 * batch * hidden));
  CHECK(cuMemAlloc(&cn, 4 * batch * hidden));
  CHECK(cuMemAlloc(&workspace, bytes ? bytes : 256));
  /* 0x3c23d70a is 0.01f: finite, small inputs. */
  CHECK(cuMemsetD32(x, 0x3c23d70a, seqLen * batch * input));
  CHECK(cuMemsetD32(h0, 0, batch * hidden));
  CHECK(cuMemsetD32(c0, 0, batch * hidden));

  double *samples = malloc(sizeof(double) * repeats);
  for (int i = -3; i < repeats; ++i) { /* 3 warm-up calls load the modules */
    double start = now_us();
    int32_t status = forward(NULL, seqLen, batch, (const float *)x,
                             (const float *)h0, (const float *)c0, (float *)out,
                             (float *)hn, (float *)cn, (void *)workspace, bytes);
    CHECK(cuCtxSynchronize());
    if (status) {
      printf("SKIP %s_forward_cuda returned status %d\n", prefix, status);
      return 1;
    }
    if (i >= 0)
      samples[i] = now_us() - start;
  }
  double call = median(samples, repeats);

  void *module, *empty;
  CHECK(cuModuleLoadData(&module, kEmptyKernel));
  CHECK(cuModuleGetFunction(&empty, module, "empty"));
  for (int i = -3; i < repeats; ++i) {
    double start = now_us();
    CHECK(cuLaunchKernel(empty, 1, 1, 1, 32, 1, 1, 0, NULL, NULL, NULL));
    CHECK(cuCtxSynchronize());
    if (i >= 0)
      samples[i] = now_us() - start;
  }
  double launch = median(samples, repeats);
  printf("ht-mlir %s T=%ld B=%ld median_us=%.1f per_step_us=%.1f "
         "launch_us=%.1f workspace_bytes=%llu\n",
         prefix, seqLen, batch, call, call / seqLen, launch,
         (unsigned long long)bytes);
  return 0;
}
