// The body of the batched trainer, included by kernel.c once per precision with REAL (the
// arithmetic type), VEC (L REALs, one per member), WIDE (4·L REALs), FN(name) (the
// precision's name), DATA_X and DATA_Y (the setup's scaled inputs and targets in REAL) defined.
//
// Every working quantity is a VEC: lane b belongs to member b, so each operation below acts on
// all L members at once. A member's arithmetic is exactly that of the straightforward
// one-network trainer (`trainPixel`): every sum of products in the network's pass is a chain of
// fused multiply–adds (a·b + c rounded once) from +0 in ascending order of its index; the
// updates and the spectral controls use plain operations, as it does.

#define SPLAT(c) ((VEC){(c), (c), (c), (c), (c), (c), (c), (c)})
#define VFMA(a, b, c) __builtin_elementwise_fma(a, b, c)

// σ_max of each member's W (d × n) and its singular vectors u (d), v (n), by `iterations`
// steps of power iteration from the current u: v ← Wᵀu/‖Wᵀu‖, u ← Wv/‖Wv‖, σ = uᵀWv
// (plain products and sums, once per step).
static inline void FN(power_iteration)(const VEC *w, int d, int n, int iterations, VEC *u,
                                       VEC *v, VEC *sigma) {
  for (int it = 0; it < iterations; it++) {
    VEC norm = SPLAT(0);
    for (int j = 0; j < n; j++) v[j] = SPLAT(0);
    for (int i = 0; i < d; i++)
      for (int j = 0; j < n; j++) v[j] += w[i * n + j] * u[i];
    for (int j = 0; j < n; j++) norm += v[j] * v[j];
    norm = __builtin_elementwise_sqrt(norm);
    for (int j = 0; j < n; j++) v[j] /= norm;
    norm = SPLAT(0);
    for (int i = 0; i < d; i++) u[i] = SPLAT(0);
    for (int i = 0; i < d; i++)
      for (int j = 0; j < n; j++) u[i] += w[i * n + j] * v[j];
    for (int i = 0; i < d; i++) norm += u[i] * u[i];
    norm = __builtin_elementwise_sqrt(norm);
    for (int i = 0; i < d; i++) u[i] /= norm;
  }
  *sigma = SPLAT(0);
  for (int i = 0; i < d; i++) {
    VEC row = SPLAT(0);
    for (int j = 0; j < n; j++) row += w[i * n + j] * v[j];
    *sigma += u[i] * row;
  }
}

typedef struct {
  VEC w0[MAX_INPUTS * MAX_WIDTH], w1[MAX_WIDTH];
  VEC g0[MAX_INPUTS * MAX_WIDTH], g1[MAX_WIDTH];
  VEC used0[MAX_INPUTS * MAX_WIDTH];  // W₀ as the network uses it (τW₀/σ under SN)
  VEC u[MAX_INPUTS], v[MAX_WIDTH], sigma;
  // ∂L/∂A of a block of gradient points (point × width), and their scaled inputs when they
  // are gathered (a minibatch; full batch's lie in order in the data).
  VEC da[BLOCK * MAX_WIDTH];
  REAL cx[BLOCK * MAX_INPUTS];
  // Pre-activations, then activations, of FORWARD points (point × width).
  VEC h[FORWARD * MAX_WIDTH];
} FN(workspace);

// a[p][j] = Σ_i cx[p][i]·W₀[i][j] for P consecutive points (P ≤ FORWARD), each sum fused and
// ascending in i. One column at a time with the P points' sums in registers, so each load of
// W₀ serves P points.
__attribute__((always_inline)) static inline void FN(forward)(const REAL *restrict cx,
                                                             const VEC *restrict w0,
                                                             VEC *restrict a, const int P,
                                                             const int d, const int n) {
  for (int j = 0; j < n; j++) {
    VEC acc[FORWARD];
    for (int p = 0; p < P; p++) acc[p] = SPLAT(0);
    for (int i = 0; i < d; i++) {
      const VEC w = w0[i * n + j];
      for (int p = 0; p < P; p++) acc[p] = VFMA(SPLAT(cx[p * d + i]), w, acc[p]);
    }
    for (int p = 0; p < P; p++) a[p * n + j] = acc[p];
  }
}

