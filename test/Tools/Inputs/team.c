/* The C API of a multi-threaded library: each thread count gives the
 * 1-thread results bit for bit, also with several callers at once, each
 * running its own team; a negative count is refused. */
#include "team.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

enum { T = 5, B = 19, I = 96, H = 40, CALLERS = 4, REPEAT = 10 };

static float x[T * B * I], h0[B * H], c0[B * H];
static float want[T * B * H + 2 * B * H];

static int run(int threads, float *result) {
  return team_forward_with_threads(threads, T, B, x, h0, c0, result,
                                   result + T * B * H,
                                   result + T * B * H + B * H);
}

static void *caller(void *arg) {
  static float results[CALLERS][T * B * H + 2 * B * H];
  long k = (long)arg;
  for (int r = 0; r < REPEAT; ++r)
    if (run(2, results[k]) != HT_OK || memcmp(results[k], want, sizeof want))
      return (void *)1;
  return NULL;
}

int main(void) {
  for (int i = 0; i < T * B * I; ++i)
    x[i] = (float)((i * 7919) % 1013) / 506.0f - 1.0f;
  for (int i = 0; i < B * H; ++i) {
    h0[i] = (float)(i % 11) / 20.0f - 0.25f;
    c0[i] = (float)(i % 7) / 10.0f - 0.3f;
  }
  if (run(1, want) != HT_OK)
    return 2;
  static const int counts[] = {2, 3, 0, 64};
  static float got[T * B * H + 2 * B * H];
  for (unsigned c = 0; c < sizeof counts / sizeof *counts; ++c) {
    memset(got, 0, sizeof got);
    if (run(counts[c], got) != HT_OK || memcmp(got, want, sizeof want)) {
      printf("threads=%d differs\n", counts[c]);
      return 1;
    }
  }
  memset(got, 0, sizeof got);
  if (team_forward(T, B, x, h0, c0, got, got + T * B * H,
                   got + T * B * H + B * H) != HT_OK ||
      memcmp(got, want, sizeof want)) {
    printf("the default thread count differs\n");
    return 1;
  }
  printf("threads 2, 3, 0, 64 and the default: bit-identical to 1 thread\n");

  pthread_t threads[CALLERS];
  for (long k = 0; k < CALLERS; ++k)
    pthread_create(&threads[k], NULL, caller, (void *)k);
  int failed = 0;
  for (long k = 0; k < CALLERS; ++k) {
    void *status;
    pthread_join(threads[k], &status);
    failed |= status != NULL;
  }
  if (failed) {
    printf("a concurrent caller differs\n");
    return 1;
  }
  printf("%d callers x %d calls on 2 threads each: bit-identical\n", CALLERS,
         REPEAT);

  int status = run(-1, got);
  printf("threads=-1: status %d (%s)\n", status, team_status_string(status));
  return status == HT_ERROR_INVALID_THREADS ? 0 : 1;
}
