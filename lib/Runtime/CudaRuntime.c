/*===- CudaRuntime.c - Linked into every CUDA model ------------------------===*
 *
 * The host code of ht-cuda-codegen calls MLIR's mgpu* functions (module
 * loading, launches, allocations, streams). This file provides them, on the
 * CUDA driver API reached through dlopen("libcuda.so.1"), so that a
 * compiled model needs nothing at link time but libc and loads on machines
 * without a GPU (its calls then return a status). ht-compile links it into
 * each CUDA library as bitcode with internal linkage, like ModelRuntime.c.
 *
 * A call of the C API runs the host code twice (docs/CUDA.md):
 *  1. measuring: no driver call at all; launches and copies are skipped and
 *     the allocations are laid out in an arena of unbounded size. The host
 *     code never reads tensor data (ht-gpu-device-buffers checks it), so
 *     its allocation sequence depends on the sizes alone, and the arena's
 *     high-water mark is the exact workspace the call needs. That is what
 *     <prefix>_<entry>_workspace_bytes returns.
 *  2. running: the same sequence laid out the same way in the caller's
 *     workspace, every launch and copy on the caller's stream. Frees return
 *     space for later allocations at once: stream order makes the reuse
 *     safe, so nothing synchronises and the call can be captured into a
 *     CUDA graph.
 * Every "stream" the host code creates is the caller's, every event a
 * no-op: all work of a call is on one stream.
 *
 * The first failing driver call of a call is recorded; later launches and
 * copies of that call are skipped, and the C API function returns the
 * status. Nothing here prints or exits.
 *
 *===----------------------------------------------------------------------===*/

#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Matches mlir::ht::CApiStatus. */
enum {
  HT_STATUS_OK = 0,
  HT_STATUS_OUT_OF_MEMORY = 3,
  HT_STATUS_NO_CUDA_DRIVER = 5,
  HT_STATUS_NO_CUDA_DEVICE = 6,
  HT_STATUS_CUDA_FAILED = 7,
  HT_STATUS_WORKSPACE_TOO_SMALL = 8,
};

/* From ModelRuntime.c, linked into the same library: runs the host code
 * with its bookkeeping mallocs checked. */
int32_t __ht_run_guarded(void (*body)(void **), void **arguments,
                         int32_t threads);

/*===----------------------------------------------------------------------===*
 * The driver, resolved at run time
 *===----------------------------------------------------------------------===*/

typedef int CUresult;
typedef int CUdevice;
typedef void *CUcontext;
typedef void *CUmodule;
typedef void *CUfunction;
typedef void *CUstream;
typedef unsigned long long CUdeviceptr;

enum { CUDA_SUCCESS = 0, CUDA_ERROR_STUB_LIBRARY = 34 };

static struct {
  CUresult (*init)(unsigned);
  CUresult (*deviceGet)(CUdevice *, int);
  CUresult (*primaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*ctxGetCurrent)(CUcontext *);
  CUresult (*ctxPushCurrent)(CUcontext);
  CUresult (*ctxPopCurrent)(CUcontext *);
  CUresult (*moduleLoadData)(CUmodule *, const void *);
  CUresult (*moduleUnload)(CUmodule);
  CUresult (*moduleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*launchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                           unsigned, unsigned, unsigned, CUstream, void **,
                           void **);
  CUresult (*memAlloc)(CUdeviceptr *, size_t);
  CUresult (*memFree)(CUdeviceptr);
  CUresult (*memcpyAsync)(CUdeviceptr, CUdeviceptr, size_t, CUstream);
  CUresult (*memcpyHtoD)(CUdeviceptr, const void *, size_t);
  CUresult (*memcpyDtoH)(void *, CUdeviceptr, size_t);
  CUresult (*memsetD32Async)(CUdeviceptr, unsigned, size_t, CUstream);
  CUresult (*memsetD16Async)(CUdeviceptr, unsigned short, size_t, CUstream);
  CUresult (*streamSynchronize)(CUstream);
  CUresult (*getErrorName)(CUresult, const char **);
} driver;

static pthread_once_t driverOnce = PTHREAD_ONCE_INIT;
static int32_t driverStatus;
static CUcontext primaryContext;

/* The last failure of any call in this process, for
 * <prefix>_cuda_last_error(). */
