/* Runs the compiled UCF11 HT-LSTM (libucf11.so, ucf11.h from ht-compile) on
 * a 16-frame sample clip and prints a checksum of h_T and the time per
 * sequence. Build: cc main.c -I. -L. -lucf11 -lm -o ucf11-demo */
#include "ucf11.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { T = 16, B = 1, I = 57600, H = 256, RUNS = 5 };

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(void) {
  float *x = malloc(sizeof(float) * T * B * I);
  float *out = malloc(sizeof(float) * T * B * H);
  float h0[B * H] = {0}, c0[B * H] = {0}, h_n[B * H], c_n[B * H];
  for (int t = 0; t < T; ++t)
    for (int i = 0; i < B * I; ++i)
      x[(size_t)t * B * I + i] = (float)sin(0.001 * i + 0.1 * t);

  double best = INFINITY;
  for (int run = 0; run < RUNS; ++run) {
    double start = now_ms();
    int status = ucf11_forward(T, B, x, h0, c0, out, h_n, c_n);
    double elapsed = now_ms() - start;
    if (status != HT_OK) {
      fprintf(stderr, "ucf11_forward failed with status %d\n", status);
      return 1;
    }
    best = elapsed < best ? elapsed : best;
  }
  double checksum = 0;
  for (int i = 0; i < B * H; ++i)
    checksum += h_n[i];
  printf("h_T checksum %.6e\n", checksum);
  printf("time per sequence (T = %d, B = %d): %.2f ms (best of %d)\n", T, B,
         best, RUNS);
  free(x);
  free(out);
  return 0;
}
