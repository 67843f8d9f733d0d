// The batched trainer of the fractal-trainability experiment: CRIT_TRAINABILITY_LANES tiny
// networks, one learning-rate pair each, trained side by side. Every working quantity is a
// vector with one lane per member, so each operation acts on all members at once. A member's
// arithmetic is exactly that of the straightforward one-network trainer (fused multiply–adds
// where it fuses, plain operations elsewhere, sums in the same order), so the two give the
// same bits.
//
// No fused multiply–add may be formed but the explicit ones (the compiler must not contract
// a·b + c on its own, which would change the rounding): contraction is off for this file. On
// x86-64 the trainer is compiled three times, for x86-64-v4 (AVX-512: one register per member
// vector), x86-64-v3 (AVX2 and FMA: two) and the baseline, and picked at load time; all perform
// the same IEEE operations (fused multiply–add, division and square root correctly rounded), so
// they give the same bits.

#include "trainability_kernel.h"
#include "lanes.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#pragma clang fp contract(off)
// The lane vectors are passed between inlined helpers only; their ABI does not matter.
#pragma clang diagnostic ignored "-Wpsabi"

#define L CRIT_TRAINABILITY_LANES
#define MAX_INPUTS CRIT_TRAINABILITY_MAX_SIZE
#define MAX_WIDTH CRIT_TRAINABILITY_MAX_SIZE
// Gradient points whose ∂L/∂A is gathered before it is added into ∂L/∂W₀.
#define BLOCK 8
// Points whose forward pass is computed together, each load of W₀ serving all of them.
#define FORWARD 4

_Static_assert(L == 8, "the lane vectors below are written out for 8 members");
_Static_assert(BLOCK % FORWARD == 0, "a block of gradient points holds whole forward blocks");


typedef double vec_f64 __attribute__((vector_size(8 * L)));
typedef float vec_f32 __attribute__((vector_size(4 * L)));
typedef float vec_f32x4 __attribute__((vector_size(4 * 4 * L)));

// Four members' vectors at once: tanh is a chain of dependent operations, and working on
// four independent vectors at each step keeps the units busy.
typedef double tanh_block __attribute__((vector_size(4 * 8 * L), aligned(8 * L)));
typedef int64_t tanh_block_bits __attribute__((vector_size(4 * 8 * L), aligned(8 * L)));
#define TANH_SPLAT(c) ((tanh_block){} + (c))

