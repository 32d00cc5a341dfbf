/* Calls the tiny LSTM's C API from 8 threads at once, each on its own
 * input, and checks every result against a single-threaded call. */
#include "tiny.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

enum { THREADS = 8, T = 6, B = 3, I = 2, H = 1, REPEAT = 50 };

struct job {
  float x[T * B * I], h0[B * H], c0[B * H];
  float out[T * B * H], hn[B * H], cn[B * H];
  int status;
};

static void fill(struct job *job, int seed) {
  for (int i = 0; i < T * B * I; ++i)
    job->x[i] = (float)((i * 7 + seed * 13) % 17) / 8.0f - 1.0f;
  for (int i = 0; i < B * H; ++i)
    job->h0[i] = job->c0[i] = (float)(seed % 5) / 10.0f;
}

static void *work(void *arg) {
  struct job *job = arg;
  for (int r = 0; r < REPEAT && job->status == HT_OK; ++r)
    job->status = tiny_forward(T, B, job->x, job->h0, job->c0, job->out,
                               job->hn, job->cn);
  return NULL;
}

int main(void) {
  static struct job jobs[THREADS], expected[THREADS];
  pthread_t threads[THREADS];
  for (int k = 0; k < THREADS; ++k) {
    fill(&jobs[k], k);
    fill(&expected[k], k);
    if (tiny_forward(T, B, expected[k].x, expected[k].h0, expected[k].c0,
                     expected[k].out, expected[k].hn, expected[k].cn) != HT_OK)
      return 2;
  }
  for (int k = 0; k < THREADS; ++k)
    pthread_create(&threads[k], NULL, work, &jobs[k]);
  for (int k = 0; k < THREADS; ++k)
    pthread_join(threads[k], NULL);
  for (int k = 0; k < THREADS; ++k) {
    if (jobs[k].status != HT_OK ||
        memcmp(jobs[k].out, expected[k].out, sizeof jobs[k].out) ||
        memcmp(jobs[k].cn, expected[k].cn, sizeof jobs[k].cn)) {
      printf("thread %d differs\n", k);
      return 1;
    }
  }
  printf("%d threads x %d calls agree with single-threaded results\n",
         THREADS, REPEAT);
  return 0;
}