// ∂L/∂W₀[i][j] += Σ_k cx[k][i]·da[k][j] over the `filled` points of the block (their scaled
// inputs at cx, point × input), fused and in point order, as a point-by-point update would.
// 2 × 2 elements at a time with their sums in registers, so each load serves two of them.
__attribute__((always_inline)) static inline void FN(accumulate_g0)(FN(workspace) *ws,
                                                                   const REAL *restrict cx,
                                                                   const int filled, const int d,
                                                                   const int n) {
  VEC *restrict g0 = ws->g0;
  const VEC *restrict da = ws->da;
  if (d % 2 == 0 && n % 2 == 0) {
    for (int i = 0; i < d; i += 2)
      for (int j = 0; j < n; j += 2) {
        VEC a00 = g0[i * n + j], a01 = g0[i * n + j + 1];
        VEC a10 = g0[(i + 1) * n + j], a11 = g0[(i + 1) * n + j + 1];
        for (int k = 0; k < filled; k++) {
          const VEC c0 = SPLAT(cx[k * d + i]), c1 = SPLAT(cx[k * d + i + 1]);
          const VEC e0 = da[k * n + j], e1 = da[k * n + j + 1];
          a00 = VFMA(c0, e0, a00);
          a01 = VFMA(c0, e1, a01);
          a10 = VFMA(c1, e0, a10);
          a11 = VFMA(c1, e1, a11);
        }
        g0[i * n + j] = a00;
        g0[i * n + j + 1] = a01;
        g0[(i + 1) * n + j] = a10;
        g0[(i + 1) * n + j + 1] = a11;
      }
  } else {
    for (int k = 0; k < filled; k++)
      for (int i = 0; i < d; i++)
        for (int j = 0; j < n; j++) g0[i * n + j] = VFMA(SPLAT(cx[k * d + i]), da[k * n + j], g0[i * n + j]);
  }
}

// `value` where `test` > 0, else +0 (as `test > 0 ? value : 0`, NaN giving 0).
static inline VEC FN(positive_part)(VEC value, VEC test) {
  typedef __typeof__(test > test) mask;
  return (VEC)((mask)value & (test > SPLAT(0)));
}

// φ of P points' pre-activations, in place.
__attribute__((always_inline)) static inline void FN(activate)(const int activation, VEC *restrict h,
                                                              const int count) {
  switch (activation) {
    case CRIT_TRAINABILITY_TANH:
      // Four vectors at a time (in double; in single precision each value is widened, and
      // the double tanh, within 3 ulp, rounded once back to float); a last partial block
      // is padded with zeros.
      for (int k = 0; k < count; k += 4) {
        const int m = count - k < 4 ? count - k : 4;
        WIDE wide;
        if (m == 4) {
          memcpy(&wide, h + k, sizeof wide);
        } else {
          VEC in[4] = {SPLAT(0), SPLAT(0), SPLAT(0), SPLAT(0)};
          for (int t = 0; t < m; t++) in[t] = h[k + t];
          memcpy(&wide, in, sizeof wide);
        }
        wide = __builtin_convertvector(tanh_lanes(__builtin_convertvector(wide, tanh_block)), WIDE);
        if (m == 4) {
          memcpy(h + k, &wide, sizeof wide);
        } else {
          VEC out[4];
          memcpy(out, &wide, sizeof wide);
          for (int t = 0; t < m; t++) h[k + t] = out[t];
        }
      }
      break;
    case CRIT_TRAINABILITY_RELU:
      for (int k = 0; k < count; k++) h[k] = FN(positive_part)(h[k], h[k]);
      break;
    default:
      break;
  }
}

// ∂L/∂A of one point, da[j] = (dyn·W₁[j])·φ′[j] with dyn = ∂L/∂ŷ / n and φ′ from the
// activation h: 1 − h² for tanh (rounded once), [h > 0] for ReLU, 1 for the identity.
__attribute__((always_inline)) static inline void FN(point_da)(const int activation,
                                                              const VEC *restrict h,
                                                              const VEC *restrict w1, const VEC dyn,
                                                              VEC *restrict da, const int n) {
  switch (activation) {
    case CRIT_TRAINABILITY_TANH:
      for (int j = 0; j < n; j++) da[j] = dyn * w1[j] * VFMA(-h[j], h[j], SPLAT(1));
      break;
    case CRIT_TRAINABILITY_RELU:
      for (int j = 0; j < n; j++) da[j] = dyn * w1[j] * FN(positive_part)(SPLAT(1), h[j]);
      break;
    default:
      for (int j = 0; j < n; j++) da[j] = dyn * w1[j] * SPLAT(1);
  }
}