static pthread_mutex_t lastErrorLock = PTHREAD_MUTEX_INITIALIZER;
static char lastError[256] = "no CUDA error";

static void recordError(const char *what, CUresult result) {
  const char *name = NULL;
  if (driver.getErrorName)
    driver.getErrorName(result, &name);
  pthread_mutex_lock(&lastErrorLock);
  if (result == CUDA_SUCCESS)
    snprintf(lastError, sizeof(lastError), "%s", what);
  else
    snprintf(lastError, sizeof(lastError), "%s failed with %s (%d)", what,
             name ? name : "an unknown CUresult", result);
  pthread_mutex_unlock(&lastErrorLock);
}

const char *__ht_cuda_last_error(void) { return lastError; }

static void *resolve(void *library, const char *name, int *missing) {
  void *symbol = dlsym(library, name);
  if (!symbol)
    *missing = 1;
  return symbol;
}

static void loadDriver(void) {
  /* Local, and never closed: the library stays for the process. */
  void *library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    driverStatus = HT_STATUS_NO_CUDA_DRIVER;
    recordError("dlopen(\"libcuda.so.1\") (is the NVIDIA driver installed?)",
                CUDA_SUCCESS);
    return;
  }
  int missing = 0;
#define RESOLVE(field, name) *(void **)&driver.field = resolve(library, name, &missing)
  RESOLVE(init, "cuInit");
  RESOLVE(deviceGet, "cuDeviceGet");
  RESOLVE(primaryCtxRetain, "cuDevicePrimaryCtxRetain");
  RESOLVE(ctxGetCurrent, "cuCtxGetCurrent");
  RESOLVE(ctxPushCurrent, "cuCtxPushCurrent_v2");
  RESOLVE(ctxPopCurrent, "cuCtxPopCurrent_v2");
  RESOLVE(moduleLoadData, "cuModuleLoadData");
  RESOLVE(moduleUnload, "cuModuleUnload");
  RESOLVE(moduleGetFunction, "cuModuleGetFunction");
  RESOLVE(launchKernel, "cuLaunchKernel");
  RESOLVE(memAlloc, "cuMemAlloc_v2");
  RESOLVE(memFree, "cuMemFree_v2");
  RESOLVE(memcpyAsync, "cuMemcpyAsync");
  RESOLVE(memcpyHtoD, "cuMemcpyHtoD_v2");
  RESOLVE(memcpyDtoH, "cuMemcpyDtoH_v2");
  RESOLVE(memsetD32Async, "cuMemsetD32Async");
  RESOLVE(memsetD16Async, "cuMemsetD16Async");
  RESOLVE(streamSynchronize, "cuStreamSynchronize");
  RESOLVE(getErrorName, "cuGetErrorName");
#undef RESOLVE
  if (missing) {
    driverStatus = HT_STATUS_NO_CUDA_DRIVER;
    recordError("resolving the CUDA driver API in libcuda.so.1 (driver too "
                "old?)",
                CUDA_SUCCESS);
    return;
  }
  CUresult result = driver.init(0);
  if (result != CUDA_SUCCESS) {
    driverStatus = HT_STATUS_NO_CUDA_DEVICE;
    recordError(result == CUDA_ERROR_STUB_LIBRARY
                    ? "cuInit (libcuda.so.1 is the toolkit's stub, not a "
                      "driver)"
                    : "cuInit",
                result);
    return;
  }
  CUdevice device;
  result = driver.deviceGet(&device, 0);
  if (result == CUDA_SUCCESS)
    result = driver.primaryCtxRetain(&primaryContext, device);
  if (result != CUDA_SUCCESS) {
    driverStatus = HT_STATUS_NO_CUDA_DEVICE;
    recordError("getting device 0 and its primary context", result);
  }
}

static int32_t ensureDriver(void) {
  pthread_once(&driverOnce, loadDriver);
  return driverStatus;
}

/*===----------------------------------------------------------------------===*
 * Kernel modules, loaded on first use
 *===----------------------------------------------------------------------===*/

typedef struct KernelModule {
  const void *image; /* fatbin, cubin or NUL-terminated PTX */
  CUmodule module;
  CUcontext context; /* the context `module` was loaded in */
} KernelModule;

