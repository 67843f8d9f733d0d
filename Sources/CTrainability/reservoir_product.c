// The product that advances a batch of echo-state reservoirs by one step, written out so that
// the reservoir matrix is read in place: BLAS's dgemm repacks its operands on every call,
// and at a (16 × 500)·(500 × 500) product per step that copy of the 500 × 500 matrix costs
// about half as much as the product itself.

#include "trainability_kernel.h"
#include "lanes.h"

#include <stdlib.h>

void crit_reservoir_pack(const double *wt, double *packed, long n) {
  const long panels = (n + 7) / 8;
  for (long p = 0; p < panels; p++) {
    for (long i = 0; i < n; i++) {
      for (long c = 0; c < 8; c++) {
        const long j = 8 * p + c;
        packed[(p * n + i) * 8 + c] = j < n ? wt[i * n + j] : 0;
      }
    }
  }
}

// Stores the eight lanes a, b at y[j…j+7], or only the first `width` of them.
#define STORE8(y, a, b, width)                   \
  do {                                           \
    if ((width) == 8) {                          \
      STORE4((y), (a));                          \
      STORE4((y) + 4, (b));                      \
    } else {                                     \
      double lanes[8];                           \
      STORE4(lanes, (a));                        \
      STORE4(lanes + 4, (b));                    \
      for (long c = 0; c < (width); c++) (y)[c] = lanes[c]; \
    }                                            \
  } while (0)

// y[r][j] = Σ_i x[r][i]·wt[i][j] over i = 0…n−1 in order, with fused multiply–adds, for r < rows
// and j < n. Eight columns at a time from their packed panel (read in sequence; the last one
// padded with zero columns, which are computed and not stored), six rows at a time (twelve
// accumulators: enough independent chains to cover the fused multiply–add's latency on both
// pipes; each load of the panel serves six rows), then four, then one.
TARGET_CLONES void crit_reservoir_product_lanes4(
    const double *x, const double *packed, double *y, long rows, long n) {
  for (long p = 0; p < (n + 7) / 8; p++) {
    const double *panel = packed + p * n * 8;
    const long j = 8 * p;
    const long width = n - j < 8 ? n - j : 8;
    long r = 0;
    for (; r + 6 <= rows; r += 6) {
      const double *x0 = x + r * n, *x1 = x0 + n, *x2 = x1 + n, *x3 = x2 + n, *x4 = x3 + n,
                   *x5 = x4 + n;
      lanes4 a0 = {0}, b0 = {0}, a1 = {0}, b1 = {0}, a2 = {0}, b2 = {0}, a3 = {0}, b3 = {0},
             a4 = {0}, b4 = {0}, a5 = {0}, b5 = {0};
      for (long i = 0; i < n; i++) {
        const lanes4 wa = LOAD4(panel + 8 * i), wb = LOAD4(panel + 8 * i + 4);
        lanes4 s = SPLAT4(x0[i]);
        a0 = __builtin_elementwise_fma(s, wa, a0);
        b0 = __builtin_elementwise_fma(s, wb, b0);
        s = SPLAT4(x1[i]);
        a1 = __builtin_elementwise_fma(s, wa, a1);
        b1 = __builtin_elementwise_fma(s, wb, b1);
        s = SPLAT4(x2[i]);
        a2 = __builtin_elementwise_fma(s, wa, a2);
        b2 = __builtin_elementwise_fma(s, wb, b2);
        s = SPLAT4(x3[i]);
        a3 = __builtin_elementwise_fma(s, wa, a3);
        b3 = __builtin_elementwise_fma(s, wb, b3);
        s = SPLAT4(x4[i]);
        a4 = __builtin_elementwise_fma(s, wa, a4);
        b4 = __builtin_elementwise_fma(s, wb, b4);
        s = SPLAT4(x5[i]);
        a5 = __builtin_elementwise_fma(s, wa, a5);
        b5 = __builtin_elementwise_fma(s, wb, b5);
      }
      STORE8(y + r * n + j, a0, b0, width);
      STORE8(y + (r + 1) * n + j, a1, b1, width);
      STORE8(y + (r + 2) * n + j, a2, b2, width);
      STORE8(y + (r + 3) * n + j, a3, b3, width);
      STORE8(y + (r + 4) * n + j, a4, b4, width);
      STORE8(y + (r + 5) * n + j, a5, b5, width);
    }
    for (; r + 4 <= rows; r += 4) {
      const double *x0 = x + r * n, *x1 = x0 + n, *x2 = x1 + n, *x3 = x2 + n;
      lanes4 a0 = {0}, b0 = {0}, a1 = {0}, b1 = {0}, a2 = {0}, b2 = {0}, a3 = {0}, b3 = {0};
      for (long i = 0; i < n; i++) {
        const lanes4 wa = LOAD4(panel + 8 * i), wb = LOAD4(panel + 8 * i + 4);
        const lanes4 s0 = SPLAT4(x0[i]), s1 = SPLAT4(x1[i]);
        const lanes4 s2 = SPLAT4(x2[i]), s3 = SPLAT4(x3[i]);
        a0 = __builtin_elementwise_fma(s0, wa, a0);
        b0 = __builtin_elementwise_fma(s0, wb, b0);
        a1 = __builtin_elementwise_fma(s1, wa, a1);
        b1 = __builtin_elementwise_fma(s1, wb, b1);
        a2 = __builtin_elementwise_fma(s2, wa, a2);
        b2 = __builtin_elementwise_fma(s2, wb, b2);
        a3 = __builtin_elementwise_fma(s3, wa, a3);
        b3 = __builtin_elementwise_fma(s3, wb, b3);
      }
      STORE8(y + r * n + j, a0, b0, width);
      STORE8(y + (r + 1) * n + j, a1, b1, width);
      STORE8(y + (r + 2) * n + j, a2, b2, width);
      STORE8(y + (r + 3) * n + j, a3, b3, width);
    }
    for (; r < rows; r++) {
      const double *xr = x + r * n;
      lanes4 a = {0}, b = {0};
      for (long i = 0; i < n; i++) {
        const lanes4 s = SPLAT4(xr[i]);
        a = __builtin_elementwise_fma(s, LOAD4(panel + 8 * i), a);
        b = __builtin_elementwise_fma(s, LOAD4(panel + 8 * i + 4), b);
      }
      STORE8(y + r * n + j, a, b, width);
    }
  }
}

