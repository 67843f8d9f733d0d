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

// Lane-wise helpers (a loop over the L members; the compiler turns each into vector code).
#define LANES(b) for (int b = 0; b < L; b++)

// σ_max of each member's W (d × n, lane-minor) and its singular vectors u (d), v (n), by
// `iterations` steps of power iteration from the current u: v ← Wᵀu/‖Wᵀu‖, u ← Wv/‖Wv‖,
// σ = uᵀWv.
__attribute__((always_inline)) static inline void power_iteration(const double *w, int d, int n, int iterations, double *u, double *v,
                            double *sigma) {
  double norm[L];
  for (int it = 0; it < iterations; it++) {
    for (int j = 0; j < n; j++) LANES(b) v[j * L + b] = 0;
    for (int i = 0; i < d; i++)
      for (int j = 0; j < n; j++) LANES(b) v[j * L + b] += w[(i * n + j) * L + b] * u[i * L + b];
    LANES(b) norm[b] = 0;
    for (int j = 0; j < n; j++) LANES(b) norm[b] += v[j * L + b] * v[j * L + b];
    LANES(b) norm[b] = sqrt(norm[b]);
    for (int j = 0; j < n; j++) LANES(b) v[j * L + b] /= norm[b];
    for (int i = 0; i < d; i++) LANES(b) u[i * L + b] = 0;
    for (int i = 0; i < d; i++)
      for (int j = 0; j < n; j++) LANES(b) u[i * L + b] += w[(i * n + j) * L + b] * v[j * L + b];
    LANES(b) norm[b] = 0;
    for (int i = 0; i < d; i++) LANES(b) norm[b] += u[i * L + b] * u[i * L + b];
    LANES(b) norm[b] = sqrt(norm[b]);
    for (int i = 0; i < d; i++) LANES(b) u[i * L + b] /= norm[b];
  }
  // σ = uᵀ W v.
  LANES(b) sigma[b] = 0;
  for (int i = 0; i < d; i++) {
    double row[L];
    LANES(b) row[b] = 0;
    for (int j = 0; j < n; j++) LANES(b) row[b] += w[(i * n + j) * L + b] * v[j * L + b];
    LANES(b) sigma[b] += u[i * L + b] * row[b];
  }
}

typedef struct {
  double w0[MAX_INPUTS * MAX_WIDTH * L];
  double w1[MAX_WIDTH * L];
  double g0[MAX_INPUTS * MAX_WIDTH * L];
  double g1[MAX_WIDTH * L];
  double used0[MAX_INPUTS * MAX_WIDTH * L];  // W₀ as the network uses it (τW₀/σ under SN)
  double u[MAX_INPUTS * L], v[MAX_WIDTH * L], sigma[L];
  // A block of gradient points: ∂L/∂A (point × width × lane) and (√2/√d)·x (point × input).
  double da[BLOCK * MAX_WIDTH * L];
  double cx[BLOCK * MAX_INPUTS];
} workspace;

size_t crit_trainability_workspace_bytes(void) { return sizeof(workspace); }

// ∂L/∂W₀[i][j] += Σ_k cx[k][i]·da[k][j] over the `filled` points of the block, in point
// order (so each element's sum runs over the points ascending, as a point-by-point update
// would), JB columns at a time with their sums held in registers.
__attribute__((always_inline)) static inline void accumulate_g0(workspace *ws, int filled,
                                                                const int d, const int n) {
  if (n % JB == 0) {
    for (int i = 0; i < d; i++)
      for (int j0 = 0; j0 < n; j0 += JB) {
        double acc[JB][L];
        for (int jj = 0; jj < JB; jj++) LANES(b) acc[jj][b] = ws->g0[(i * n + j0 + jj) * L + b];
        for (int k = 0; k < filled; k++) {
          const double c = ws->cx[k * d + i];
          for (int jj = 0; jj < JB; jj++) LANES(b) acc[jj][b] += c * ws->da[(k * n + j0 + jj) * L + b];
        }
        for (int jj = 0; jj < JB; jj++) LANES(b) ws->g0[(i * n + j0 + jj) * L + b] = acc[jj][b];
      }
  } else {
    for (int k = 0; k < filled; k++)
      for (int i = 0; i < d; i++) {
        const double c = ws->cx[k * d + i];
        for (int j = 0; j < n; j++) LANES(b) ws->g0[(i * n + j) * L + b] += c * ws->da[(k * n + j) * L + b];
      }
  }
}

