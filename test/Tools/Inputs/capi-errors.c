/* The generated C API's error paths on the tiny LSTM (I = 2, H = 1):
 * NULL pointers, sizes out of range, size products that overflow, every
 * allocation of a call failing in turn, the status strings and the version.
 * This executable defines malloc and free, so the model's allocations come
 * here: while armed, the allocation numbered `failAt` returns NULL, and the
 * balance of live allocations is counted. */
#include "tiny.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

extern void *__libc_malloc(size_t);
extern void __libc_free(void *);

static int armed;
static long allocations, live, failAt = -1;

void *malloc(size_t size) {
  if (armed) {
    if (allocations++ == failAt)
      return NULL;
    ++live;
  }
  return __libc_malloc(size);
}

void free(void *pointer) {
  if (armed && pointer)
    --live;
  __libc_free(pointer);
}

enum { T = 4, B = 3, I = 2, H = 1 };
static float x[T * B * I], h0[B * H], c0[B * H];
static float out[T * B * H], hn[B * H], cn[B * H];

static int call(int64_t seq_len, int64_t batch) {
  return tiny_forward(seq_len, batch, x, h0, c0, out, hn, cn);
}

int main(void) {
  for (int i = 0; i < T * B * I; ++i)
    x[i] = (float)(i % 7) / 4.0f - 0.5f;
  for (int i = 0; i < B * H; ++i)
    h0[i] = c0[i] = 0.25f;

  printf("null x: %s\n",
         tiny_status_string(tiny_forward(T, B, NULL, h0, c0, out, hn, cn)));
  printf("null c_n: %s\n",
         tiny_status_string(tiny_forward(T, B, x, h0, c0, out, hn, NULL)));
  printf("seq_len 0: %s\n", tiny_status_string(call(0, B)));
  printf("batch -1: %s\n", tiny_status_string(call(T, -1)));
  printf("batch 2^31+1: %s\n", tiny_status_string(call(T, (1LL << 31) + 1)));
  /* Each size is allowed; x would have 2^31 * 2^31 * 2 elements. */
  printf("seq_len = batch = 2^31: %s\n",
         tiny_status_string(call(1LL << 31, 1LL << 31)));
  printf("unknown code: %s\n", tiny_status_string(42));
  printf("version matches the header: %d\n",
         strcmp(tiny_version(), HT_MLIR_VERSION) == 0);

  /* The reference results, then every allocation failing in turn. */
  armed = 1;
  int status = call(T, B);
  armed = 0;
  long perCall = allocations;
  printf("reference: %s, %s\n", tiny_status_string(status),
         live == 0 ? "no leak" : "LEAK");
  float reference[B * H];
  memcpy(reference, hn, sizeof reference);
  int failures = 0, leaks = 0, wrongStatus = 0;
  for (failAt = 0; failAt < perCall; ++failAt) {
    allocations = live = 0;
    armed = 1;
    status = call(T, B);
    armed = 0;
    failures += status == HT_ERROR_OUT_OF_MEMORY;
    wrongStatus += status != HT_ERROR_OUT_OF_MEMORY;
    leaks += live != 0;
  }
  printf("%s allocations per call; failing each: %d out-of-memory, %d other "
         "statuses, %d leaks\n",
         perCall > 0 ? "some" : "no", failures, wrongStatus, leaks);
  failAt = -1;
  status = call(T, B);
  printf("after the failures: %s, same result: %d\n",
         tiny_status_string(status),
         memcmp(reference, hn, sizeof reference) == 0);
  return 0;
}