#if defined(__x86_64__)
typedef double lanes8 __attribute__((vector_size(64), aligned(8)));
#define LOAD8(p) (*(const lanes8 *)(p))
#define SPLAT8(v) ((lanes8){(v), (v), (v), (v), (v), (v), (v), (v)})

// Stores the eight lanes v at y[j…j+7], or only the first `width` of them.
#define STORE8_WIDE(y, v, width)                                \
  do {                                                          \
    if ((width) >= 8) {                                         \
      *(lanes8 *)(y) = (v);                                     \
    } else {                                                    \
      double lanes[8];                                          \
      *(lanes8 *)lanes = (v);                                   \
      for (long c = 0; c < (width); c++) (y)[c] = lanes[c];     \
    }                                                           \
  } while (0)

// Rows r…r+ROWS−1 against the eight-column panel at column j: ROWS accumulators of eight
// doubles, each the same in-order fused multiply–add chain as the four-lane kernel computes,
// so both give the same bits. The rows' inputs come transposed (`xt[i·ROWS + q]` =
// x[r+q][i]), so each step of i broadcasts from one or two consecutive cache lines.
#define WIDE_BLOCK(ROWS)                                                              \
  do {                                                                              \
    for (long i = 0; i < n; i++)                                                    \
      for (long q = 0; q < (ROWS); q++) xt[i * (ROWS) + q] = x[(r + q) * n + i];      \
    for (long p = 0; p < panels; p++) {                                             \
      const double *panel = packed + p * n * 8;                                     \
      const long j = 8 * p;                                                         \
      lanes8 a[ROWS];                                                               \
      for (long q = 0; q < (ROWS); q++) a[q] = SPLAT8(0.0);                         \
      for (long i = 0; i < n; i++) {                                                \
        const lanes8 w = LOAD8(panel + 8 * i);                                      \
        for (long q = 0; q < (ROWS); q++)                                           \
          a[q] = __builtin_elementwise_fma(SPLAT8(xt[i * (ROWS) + q]), w, a[q]);    \
      }                                                                             \
      for (long q = 0; q < (ROWS); q++) STORE8_WIDE(y + (r + q) * n + j, a[q], n - j); \
    }                                                                               \
  } while (0)

// The AVX-512 form: one eight-column panel (one register) by sixteen rows, sixteen independent
// chains — enough to keep both 512-bit fused multiply–add pipes of a core busy — so each step
// reads the packed matrix once for all rows, with the rows' inputs transposed beside it.
__attribute__((target("arch=x86-64-v4"), min_vector_width(512))) static void
reservoir_product_lanes8(const double *x, const double *packed, double *y, long rows, long n) {
  const long panels = (n + 7) / 8;
  double *xt = malloc(sizeof(double) * (size_t)n * 16);
  if (!xt) {
    crit_reservoir_product_lanes4(x, packed, y, rows, n);
    return;
  }
  long r = 0;
  for (; r + 16 <= rows; r += 16) WIDE_BLOCK(16);
  for (; r + 8 <= rows; r += 8) WIDE_BLOCK(8);
  for (; r + 4 <= rows; r += 4) WIDE_BLOCK(4);
  for (; r < rows; r++) WIDE_BLOCK(1);
  free(xt);
}
#endif

void crit_reservoir_product(const double *x, const double *packed, double *y, long rows, long n) {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")) {
    reservoir_product_lanes8(x, packed, y, rows, n);
    return;
  }
#endif
  crit_reservoir_product_lanes4(x, packed, y, rows, n);
}