// One pass at the current weights: the loss over all N points into `loss`, and, when
// `gradient` is set, the gradients over the step's gradient points into g0, g1.
__attribute__((always_inline)) static inline void pass_sized(
    const crit_trainability_setup *s, workspace *ws, const double *w0, int gradient,
    const int *grad_points, int grad_count, double *loss, const int d, const int n) {
  const int count = s->points;
  // √2 for tanh and ReLU (unit gain), none for the linear network, as in the reference.
  const double scale = (s->activation == CRIT_TRAINABILITY_IDENTITY ? 1.0 : sqrt(2.0)) / sqrt((double)d);
  const double nd = (double)n, countd = (double)count, gradd = (double)grad_count;
  double a[MAX_WIDTH * L], h[MAX_WIDTH * L], dphi[MAX_WIDTH * L], r[L], dy[L];
  LANES(b) loss[b] = 0;
  if (gradient) {
    memset(ws->g0, 0, sizeof(double) * d * n * L);
    memset(ws->g1, 0, sizeof(double) * n * L);
  }
  int next = 0;    // index into grad_points of the next gradient point
  int filled = 0;  // gradient points held in ws->da, ws->cx
  for (int q = 0; q < count; q++) {
    const double *xq = s->x + q * d;
    // a[j] = Σ_i x[q][i]·W₀[i][j], JB columns at a time with their sums in registers.
    if (n % JB == 0) {
      for (int j0 = 0; j0 < n; j0 += JB) {
        double acc[JB][L];
        for (int jj = 0; jj < JB; jj++) LANES(b) acc[jj][b] = 0;
        for (int i = 0; i < d; i++) {
          const double xi = xq[i];
          for (int jj = 0; jj < JB; jj++) LANES(b) acc[jj][b] += xi * w0[(i * n + j0 + jj) * L + b];
        }
        for (int jj = 0; jj < JB; jj++) LANES(b) a[(j0 + jj) * L + b] = acc[jj][b];
      }
    } else {
      for (int j = 0; j < n; j++) LANES(b) a[j * L + b] = 0;
      for (int i = 0; i < d; i++)
        for (int j = 0; j < n; j++) LANES(b) a[j * L + b] += xq[i] * w0[(i * n + j) * L + b];
    }
    switch (s->activation) {
      case CRIT_TRAINABILITY_TANH:
        // Four vectors in flight hide the latency of tanh's dependency chain.
#pragma clang loop vectorize_width(4) interleave_count(4)
        for (int k = 0; k < n * L; k++) {
          const double t = kernel_tanh(scale * a[k]);
          h[k] = t;
          dphi[k] = 1 - t * t;
        }
        break;
      case CRIT_TRAINABILITY_RELU:
        for (int k = 0; k < n * L; k++) {
          const double z = scale * a[k];
          h[k] = z > 0 ? z : 0;
          dphi[k] = z > 0 ? 1 : 0;
        }
        break;
      default:
        for (int k = 0; k < n * L; k++) {
          h[k] = scale * a[k];
          dphi[k] = 1;
        }
    }
    LANES(b) r[b] = 0;
    for (int j = 0; j < n; j++) LANES(b) r[b] += h[j * L + b] * ws->w1[j * L + b];
    LANES(b) r[b] = r[b] / nd - s->y[q];
    LANES(b) loss[b] += r[b] * r[b];
    if (!gradient) continue;
    // How often this point is in the step's gradient points (once for full batch; a
    // minibatch drawn with replacement may hold it several times, each counted in order).
    int times = 1;
    if (grad_points) {
      times = 0;
      while (next < grad_count && grad_points[next] == q) {
        times++;
        next++;
      }
    }
    if (times == 0) continue;
    LANES(b) dy[b] = 2 * r[b] / gradd;
    for (int repeat = 0; repeat < times; repeat++) {
      double *restrict g1 = ws->g1, *restrict da = ws->da + filled * n * L;
      const double *restrict w1 = ws->w1;
      for (int j = 0; j < n; j++) {
        LANES(b) g1[j * L + b] += h[j * L + b] * dy[b] / nd;
        LANES(b) da[j * L + b] = dy[b] * w1[j * L + b] / nd * dphi[j * L + b];
      }
      for (int i = 0; i < d; i++) ws->cx[filled * d + i] = scale * xq[i];
      if (++filled == BLOCK) {
        accumulate_g0(ws, filled, d, n);
        filled = 0;
      }
    }
  }
  if (filled > 0) accumulate_g0(ws, filled, d, n);
  LANES(b) loss[b] /= countd;
}

// `pass_sized` with the sizes as compile-time constants for the paper's network (d = n = 16),
// so that its loops are unrolled and kept in registers; any other size takes the general path.
__attribute__((always_inline)) static inline void pass(const crit_trainability_setup *s,
                                                       workspace *ws, const double *w0,
                                                       int gradient, const int *grad_points,
                                                       int grad_count, double *loss) {
  if (s->inputs == 16 && s->width == 16)
    pass_sized(s, ws, w0, gradient, grad_points, grad_count, loss, 16, 16);
  else
    pass_sized(s, ws, w0, gradient, grad_points, grad_count, loss, s->inputs, s->width);
}

// The weights the network uses: W₀ itself, or τ·W₀/σ_max(W₀) under spectral normalisation
// (σ_max and its vectors refreshed first; also refreshed for the penalty).
__attribute__((always_inline)) static inline const double *effective_w0(const crit_trainability_setup *s, workspace *ws) {
  const int dn = s->inputs * s->width;
  if (s->spectral == 0) return ws->w0;
  power_iteration(ws->w0, s->inputs, s->width, s->power_iterations, ws->u, ws->v, ws->sigma);
  if (s->spectral == 1) return ws->w0;
  for (int k = 0; k < dn; k++) LANES(b) ws->used0[k * L + b] = s->spectral_target * ws->w0[k * L + b] / ws->sigma[b];
  return ws->used0;
}