static pthread_mutex_t moduleLock = PTHREAD_MUTEX_INITIALIZER;

/* Called from the library's constructors: records the image only, so that
 * loading a library never touches the driver. */
void *mgpuModuleLoad(void *image, size_t size) {
  (void)size;
  KernelModule *module = calloc(1, sizeof(KernelModule));
  if (module)
    module->image = image;
  return module;
}

void *mgpuModuleLoadJIT(void *image, int optLevel) {
  (void)optLevel;
  return mgpuModuleLoad(image, 0);
}

void mgpuModuleUnload(void *handle) {
  KernelModule *module = handle;
  if (!module)
    return;
  if (module->module && driver.moduleUnload)
    driver.moduleUnload(module->module);
  free(module);
}

/*===----------------------------------------------------------------------===*
 * The running call
 *===----------------------------------------------------------------------===*/

typedef struct Block {
  uint64_t offset, size;
} Block;

typedef struct CallState {
  int measuring;
  int32_t status;
  CUstream stream;
  CUcontext context;
  /* The workspace arena: live blocks sorted by offset. */
  uintptr_t base;
  uint64_t capacity, highWater;
  Block *blocks;
  size_t numBlocks, maxBlocks;
} CallState;

static pthread_key_t currentCallKey;
static pthread_once_t currentCallKeyOnce = PTHREAD_ONCE_INIT;
static int currentCallKeyFailed;

static void createCurrentCallKey(void) {
  currentCallKeyFailed = pthread_key_create(&currentCallKey, NULL) != 0;
}

static CallState *currentCall(void) {
  return currentCallKeyFailed ? NULL : pthread_getspecific(currentCallKey);
}

/* Records the first failure of the call. */
static void fail(CallState *call, int32_t status, const char *what,
                 CUresult result) {
  if (call->status == HT_STATUS_OK) {
    call->status = status;
    recordError(what, result);
  }
}

/* Where measuring runs put the arena: fake, non-null, distinct addresses
 * (the deallocation code compares pointers; it never dereferences them). */
enum { MEASURING_BASE = 1 << 20, ALIGNMENT = 256 };