// One pass at the current weights: the loss over all N points into `loss`, and, when
// `gradient` is set, the gradients over the step's gradient points into g0, g1 (every point
// once, in order, when `grad_points` is null: full batch).
__attribute__((always_inline)) static inline void FN(pass_sized)(
    const crit_trainability_setup *s, FN(workspace) *ws, const VEC *w0, const int gradient,
    const int *grad_points, const int grad_count, VEC *loss, const int d, const int n) {
  const int count = s->points, activation = s->activation;
  const REAL nd = (REAL)n, countd = (REAL)count, gradd = (REAL)grad_count;
  const REAL *data_x = DATA_X(s), *data_y = DATA_Y(s);
  const VEC *restrict w1 = ws->w1;
  VEC *restrict g1 = ws->g1, *restrict h = ws->h;
  *loss = SPLAT(0);
  if (gradient) {
    for (int k = 0; k < d * n; k++) ws->g0[k] = SPLAT(0);
    for (int j = 0; j < n; j++) g1[j] = SPLAT(0);
  }
  int next = 0;    // index into grad_points of the next gradient point
  int filled = 0;  // gradient points whose ∂L/∂A is in ws->da
  for (int q0 = 0; q0 < count; q0 += FORWARD) {
    const int P = count - q0 < FORWARD ? count - q0 : FORWARD;
    if (P == FORWARD) {
      FN(forward)(data_x + q0 * d, w0, h, FORWARD, d, n);
      FN(activate)(activation, h, FORWARD * n);
    } else {
      FN(forward)(data_x + q0 * d, w0, h, P, d, n);
      FN(activate)(activation, h, P * n);
    }
    // r = Σ_j h[j]·W₁[j] / n − y, the points' sums side by side; then ∂L/∂ŷ / n = 2r/(B·n).
    VEC r[FORWARD], dyn[FORWARD];
    for (int p = 0; p < P; p++) r[p] = SPLAT(0);
    for (int j = 0; j < n; j++)
      for (int p = 0; p < P; p++) r[p] = VFMA(h[p * n + j], w1[j], r[p]);
    for (int p = 0; p < P; p++) {
      r[p] = r[p] / nd - data_y[q0 + p];
      *loss = VFMA(r[p], r[p], *loss);
      dyn[p] = 2 * r[p] / gradd / nd;
    }
    if (!gradient) continue;
    if (!grad_points && P == FORWARD) {
      // Full batch: ∂L/∂W₁[j] += h[p][j]·dyn[p] over the points in order (the sum in
      // registers), and the points' ∂L/∂A into the block.
      for (int j = 0; j < n; j++) {
        VEC acc = g1[j];
        for (int p = 0; p < FORWARD; p++) acc = VFMA(h[p * n + j], dyn[p], acc);
        g1[j] = acc;
      }
      for (int p = 0; p < FORWARD; p++)
        FN(point_da)(activation, h + p * n, w1, dyn[p], ws->da + (filled + p) * n, n);
      filled += FORWARD;
      if (filled == BLOCK) {
        FN(accumulate_g0)(ws, data_x + (q0 + FORWARD - BLOCK) * d, BLOCK, d, n);
        filled = 0;
      }
      continue;
    }
    for (int p = 0; p < P; p++) {
      const int q = q0 + p;
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
      for (int repeat = 0; repeat < times; repeat++) {
        for (int j = 0; j < n; j++) g1[j] = VFMA(h[p * n + j], dyn[p], g1[j]);
        FN(point_da)(activation, h + p * n, w1, dyn[p], ws->da + filled * n, n);
        if (grad_points)
          for (int i = 0; i < d; i++) ws->cx[filled * d + i] = data_x[q * d + i];
        if (++filled == BLOCK) {
          FN(accumulate_g0)(ws, grad_points ? ws->cx : data_x + (q + 1 - BLOCK) * d, BLOCK, d, n);
          filled = 0;
        }
      }
    }
  }
  if (gradient && filled > 0)
    FN(accumulate_g0)(ws, grad_points ? ws->cx : data_x + (count - filled) * d, filled, d, n);
  *loss /= countd;
}

// `pass_sized` with the sizes as compile-time constants for the paper's network (d = n = 16),
// so that its loops are unrolled and kept in registers; any other size takes the general path.
__attribute__((always_inline)) static inline void FN(pass)(const crit_trainability_setup *s,
                                                          FN(workspace) *ws, const VEC *w0,
                                                          int gradient, const int *grad_points,
                                                          int grad_count, VEC *loss) {
  if (s->inputs == 16 && s->width == 16)
    FN(pass_sized)(s, ws, w0, gradient, grad_points, grad_count, loss, 16, 16);
  else
    FN(pass_sized)(s, ws, w0, gradient, grad_points, grad_count, loss, s->inputs, s->width);
}

// The weights the network uses: W₀ itself, or τ·W₀/σ_max(W₀) under spectral normalisation
// (σ_max and its vectors refreshed first; also refreshed for the penalty).
static inline const VEC *FN(effective_w0)(const crit_trainability_setup *s, FN(workspace) *ws) {
  const int dn = s->inputs * s->width;
  if (s->spectral == 0) return ws->w0;
  FN(power_iteration)(ws->w0, s->inputs, s->width, s->power_iterations, ws->u, ws->v, &ws->sigma);
  if (s->spectral == 1) return ws->w0;
  for (int k = 0; k < dn; k++) ws->used0[k] = (REAL)s->spectral_target * ws->w0[k] / ws->sigma;
  return ws->used0;
}

