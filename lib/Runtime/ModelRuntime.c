/*===- ModelRuntime.c - Linked into every compiled model -------------------===*
 *
 * The compiled code allocates its intermediates with malloc and frees them
 * before returning. ht-compile routes those calls here, so that a failed
 * allocation ends the call with HT_ERROR_OUT_OF_MEMORY instead of a
 * dereferenced NULL: the C API function runs the model under
 * __ht_run_guarded, which keeps a list of the live allocations of this call;
 * __ht_malloc jumps back to it when malloc fails, and it frees them all.
 *
 * ht-compile compiles this file to bitcode at build time and links it into
 * each model with internal linkage: a library has no runtime dependency and
 * two models in one process do not share state. Calls on different threads
 * have their own state (a pthread key, not _Thread_local: MLIR's JIT, which
 * ht-run uses, cannot allocate TLS sections), so the library stays
 * reentrant.
 *
 * Multi-threaded models (ht-parallelize) ask __ht_threads() how many threads
 * the running call may use. Their worker threads never allocate: only the
 * calling thread does, under the guard.
 *
 *===----------------------------------------------------------------------===*/

#define _GNU_SOURCE /* sched_getaffinity */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* Matches mlir::ht::kCApiOutOfMemory. */
enum { HT_RUNTIME_OUT_OF_MEMORY = 3 };

/* Precedes every allocation; 16 bytes keep malloc's alignment. */
typedef struct Allocation {
  struct Allocation *previous, *next;
} Allocation;

typedef struct CallState {
  jmp_buf onFailure;
  Allocation live; /* the list's sentinel */
  int64_t threads; /* at least 1 */
} CallState;

/* The CallState of this thread's running call, or NULL. */
static pthread_key_t currentCallKey;
static pthread_once_t currentCallKeyOnce = PTHREAD_ONCE_INIT;
static int currentCallKeyFailed;

static void createCurrentCallKey(void) {
  currentCallKeyFailed = pthread_key_create(&currentCallKey, NULL) != 0;
}

static CallState *currentCall(void) {
  return currentCallKeyFailed ? NULL
                              : (CallState *)pthread_getspecific(currentCallKey);
}

void *__ht_malloc(size_t size) {
  CallState *call = currentCall();
  Allocation *block = size <= SIZE_MAX - sizeof(Allocation)
                          ? malloc(sizeof(Allocation) + size)
                          : NULL;
  if (!block) {
    if (call)
      longjmp(call->onFailure, 1);
    /* Not under a guard (no C API function on the stack): fail as malloc. */
    return NULL;
  }
  if (call) {
    block->previous = &call->live;
    block->next = call->live.next;
    call->live.next->previous = block;
    call->live.next = block;
  } else {
    block->previous = block->next = block;
  }
  return block + 1;
}

void __ht_free(void *pointer) {
  if (!pointer)
    return;
  Allocation *block = (Allocation *)pointer - 1;
  block->previous->next = block->next;
  block->next->previous = block->previous;
  free(block);
}

/* The threads the running call may use (1 outside a call). */
int64_t __ht_threads(void) {
  pthread_once(&currentCallKeyOnce, createCurrentCallKey);
  CallState *call = currentCall();
  return call ? call->threads : 1;
}

/* The CPUs this thread may run on (taskset, cgroup cpusets), at least 1. */
static int64_t availableCPUs(void) {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
    return CPU_COUNT(&set);
  return 1;
}

/* Runs body(arguments) with `threads` threads at most (0: one per available
 * CPU); returns 0, or HT_RUNTIME_OUT_OF_MEMORY with every allocation of the
 * call freed. */
int32_t __ht_run_guarded(void (*body)(void **), void **arguments,
                         int32_t threads) {
  pthread_once(&currentCallKeyOnce, createCurrentCallKey);
  if (currentCallKeyFailed)
    return HT_RUNTIME_OUT_OF_MEMORY;
  CallState call;
  call.live.previous = call.live.next = &call.live;
  call.threads = threads > 0 ? threads : availableCPUs();
  /* A model does not call back into itself, but keep an outer call's state
   * intact all the same. */
  CallState *volatile outer = currentCall();
  pthread_setspecific(currentCallKey, &call);
  int32_t status = 0;
  if (setjmp(call.onFailure) == 0)
    body(arguments);
  else
    status = HT_RUNTIME_OUT_OF_MEMORY;
  /* After a failure, what the model had not freed yet; after success,
   * nothing (the model frees its intermediates). */
  while (call.live.next != &call.live)
    __ht_free(call.live.next + 1);
  pthread_setspecific(currentCallKey, outer);
  return status;
}
