/* Calls a compiled classifier from C: reads x ([T, B, I] float32) from a file,
 * makes one call to model_forward and writes the logits ([B, CLASSES] float32).
 * The library comes from `ht-compile MODEL.mlir --prefix model` with dynamic
 * sizes, so T and B are given at run time.
 * Build: cc run_model.c -I DIR -L DIR -lmodel -Wl,-rpath,DIR -o run_model
 * Usage: run_model T B I CLASSES x.bin logits.bin */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  if (argc != 7) {
    fprintf(stderr, "usage: %s T B I CLASSES x.bin logits.bin\n", argv[0]);
    return 2;
  }
  long steps = atol(argv[1]), batch = atol(argv[2]), inputs = atol(argv[3]),
       classes = atol(argv[4]);
  if (steps < 1 || batch < 1 || inputs < 1 || classes < 1) {
    fprintf(stderr, "T, B, I and CLASSES must be positive\n");
    return 2;
  }
  size_t count = (size_t)steps * batch * inputs;
  float *x = malloc(sizeof(float) * count);
  float *logits = malloc(sizeof(float) * batch * classes);
  FILE *file = fopen(argv[5], "rb");
  if (!x || !logits || !file || fread(x, sizeof(float), count, file) != count) {
    fprintf(stderr, "%s: cannot read %zu floats\n", argv[5], count);
    return 1;
  }
  fclose(file);
  int status = model_forward(steps, batch, x, logits);
  if (status != HT_OK) {
    fprintf(stderr, "model_forward failed: %s (status %d)\n", model_status_string(status),
            status);
    return 1;
  }
  file = fopen(argv[6], "wb");
  if (!file || fwrite(logits, sizeof(float), batch * classes, file) != (size_t)(batch * classes)) {
    fprintf(stderr, "%s: cannot write the logits\n", argv[6]);
    return 1;
  }
  fclose(file);
  free(x);
  free(logits);
  return 0;
}