// Turns the gradient with respect to the weights used into the gradient with respect to W₀:
// for the penalty, + 2λ(σ − τ)·u vᵀ; for spectral normalisation W̃ = τW/σ,
// ∂L/∂W = (τ/σ)·(G − (⟨G, W̃⟩/τ)·u vᵀ).
static inline void FN(spectral_gradient)(const crit_trainability_setup *s, FN(workspace) *ws) {
  const int d = s->inputs, n = s->width;
  const REAL strength = (REAL)s->spectral_strength, target = (REAL)s->spectral_target;
  if (s->spectral == 1) {
    const VEC c = 2 * strength * (ws->sigma - target);
    for (int i = 0; i < d; i++)
      for (int j = 0; j < n; j++) ws->g0[i * n + j] += c * ws->u[i] * ws->v[j];
  } else if (s->spectral == 2) {
    VEC c = SPLAT(0);
    for (int k = 0; k < d * n; k++) c += ws->g0[k] * ws->used0[k];
    c /= target;
    for (int i = 0; i < d; i++)
      for (int j = 0; j < n; j++)
        ws->g0[i * n + j] = target / ws->sigma * (ws->g0[i * n + j] - c * ws->u[i] * ws->v[j]);
  }
}

TARGET_CLONES_WIDE
static int FN(crit_trainability_train_chunk)(const crit_trainability_setup *s, int members,
                                             const double *w0_init, const double *w1_init,
                                             const double *eta0, const double *eta1,
                                             const double *offset, double *measures,
                                             void *scratch) {
  FN(workspace) *ws = scratch;
  const int d = s->inputs, n = s->width, dn = d * n, steps = s->steps;
  const int window = s->window < steps ? s->window : steps;
  VEC e0, e1, c, initial, loss, tail[CRIT_TRAINABILITY_MAX_WINDOW];
  // Lanes beyond `members` train a copy of member 0 and are discarded.
  for (int b = 0; b < L; b++) {
    const int m = b < members ? b : 0;
    e0[b] = (REAL)eta0[m];
    e1[b] = (REAL)eta1[m];
    c[b] = offset ? (REAL)offset[m] : 0;
    for (int k = 0; k < dn; k++) ws->w0[k][b] = (REAL)w0_init[m * dn + k];
    for (int j = 0; j < n; j++) ws->w1[j][b] = (REAL)w1_init[m * n + j];
  }
  if (s->spectral) {
    // Power iteration starts from the normalised all-ones vector, run to convergence once.
    for (int i = 0; i < d; i++) ws->u[i] = SPLAT(1 / sqrt((REAL)d));
    FN(power_iteration)(ws->w0, d, n, 50, ws->u, ws->v, &ws->sigma);
  }
  const VEC *used = FN(effective_w0)(s, ws);
  const int full = s->batch == 0;
  FN(pass)(s, ws, used, 1, full ? 0 : s->batch_points, full ? s->points : s->batch, &initial);
  int step = 0;
  for (; step < steps; step++) {
    if (s->spectral) FN(spectral_gradient)(s, ws);
    for (int k = 0; k < dn; k++) ws->w0[k] -= e0 * ws->g0[k];
    if (offset)
      for (int k = 0; k < dn; k++) ws->w0[k] += c;
    for (int j = 0; j < n; j++) ws->w1[j] -= e1 * ws->g1[j];
    used = FN(effective_w0)(s, ws);
    const int last = step + 1 == steps;
    const int *points = full ? 0 : s->batch_points + (step + 1) * s->batch;
    FN(pass)(s, ws, used, !last, points, full ? s->points : s->batch, &loss);
    const VEC value = loss / initial;
    if (step >= steps - window) tail[step - (steps - window)] = value;
    int alive = 0;
    for (int b = 0; b < members; b++) alive += !isnan(value[b]);
    if (s->early_exit && alive == 0) {
      // Every member's loss is NaN, and so are all its later losses (NaN reaches W₁ at the next
      // update, and every ŷ after it).
      for (int t = step + 1; t < steps; t++)
        if (t >= steps - window) tail[t - (steps - window)] = SPLAT(NAN);
      step++;
      break;
    }
  }
  for (int b = 0; b < members; b++) {
    double sum = 0;
    for (int t = 0; t < window; t++) {
      const double value = (double)tail[t][b];
      sum += isfinite(value) ? value : 1e6;
    }
    measures[b] = sum / (double)(window > 0 ? window : 1);
  }
  return step;
}
