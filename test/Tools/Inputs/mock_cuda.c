/* A stand-in libcuda.so.1 for testing the CUDA runtime's use of the driver
 * on a machine without a GPU: it executes nothing (kernels are not run;
 * "device" memory is host memory), checks what it is given and counts it,
 * and prints a summary at exit. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;
static int contextDepth, maxDepth, pushes, pops, loads, fatbins, launches,
    launchesOffStream, badLaunches, allocs, frees, copies, syncs;
static void *expectedStream;
static int primary;

void mock_expect_stream(void *stream) { expectedStream = stream; }

CUresult cuInit(unsigned flags) { return flags ? 1 : 0; }
CUresult cuDeviceGet(int *device, int ordinal) { *device = ordinal; return ordinal ? 101 : 0; }
CUresult cuDevicePrimaryCtxRetain(void **context, int device) {
  (void)device;
  *context = &primary;
  return 0;
}
CUresult cuCtxGetCurrent(void **context) {
  *context = contextDepth ? &primary : NULL;
  return 0;
}
CUresult cuCtxPushCurrent_v2(void *context) {
  if (context != &primary)
    return 201;
  ++pushes;
  if (++contextDepth > maxDepth)
    maxDepth = contextDepth;
  return 0;
}
CUresult cuCtxPopCurrent_v2(void **context) {
  ++pops;
  --contextDepth;
  if (context)
    *context = &primary;
  return 0;
}
CUresult cuModuleLoadData(void **module, const void *image) {
  uint32_t magic;
  memcpy(&magic, image, 4);
  fatbins += magic == 0xBA55ED50u; /* a fatbin's header */
  ++loads;
  *module = malloc(1);
  return 0;
}
CUresult cuModuleUnload(void *module) { free(module); return 0; }
CUresult cuModuleGetFunction(void **function, void *module, const char *name) {
  (void)module;
  *function = (void *)name;
  return name && *name ? 0 : 500;
}
CUresult cuLaunchKernel(void *function, unsigned gx, unsigned gy, unsigned gz,
                        unsigned bx, unsigned by, unsigned bz, unsigned smem,
                        void *stream, void **params, void **extra) {
  (void)smem;
  (void)extra;
  ++launches;
  if (!contextDepth || !function || !params || !gx || !gy || !gz || !bx ||
      !by || !bz || bx * by * bz > 1024)
    ++badLaunches;
  if (stream != expectedStream)
    ++launchesOffStream;
  return 0;
}
CUresult cuMemAlloc_v2(unsigned long long *pointer, size_t bytes) {
  ++allocs;
  *pointer = (unsigned long long)(uintptr_t)calloc(1, bytes);
  return *pointer ? 0 : 2;
}
CUresult cuMemFree_v2(unsigned long long pointer) {
  ++frees;
  free((void *)(uintptr_t)pointer);
  return 0;
}
CUresult cuMemcpyAsync(unsigned long long d, unsigned long long s, size_t n, void *stream) {
  (void)stream;
  ++copies;
  memmove((void *)(uintptr_t)d, (void *)(uintptr_t)s, n);
  return 0;
}
CUresult cuMemcpyHtoD_v2(unsigned long long d, const void *s, size_t n) {
  ++copies;
  memcpy((void *)(uintptr_t)d, s, n);
  return 0;
}
CUresult cuMemcpyDtoH_v2(void *d, unsigned long long s, size_t n) {
  ++copies;
  memcpy(d, (void *)(uintptr_t)s, n);
  return 0;
}
CUresult cuMemsetD32Async(unsigned long long d, unsigned v, size_t n, void *s) {
  (void)s;
  for (size_t i = 0; i < n; ++i)
    ((unsigned *)(uintptr_t)d)[i] = v;
  return 0;
}
CUresult cuMemsetD16Async(unsigned long long d, unsigned short v, size_t n, void *s) {
  (void)s;
  for (size_t i = 0; i < n; ++i)
    ((unsigned short *)(uintptr_t)d)[i] = v;
  return 0;
}
CUresult cuStreamSynchronize(void *stream) { (void)stream; ++syncs; return 0; }
CUresult cuGetErrorName(CUresult result, const char **name) {
  *name = result ? "MOCK_ERROR" : "CUDA_SUCCESS";
  return 0;
}

void mock_report(const char *when) {
  printf("mock %s: %d module loads (%d fatbins), %d launches (%d bad, %d off "
         "the stream), %d allocs, %d frees, %d copies, %d syncs, context "
         "pushes %d pops %d, depth now %d\n",
         when, loads, fatbins, launches, badLaunches, launchesOffStream, allocs,
         frees, copies, syncs, pushes, pops, contextDepth);
  loads = fatbins = launches = badLaunches = launchesOffStream = allocs =
      frees = copies = syncs = pushes = pops = 0;
}