// tanh of each lane, branch-free: e/(e + 2) with e = expm1(2x), x clamped to [−20, 20] (tanh
// rounds to ±1 beyond |x| ≈ 19.06). expm1(u) = 2ᵏ·expm1(r) + (2ᵏ − 1) with u = k·ln 2 + r,
// |r| ≤ ln 2 / 2 (Cody–Waite reduction, ln 2 in two parts); expm1(r) = r + r²·q(r) with q the
// degree-9 Chebyshev fit to (expm1(r) − r)/r² on [−ln 2/2, ln 2/2] (error below 1.1·10⁻¹⁶, so
// below 4·10⁻¹⁷ relative in expm1), by Estrin's scheme with fused multiply–adds. Within 3 ulp
// of tanh (checked against the C library's long double tanh); NaN stays NaN; tanh(−0) = +0.
__attribute__((always_inline)) static inline tanh_block tanh_lanes(tanh_block x) {
  // tanh(x) rounds to ±1 beyond |x| ≈ 19.06; clamping keeps exp finite. NaN stays NaN.
  const tanh_block clamped = __builtin_elementwise_maximum(
      __builtin_elementwise_minimum(x, TANH_SPLAT(20)), TANH_SPLAT(-20));
  const tanh_block u = clamped + clamped;
  // k = round(u / ln 2) ∈ [−58, 58], by the 1.5·2⁵² shift.
  const tanh_block shifted =
      __builtin_elementwise_fma(u, TANH_SPLAT(1.44269504088896338700e+00), TANH_SPLAT(0x1.8p52));
  const tanh_block k = shifted - 0x1.8p52;
  tanh_block r = __builtin_elementwise_fma(-k, TANH_SPLAT(6.93147180369123816490e-01), u);
  r = __builtin_elementwise_fma(-k, TANH_SPLAT(1.90821492927058770002e-10), r);
#define PAIR(c0, c1) __builtin_elementwise_fma(r, TANH_SPLAT(c1), TANH_SPLAT(c0))
  const tanh_block r2 = r * r, r4 = r2 * r2;
  const tanh_block p01 = PAIR(0.50000000000000011, 0.16666666666666669);
  const tanh_block p23 = PAIR(0.041666666666624129, 0.0083333333333300615);
  const tanh_block p45 = PAIR(0.0013888888917213717, 0.00019841269863053618);
  const tanh_block p67 = PAIR(2.4801521295954376e-05, 2.7557268459997064e-06);
  const tanh_block p89 = PAIR(2.7620088445409746e-07, 2.510038549551032e-08);
#undef PAIR
  const tanh_block q03 = __builtin_elementwise_fma(r2, p23, p01);
  const tanh_block q49 = __builtin_elementwise_fma(r4, p89, __builtin_elementwise_fma(r2, p67, p45));
  const tanh_block q = __builtin_elementwise_fma(r4, q49, q03);
  const tanh_block p = __builtin_elementwise_fma(r2, q, r);
  // 2ᵏ from the integer k held in the low bits of `shifted`.
  const tanh_block two_k =
      (tanh_block)(((tanh_block_bits)shifted - (int64_t)0x4338000000000000 + 1023) << 52);
  const tanh_block e = __builtin_elementwise_fma(two_k, p, two_k - 1.0);
  return e / (e + 2.0);
}

double crit_trainability_tanh(double x) { return tanh_lanes(TANH_SPLAT(x))[0]; }

// tanh of the 4·L doubles at `p`, in place. Vectors cross only this helper's body: a clone
// with AVX-512 may not pass them by value to a function compiled without it.
__attribute__((always_inline)) static inline void tanh_block_in_place(double *p) {
  tanh_block block;
  memcpy(&block, p, sizeof block);
  block = tanh_lanes(block);
  memcpy(p, &block, sizeof block);
}

__attribute__((always_inline)) static inline void tanh_one_in_place(double *p) {
  *p = tanh_lanes(TANH_SPLAT(*p))[0];
}

TARGET_CLONES_WIDE void crit_tanh_in_place(double *values, long count) {
  long i = 0;
  for (; i + 4 * L <= count; i += 4 * L) tanh_block_in_place(values + i);
  for (; i < count; i++) tanh_one_in_place(values + i);
}

// The trainer in double precision (the reference experiment) and in single precision.
#define REAL double
#define VEC vec_f64
#define WIDE tanh_block
#define FN(name) name##_f64
#define DATA_X(s) ((s)->x)
#define DATA_Y(s) ((s)->y)
#include "kernel_body.h"
#undef REAL
#undef VEC
#undef WIDE
#undef FN
#undef DATA_X
#undef DATA_Y

#define REAL float
#define VEC vec_f32
#define WIDE vec_f32x4
#define FN(name) name##_f32
#define DATA_X(s) ((s)->x32)
#define DATA_Y(s) ((s)->y32)
#include "kernel_body.h"

size_t crit_trainability_workspace_bytes(void) {
  return sizeof(workspace_f64) > sizeof(workspace_f32) ? sizeof(workspace_f64) : sizeof(workspace_f32);
}

int crit_trainability_train_chunk(const crit_trainability_setup *s, int members,
                                  const double *w0_init, const double *w1_init,
                                  const double *eta0, const double *eta1, const double *offset,
                                  double *measures, void *scratch) {
  return s->single_precision
             ? crit_trainability_train_chunk_f32(s, members, w0_init, w1_init, eta0, eta1, offset,
                                                 measures, scratch)
             : crit_trainability_train_chunk_f64(s, members, w0_init, w1_init, eta0, eta1, offset,
                                                 measures, scratch);
}