void *mgpuMemAlloc(uint64_t size, void *stream, int8_t hostShared) {
  (void)stream;
  (void)hostShared;
  CallState *call = currentCall();
  if (!call || call->status != HT_STATUS_OK)
    return NULL;
  uint64_t rounded = size == 0 ? ALIGNMENT : size;
  if (rounded > UINT64_MAX - ALIGNMENT) {
    fail(call, HT_STATUS_OUT_OF_MEMORY, "an allocation past 2^64 bytes", 0);
    return NULL;
  }
  rounded = (rounded + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
  /* First fit between the live blocks. */
  uint64_t offset = 0;
  size_t position = 0;
  for (; position < call->numBlocks; ++position) {
    if (call->blocks[position].offset - offset >= rounded)
      break;
    offset = call->blocks[position].offset + call->blocks[position].size;
  }
  if (offset > call->capacity || call->capacity - offset < rounded) {
    fail(call, HT_STATUS_WORKSPACE_TOO_SMALL,
         "the workspace is smaller than the call needs", 0);
    return NULL;
  }
  if (call->numBlocks == call->maxBlocks) {
    size_t grown = call->maxBlocks ? 2 * call->maxBlocks : 16;
    Block *blocks = realloc(call->blocks, grown * sizeof(Block));
    if (!blocks) {
      fail(call, HT_STATUS_OUT_OF_MEMORY, "the workspace bookkeeping", 0);
      return NULL;
    }
    call->blocks = blocks;
    call->maxBlocks = grown;
  }
  memmove(call->blocks + position + 1, call->blocks + position,
          (call->numBlocks - position) * sizeof(Block));
  call->blocks[position] = (Block){offset, rounded};
  ++call->numBlocks;
  if (offset + rounded > call->highWater)
    call->highWater = offset + rounded;
  return (void *)(call->base + offset);
}

void mgpuMemFree(void *pointer, void *stream) {
  (void)stream;
  CallState *call = currentCall();
  if (!call || !pointer)
    return;
  uint64_t offset = (uintptr_t)pointer - call->base;
  for (size_t position = 0; position < call->numBlocks; ++position)
    if (call->blocks[position].offset == offset) {
      memmove(call->blocks + position, call->blocks + position + 1,
              (call->numBlocks - position - 1) * sizeof(Block));
      --call->numBlocks;
      return;
    }
}

/* Whether the call should make driver calls now. */
static CallState *runningCall(void) {
  CallState *call = currentCall();
  if (!call || call->measuring || call->status != HT_STATUS_OK)
    return NULL;
  return call;
}

void *mgpuModuleGetFunction(void *handle, const char *name) {
  CallState *call = currentCall();
  if (!call)
    return NULL;
  if (call->measuring)
    return (void *)name; /* any non-null value: it is never launched */
  if (call->status != HT_STATUS_OK)
    return NULL;
  KernelModule *module = handle;
  if (!module) {
    fail(call, HT_STATUS_OUT_OF_MEMORY, "recording a kernel module", 0);
    return NULL;
  }
  pthread_mutex_lock(&moduleLock);
  CUresult result = CUDA_SUCCESS;
  if (!module->module || module->context != call->context) {
    /* A module belongs to one context; a caller that switches contexts
     * gets the kernels loaded again in the new one. */
    CUmodule loaded = NULL;
    result = driver.moduleLoadData(&loaded, module->image);
    if (result == CUDA_SUCCESS) {
      module->module = loaded;
      module->context = call->context;
    }
  }
  CUmodule loaded = module->module;
  pthread_mutex_unlock(&moduleLock);
  if (result != CUDA_SUCCESS) {
    fail(call, HT_STATUS_CUDA_FAILED,
         "cuModuleLoadData (is the GPU older than the kernels' chip?)",
         result);
    return NULL;
  }
  CUfunction function = NULL;
  result = driver.moduleGetFunction(&function, loaded, name);
  if (result != CUDA_SUCCESS) {
    fail(call, HT_STATUS_CUDA_FAILED, "cuModuleGetFunction", result);
    return NULL;
  }
  return function;
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedBytes, void *stream,
                      void **params, void **extra, size_t numParams) {
  (void)stream;
  (void)numParams;
  CallState *call = runningCall();
  if (!call)
    return;
  if (gridX < 1 || gridX > INT32_MAX || gridY < 1 || gridY > 65535 ||
      gridZ < 1 || gridZ > 65535) {
    fail(call, HT_STATUS_CUDA_FAILED,
         "a launch whose grid exceeds CUDA's limits (too many elements "
         "for one kernel)",
         0);
    return;
  }
  CUresult result = driver.launchKernel(
      function, (unsigned)gridX, (unsigned)gridY, (unsigned)gridZ,
      (unsigned)blockX, (unsigned)blockY, (unsigned)blockZ,
      (unsigned)sharedBytes, call->stream, params, extra);
  if (result != CUDA_SUCCESS)
    fail(call, HT_STATUS_CUDA_FAILED, "cuLaunchKernel", result);
}

void *mgpuStreamCreate(void) {
  CallState *call = currentCall();
  return call ? call->stream : NULL;
}
void mgpuStreamDestroy(void *stream) { (void)stream; }
void mgpuStreamSynchronize(void *stream) { (void)stream; }
void mgpuStreamWaitEvent(void *stream, void *event) {
  (void)stream;
  (void)event;
}
void *mgpuEventCreate(void) { return (void *)&currentCallKey; }
void mgpuEventDestroy(void *event) { (void)event; }
void mgpuEventSynchronize(void *event) { (void)event; }
void mgpuEventRecord(void *event, void *stream) {
  (void)event;
  (void)stream;
}
void mgpuSetDefaultDevice(int32_t device) { (void)device; }

void mgpuMemcpy(void *destination, void *source, size_t bytes, void *stream) {
  (void)stream;
  CallState *call = runningCall();
  if (!call)
    return;
  CUresult result = driver.memcpyAsync((CUdeviceptr)destination,
                                       (CUdeviceptr)source, bytes, call->stream);
  if (result != CUDA_SUCCESS)
    fail(call, HT_STATUS_CUDA_FAILED, "cuMemcpyAsync", result);
}

void mgpuMemset32(void *destination, unsigned value, size_t count,
                  void *stream) {
  (void)stream;
  CallState *call = runningCall();
  if (!call)
    return;
  CUresult result = driver.memsetD32Async((CUdeviceptr)destination, value,
                                          count, call->stream);
  if (result != CUDA_SUCCESS)
    fail(call, HT_STATUS_CUDA_FAILED, "cuMemsetD32Async", result);
}

void mgpuMemset16(void *destination, unsigned short value, size_t count,
                  void *stream) {
  (void)stream;
  CallState *call = runningCall();
  if (!call)
    return;
  CUresult result = driver.memsetD16Async((CUdeviceptr)destination, value,
                                          count, call->stream);
  if (result != CUDA_SUCCESS)
    fail(call, HT_STATUS_CUDA_FAILED, "cuMemsetD16Async", result);
}

/*===----------------------------------------------------------------------===*
 * What the C API functions call
 *===----------------------------------------------------------------------===*/

/* Runs the host code once in `call`'s mode. */
static int32_t runHostCode(CallState *call, void (*body)(void **),
                           void **arguments) {
  pthread_once(&currentCallKeyOnce, createCurrentCallKey);
  if (currentCallKeyFailed)
    return HT_STATUS_OUT_OF_MEMORY;
  CallState *outer = currentCall();
  pthread_setspecific(currentCallKey, call);
  int32_t status = __ht_run_guarded(body, arguments, 1);
  pthread_setspecific(currentCallKey, outer);
  free(call->blocks);
  call->blocks = NULL;
  call->numBlocks = call->maxBlocks = 0;
  return status != HT_STATUS_OK ? status : call->status;
}

/* The workspace a call with these arguments needs. No driver call: works
 * without a GPU. */
int32_t __ht_cuda_measure(void (*body)(void **), void **arguments,
                          uint64_t *bytes) {
  CallState call = {0};
  call.measuring = 1;
  call.base = MEASURING_BASE;
  call.capacity = UINT64_MAX - MEASURING_BASE;
  int32_t status = runHostCode(&call, body, arguments);
  *bytes = call.highWater;
  return status;
}

/* Makes a context current for the call: the caller's, else device 0's
 * primary context (pushed; *pushed says whether to pop it). */
static int32_t enterContext(CUcontext *context, int *pushed) {
  int32_t status = ensureDriver();
  if (status != HT_STATUS_OK)
    return status;
  *pushed = 0;
  CUresult result = driver.ctxGetCurrent(context);
  if (result == CUDA_SUCCESS && !*context) {
    result = driver.ctxPushCurrent(primaryContext);
    *context = primaryContext;
    *pushed = result == CUDA_SUCCESS;
  }
  if (result != CUDA_SUCCESS) {
    recordError("making a CUDA context current", result);
    return HT_STATUS_CUDA_FAILED;
  }
  return HT_STATUS_OK;
}

static void leaveContext(int pushed) {
  if (pushed) {
    CUcontext popped;
    driver.ctxPopCurrent(&popped);
  }
}

/* The call on device pointers, asynchronous on `stream` when the caller
 * gives a workspace; with none, one of `needed` bytes is allocated, and
 * freed after the stream is synchronised. */
static int32_t callOnDevice(void (*body)(void **), void **arguments,
                            CUstream stream, void *workspace,
                            uint64_t workspaceBytes, uint64_t needed,
                            CUcontext context) {
  CUdeviceptr owned = 0;
  if (!workspace && needed > 0) {
    CUresult result = driver.memAlloc(&owned, needed);
    if (result != CUDA_SUCCESS) {
      recordError("cuMemAlloc of the call's workspace", result);
      return HT_STATUS_OUT_OF_MEMORY;
    }
    workspace = (void *)owned;
    workspaceBytes = needed;
  }
  CallState call = {0};
  call.stream = stream;
  call.context = context;
  call.base = (uintptr_t)workspace;
  call.capacity = workspaceBytes;
  int32_t status = runHostCode(&call, body, arguments);
  if (owned) {
    CUresult result = driver.streamSynchronize(stream);
    if (result != CUDA_SUCCESS && status == HT_STATUS_OK) {
      recordError("cuStreamSynchronize", result);
      status = HT_STATUS_CUDA_FAILED;
    }
    driver.memFree(owned);
  }
  return status;
}

int32_t __ht_cuda_call(void (*body)(void **), void **arguments, void *stream,
                       void *workspace, uint64_t workspaceBytes) {
  /* The workspace is checked before the driver is touched. */
  uint64_t needed;
  int32_t status = __ht_cuda_measure(body, arguments, &needed);
  if (status != HT_STATUS_OK)
    return status;
  if (workspace && workspaceBytes < needed) {
    pthread_mutex_lock(&lastErrorLock);
    snprintf(lastError, sizeof(lastError),
             "the workspace has %llu bytes; the call needs %llu",
             (unsigned long long)workspaceBytes, (unsigned long long)needed);
    pthread_mutex_unlock(&lastErrorLock);
    return HT_STATUS_WORKSPACE_TOO_SMALL;
  }
  CUcontext context;
  int pushed;
  status = enterContext(&context, &pushed);
  if (status != HT_STATUS_OK)
    return status;
  status = callOnDevice(body, arguments, stream, workspace, workspaceBytes,
                        needed, context);
  leaveContext(pushed);
  return status;
}

/* The memref descriptors' first two fields are the allocated and the
 * aligned pointer, whatever the rank. */
typedef struct DescriptorHead {
  void *allocated, *aligned;
} DescriptorHead;

/* Host pointers in, host pointers out: copies the inputs to the device, runs
 * the call on the default stream, copies the outputs back. `bytes[i]` is
 * tensor i's size; the first `numInputs` are inputs. */
int32_t __ht_cuda_call_host(void (*body)(void **), void **arguments,
                            int32_t numInputs, int32_t numTensors,
                            const uint64_t *bytes) {
  CUcontext context;
  int pushed;
  int32_t status = enterContext(&context, &pushed);
  if (status != HT_STATUS_OK)
    return status;
  void **hostPointers = calloc((size_t)numTensors, sizeof(void *));
  CUdeviceptr *devicePointers = calloc((size_t)numTensors, sizeof(CUdeviceptr));
  if (!hostPointers || !devicePointers) {
    free(hostPointers);
    free(devicePointers);
    leaveContext(pushed);
    return HT_STATUS_OUT_OF_MEMORY;
  }
  int32_t allocated = 0;
  for (; allocated < numTensors && status == HT_STATUS_OK; ++allocated) {
    DescriptorHead *descriptor = arguments[allocated];
    hostPointers[allocated] = descriptor->aligned;
    CUresult result = driver.memAlloc(&devicePointers[allocated],
                                      bytes[allocated] ? bytes[allocated] : 1);
    if (result != CUDA_SUCCESS) {
      recordError("cuMemAlloc of a tensor", result);
      status = HT_STATUS_OUT_OF_MEMORY;
      break;
    }
    if (allocated < numInputs) {
      result = driver.memcpyHtoD(devicePointers[allocated],
                                 hostPointers[allocated], bytes[allocated]);
      if (result != CUDA_SUCCESS) {
        recordError("cuMemcpyHtoD of an input", result);
        status = HT_STATUS_CUDA_FAILED;
      }
    }
    descriptor->allocated = descriptor->aligned =
        (void *)devicePointers[allocated];
  }
  uint64_t needed = 0;
  if (status == HT_STATUS_OK)
    status = __ht_cuda_measure(body, arguments, &needed);
  if (status == HT_STATUS_OK)
    status = callOnDevice(body, arguments, NULL, NULL, 0, needed, context);
  for (int32_t tensor = numInputs; tensor < numTensors && status == HT_STATUS_OK;
       ++tensor) {
    CUresult result = driver.memcpyDtoH(hostPointers[tensor],
                                        devicePointers[tensor], bytes[tensor]);
    if (result != CUDA_SUCCESS) {
      recordError("cuMemcpyDtoH of an output", result);
      status = HT_STATUS_CUDA_FAILED;
    }
  }
  for (int32_t tensor = 0; tensor < allocated; ++tensor) {
    if (devicePointers[tensor])
      driver.memFree(devicePointers[tensor]);
    DescriptorHead *descriptor = arguments[tensor];
    descriptor->allocated = descriptor->aligned = hostPointers[tensor];
  }
  free(hostPointers);
  free(devicePointers);
  leaveContext(pushed);
  return status;
}