// Turns the gradient with respect to the weights used into the gradient with respect to W₀:
// for the penalty, + 2λ(σ − τ)·u vᵀ; for spectral normalisation W̃ = τW/σ,
// ∂L/∂W = (τ/σ)·(G − (⟨G, W̃⟩/τ)·u vᵀ).
__attribute__((always_inline)) static inline void spectral_gradient(const crit_trainability_setup *s, workspace *ws) {
  const int d = s->inputs, n = s->width;
  double c[L];
  if (s->spectral == 1) {
    LANES(b) c[b] = 2 * s->spectral_strength * (ws->sigma[b] - s->spectral_target);
    for (int i = 0; i < d; i++)
      for (int j = 0; j < n; j++)
        LANES(b) ws->g0[(i * n + j) * L + b] += c[b] * ws->u[i * L + b] * ws->v[j * L + b];
  } else if (s->spectral == 2) {
    LANES(b) c[b] = 0;
    for (int k = 0; k < d * n; k++) LANES(b) c[b] += ws->g0[k * L + b] * ws->used0[k * L + b];
    LANES(b) c[b] /= s->spectral_target;
    for (int i = 0; i < d; i++)
      for (int j = 0; j < n; j++)
        LANES(b) {
          const double g = ws->g0[(i * n + j) * L + b] - c[b] * ws->u[i * L + b] * ws->v[j * L + b];
          ws->g0[(i * n + j) * L + b] = s->spectral_target / ws->sigma[b] * g;
        }
  }
}

__attribute__((target_clones("avx2", "default")))
int crit_trainability_train_chunk(const crit_trainability_setup *s, int members,
                                  const double *w0_init, const double *w1_init,
                                  const double *eta0, const double *eta1, const double *offset,
                                  double *measures, void *scratch) {
  workspace *ws = scratch;
  const int d = s->inputs, n = s->width, dn = d * n, steps = s->steps;
  const int window = s->window < steps ? s->window : steps;
  double e0[L], e1[L], c[L], initial[L], loss[L], tail[L * CRIT_TRAINABILITY_MAX_WINDOW];
  // Lanes beyond `members` train a copy of member 0 and are discarded.
  LANES(b) {
    const int m = b < members ? b : 0;
    e0[b] = eta0[m];
    e1[b] = eta1[m];
    c[b] = offset ? offset[m] : 0;
    for (int k = 0; k < dn; k++) ws->w0[k * L + b] = w0_init[m * dn + k];
    for (int j = 0; j < n; j++) ws->w1[j * L + b] = w1_init[m * n + j];
  }
  if (s->spectral) {
    // Power iteration starts from the normalised all-ones vector, run to convergence once.
    for (int i = 0; i < d; i++) LANES(b) ws->u[i * L + b] = 1 / sqrt((double)d);
    power_iteration(ws->w0, d, n, 50, ws->u, ws->v, ws->sigma);
  }
  const double *used = effective_w0(s, ws);
  const int full = s->batch == 0;
  pass(s, ws, used, 1, full ? 0 : s->batch_points, full ? s->points : s->batch, initial);
  int step = 0;
  for (; step < steps; step++) {
    if (s->spectral) spectral_gradient(s, ws);
    for (int k = 0; k < dn; k++) LANES(b) ws->w0[k * L + b] -= e0[b] * ws->g0[k * L + b];
    if (offset)
      for (int k = 0; k < dn; k++) LANES(b) ws->w0[k * L + b] += c[b];
    for (int j = 0; j < n; j++) LANES(b) ws->w1[j * L + b] -= e1[b] * ws->g1[j * L + b];
    used = effective_w0(s, ws);
    const int last = step + 1 == steps;
    const int *points = full ? 0 : s->batch_points + (step + 1) * s->batch;
    pass(s, ws, used, !last, points, full ? s->points : s->batch, loss);
    int alive = 0;
    LANES(b) {
      const double value = loss[b] / initial[b];
      if (step >= steps - window) tail[(step - (steps - window)) * L + b] = value;
      alive += b < members && !isnan(value);
    }
    if (s->early_exit && alive == 0) {
      // Every member's loss is NaN, and so are all its later losses (NaN reaches W₁ at the next
      // update, and every ŷ after it).
      for (int t = step + 1; t < steps; t++)
        if (t >= steps - window) LANES(b) tail[(t - (steps - window)) * L + b] = NAN;
      step++;
      break;
    }
  }
  for (int b = 0; b < members; b++) {
    double sum = 0;
    for (int t = 0; t < window; t++) {
      const double value = tail[t * L + b];
      sum += isfinite(value) ? value : 1e6;
    }
    measures[b] = sum / (double)(window > 0 ? window : 1);
  }
  return step;
}
