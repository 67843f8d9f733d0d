// The batched trainer of the fractal-trainability experiment: CRIT_TRAINABILITY_LANES tiny
// networks, one learning-rate pair each, trained side by side. Every working array is
// lane-minor ([…][lane]), so each line of arithmetic below is one vector operation across
// the members; the members' sums run over the inner index in ascending order, exactly as a
// straightforward one-network trainer does them, so the results are bit-identical to it.
//
// No fused multiply–add may be formed (it would change the rounding): contraction is off for
// this file. The hot function is compiled twice, for AVX2 and for the baseline, and picked at
// load time; both perform the same IEEE operations, so they give the same bits.

#include "trainability_kernel.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#pragma clang fp contract(off)

#define L CRIT_TRAINABILITY_LANES
#define MAX_INPUTS CRIT_TRAINABILITY_MAX_SIZE
#define MAX_WIDTH CRIT_TRAINABILITY_MAX_SIZE
// Gradient points whose ∂L/∂A is gathered before it is added into ∂L/∂W₀.
#define BLOCK 8
// Columns of W₀ whose sums are held in registers at once.
#define JB 4

static inline uint64_t bits_of(double x) {
  uint64_t b;
  memcpy(&b, &x, sizeof b);
  return b;
}

static inline double double_of(uint64_t b) {
  double x;
  memcpy(&x, &b, sizeof x);
  return x;
}

// tanh through expm1, branch-free so that it vectorises (see the header).
static inline double kernel_tanh(double x) {
  double ax = fabs(x);
  // tanh(x) rounds to ±1 beyond |x| ≈ 19.06; clamping keeps exp finite. NaN stays NaN (the
  // comparison is false).
  ax = ax > 20.0 ? 20.0 : ax;
  const double u = 2.0 * ax;
  // u = k·ln 2 + r, |r| ≤ ln 2 / 2, k = round(u / ln 2) ∈ [0, 58], by the 1.5·2⁵² shift.
  const double shift = 6755399441055744.0;
  const double shifted = u * 1.44269504088896338700e+00 + shift;
  const double k = shifted - shift;
  const double r = (u - k * 6.93147180369123816490e-01) - k * 1.90821492927058770002e-10;
  // expm1(r) = r + r²·q(r) by its Taylor series to r¹³/13! (truncation below 2⁻⁵⁶ relative
  // for |r| ≤ 0.35), q(r) = Σ r^k/(k+2)! for k ≤ 11 evaluated by Estrin's scheme (pairs, then
  // quadruples, then eights), whose short dependency chains keep the vector units busy.
  const double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  const double p01 = 1.0 / 2 + r * (1.0 / 6), p23 = 1.0 / 24 + r * (1.0 / 120);
  const double p45 = 1.0 / 720 + r * (1.0 / 5040), p67 = 1.0 / 40320 + r * (1.0 / 362880);
  const double p89 = 1.0 / 3628800 + r * (1.0 / 39916800);
  const double pab = 1.0 / 479001600 + r * (1.0 / 6227020800.0);
  const double q03 = p01 + r2 * p23, q47 = p45 + r2 * p67, q8b = p89 + r2 * pab;
  const double q = (q03 + r4 * q47) + r8 * q8b;
  const double p = r + r2 * q;
  // 2ᵏ from the integer k held in the low bits of `shifted`.
  const double two_k = double_of((bits_of(shifted) - bits_of(shift) + 1023) << 52);
  // expm1(u) = 2ᵏ·expm1(r) + (2ᵏ − 1), both terms exact but the sum's rounding.
  const double e = two_k * p + (two_k - 1.0);
  const double t = e / (e + 2.0);
  return copysign(t, x);
}

double crit_trainability_tanh(double x) { return kernel_tanh(x); }

// The trainer in double precision (the reference experiment) and in single precision.
#define REAL double
#define FN(name) name##_f64
#define TANH(x) kernel_tanh(x)
#define DATA_X(s) ((s)->x)
#define DATA_Y(s) ((s)->y)
#include "kernel_body.h"
#undef REAL
#undef FN
#undef TANH
#undef DATA_X
#undef DATA_Y

#define REAL float
#define FN(name) name##_f32
// tanh in double, rounded once to float (the double form is within 3 ulp of tanh, so this
// is the correctly rounded float tanh but for rare ties).
#define TANH(x) ((float)kernel_tanh((double)(x)))
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
