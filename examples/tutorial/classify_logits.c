/* Classifies the tutorial's batch-first test set with a compiled classifier
 * (libclassifier.so and classifier.h from ht-compile, static B = 256, T = 12):
 * one call gives the head's logits [B, 4]; the class is their argmax.
 * Build: cc classify_logits.c -I DIR -L DIR -lclassifier -Wl,-rpath,DIR */
#include "classifier.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { B = 256, T = 12, I = 256, CLASSES = 4 };

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
  float *x = malloc(sizeof(float) * B * T * I);
  static float logits[B * CLASSES];
  static int32_t labels[B];
  if (!x || !read_file(argv[1], x, sizeof(float), (size_t)B * T * I) ||
      !read_file(argv[2], labels, sizeof(int32_t), B))
    return 1;

  int status = classifier_forward(x, logits);
  if (status != HT_OK) {
    fprintf(stderr, "classifier_forward failed with status %d\n", status);
    return 1;
  }
  int correct = 0;
  for (int b = 0; b < B; ++b) {
    int best = 0;
    for (int k = 1; k < CLASSES; ++k)
      if (logits[b * CLASSES + k] > logits[b * CLASSES + best])
        best = k;
    correct += best == labels[b];
  }
  printf("compiled classifier test accuracy: %.3f\n", (double)correct / B);
  free(x);
  return 0;
}
