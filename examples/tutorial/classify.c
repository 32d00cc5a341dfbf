/* Classifies the tutorial's test set with a compiled model (libmotion.so and
 * motion.h from ht-compile, static T = 12, B = 256): the class of a sequence
 * is the largest of the first four units of h_T. Prints the accuracy.
 * Build: cc classify.c -I DIR -L DIR -lmotion -Wl,-rpath,DIR -o classify */
#include "motion.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { T = 12, B = 256, I = 256, H = 16, CLASSES = 4 };

static int read_file(const char *path, void *data, size_t size, size_t count) {
  FILE *file = fopen(path, "rb");
  if (!file) {
    perror(path);
    return 0;
  }
  size_t got = fread(data, size, count, file);
  fclose(file);
  if (got != count)
    fprintf(stderr, "%s: %zu values, expected %zu\n", path, got, count);
  return got == count;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s test_x.bin test_labels.bin\n", argv[0]);
    return 2;
  }
  float *x = malloc(sizeof(float) * T * B * I);
  float *out = malloc(sizeof(float) * T * B * H);
  static float h0[B * H], c0[B * H], h_n[B * H], c_n[B * H];
  static int32_t labels[B];
  if (!x || !out || !read_file(argv[1], x, sizeof(float), (size_t)T * B * I) ||
      !read_file(argv[2], labels, sizeof(int32_t), B))
    return 1;

  int status = motion_forward(x, h0, c0, out, h_n, c_n);
  if (status != HT_OK) {
    fprintf(stderr, "motion_forward failed with status %d\n", status);
    return 1;
  }
  int correct = 0;
  for (int b = 0; b < B; ++b) {
    int best = 0;
    for (int k = 1; k < CLASSES; ++k)
      if (h_n[b * H + k] > h_n[b * H + best])
        best = k;
    correct += best == labels[b];
  }
  printf("compiled model test accuracy: %.3f\n", (double)correct / B);
  free(x);
  free(out);
  return 0;
}
