// The body of the batched trainer, included by kernel.c once per precision with REAL (the
// arithmetic type), FN(name) (the precision's name), TANH, DATA_X and DATA_Y defined.

// Lane-wise helpers (a loop over the L members; the compiler turns each into vector code).
#define LANES(b) for (int b = 0; b < L; b++)

// σ_max of each member's W (d × n, lane-minor) and its singular vectors u (d), v (n), by
// `iterations` steps of power iteration from the current u: v ← Wᵀu/‖Wᵀu‖, u ← Wv/‖Wv‖,
// σ = uᵀWv.
__attribute__((always_inline)) static inline void FN(power_iteration)(const REAL *w, int d, int n, int iterations, REAL *u, REAL *v,
                            REAL *sigma) {
  REAL norm[L];
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
    REAL row[L];
    LANES(b) row[b] = 0;
    for (int j = 0; j < n; j++) LANES(b) row[b] += w[(i * n + j) * L + b] * v[j * L + b];
    LANES(b) sigma[b] += u[i * L + b] * row[b];
  }
}

typedef struct {
  REAL w0[MAX_INPUTS * MAX_WIDTH * L];
  REAL w1[MAX_WIDTH * L];
  REAL g0[MAX_INPUTS * MAX_WIDTH * L];
  REAL g1[MAX_WIDTH * L];
  REAL used0[MAX_INPUTS * MAX_WIDTH * L];  // W₀ as the network uses it (τW₀/σ under SN)
  REAL u[MAX_INPUTS * L], v[MAX_WIDTH * L], sigma[L];
  // A block of gradient points: ∂L/∂A (point × width × lane) and (√2/√d)·x (point × input).
  REAL da[BLOCK * MAX_WIDTH * L];
  REAL cx[BLOCK * MAX_INPUTS];
} FN(workspace);


// ∂L/∂W₀[i][j] += Σ_k cx[k][i]·da[k][j] over the `filled` points of the block, in point
// order (so each element's sum runs over the points ascending, as a point-by-point update
// would), JB columns at a time with their sums held in registers.
__attribute__((always_inline)) static inline void FN(accumulate_g0)(FN(workspace) *ws, int filled,
                                                                const int d, const int n) {
  if (n % JB == 0) {
    for (int i = 0; i < d; i++)
      for (int j0 = 0; j0 < n; j0 += JB) {
        REAL acc[JB][L];
        for (int jj = 0; jj < JB; jj++) LANES(b) acc[jj][b] = ws->g0[(i * n + j0 + jj) * L + b];
        for (int k = 0; k < filled; k++) {
          const REAL c = ws->cx[k * d + i];
          for (int jj = 0; jj < JB; jj++) LANES(b) acc[jj][b] += c * ws->da[(k * n + j0 + jj) * L + b];
        }
        for (int jj = 0; jj < JB; jj++) LANES(b) ws->g0[(i * n + j0 + jj) * L + b] = acc[jj][b];
      }
  } else {
    for (int k = 0; k < filled; k++)
      for (int i = 0; i < d; i++) {
        const REAL c = ws->cx[k * d + i];
        for (int j = 0; j < n; j++) LANES(b) ws->g0[(i * n + j) * L + b] += c * ws->da[(k * n + j) * L + b];
      }
  }
}

// One pass at the current weights: the loss over all N points into `loss`, and, when
// `gradient` is set, the gradients over the step's gradient points into g0, g1.
__attribute__((always_inline)) static inline void FN(pass_sized)(
    const crit_trainability_setup *s, FN(workspace) *ws, const REAL *w0, int gradient,
    const int *grad_points, int grad_count, REAL *loss, const int d, const int n) {
  const int count = s->points;
  // √2 for tanh and ReLU (unit gain), none for the linear network, as in the reference.
  const REAL scale = (s->activation == CRIT_TRAINABILITY_IDENTITY ? 1.0 : sqrt(2.0)) / sqrt((REAL)d);
  const REAL nd = (REAL)n, countd = (REAL)count, gradd = (REAL)grad_count;
  REAL a[MAX_WIDTH * L], h[MAX_WIDTH * L], dphi[MAX_WIDTH * L], r[L], dy[L];
  LANES(b) loss[b] = 0;
  if (gradient) {
    memset(ws->g0, 0, sizeof(REAL) * d * n * L);
    memset(ws->g1, 0, sizeof(REAL) * n * L);
  }
  int next = 0;    // index into grad_points of the next gradient point
  int filled = 0;  // gradient points held in ws->da, ws->cx
  for (int q = 0; q < count; q++) {
    const REAL *xq = DATA_X(s) + q * d;
    // a[j] = Σ_i x[q][i]·W₀[i][j], JB columns at a time with their sums in registers.
    if (n % JB == 0) {
      for (int j0 = 0; j0 < n; j0 += JB) {
        REAL acc[JB][L];
        for (int jj = 0; jj < JB; jj++) LANES(b) acc[jj][b] = 0;
        for (int i = 0; i < d; i++) {
          const REAL xi = xq[i];
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
          const REAL t = TANH(scale * a[k]);
          h[k] = t;
          dphi[k] = 1 - t * t;
        }
        break;
      case CRIT_TRAINABILITY_RELU:
        for (int k = 0; k < n * L; k++) {
          const REAL z = scale * a[k];
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
    LANES(b) r[b] = r[b] / nd - DATA_Y(s)[q];
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
      REAL *restrict g1 = ws->g1, *restrict da = ws->da + filled * n * L;
      const REAL *restrict w1 = ws->w1;
      for (int j = 0; j < n; j++) {
        LANES(b) g1[j * L + b] += h[j * L + b] * dy[b] / nd;
        LANES(b) da[j * L + b] = dy[b] * w1[j * L + b] / nd * dphi[j * L + b];
      }
      for (int i = 0; i < d; i++) ws->cx[filled * d + i] = scale * xq[i];
      if (++filled == BLOCK) {
        FN(accumulate_g0)(ws, filled, d, n);
        filled = 0;
      }
    }
  }
  if (filled > 0) FN(accumulate_g0)(ws, filled, d, n);
  LANES(b) loss[b] /= countd;
}

// `pass_sized` with the sizes as compile-time constants for the paper's network (d = n = 16),
// so that its loops are unrolled and kept in registers; any other size takes the general path.
__attribute__((always_inline)) static inline void FN(pass)(const crit_trainability_setup *s,
                                                       FN(workspace) *ws, const REAL *w0,
                                                       int gradient, const int *grad_points,
                                                       int grad_count, REAL *loss) {
  if (s->inputs == 16 && s->width == 16)
    FN(pass_sized)(s, ws, w0, gradient, grad_points, grad_count, loss, 16, 16);
  else
    FN(pass_sized)(s, ws, w0, gradient, grad_points, grad_count, loss, s->inputs, s->width);
}

// The weights the network uses: W₀ itself, or τ·W₀/σ_max(W₀) under spectral normalisation
// (σ_max and its vectors refreshed first; also refreshed for the penalty).
__attribute__((always_inline)) static inline const REAL *FN(effective_w0)(const crit_trainability_setup *s, FN(workspace) *ws) {
  const int dn = s->inputs * s->width;
  if (s->spectral == 0) return ws->w0;
  FN(power_iteration)(ws->w0, s->inputs, s->width, s->power_iterations, ws->u, ws->v, ws->sigma);
  if (s->spectral == 1) return ws->w0;
  for (int k = 0; k < dn; k++) LANES(b) ws->used0[k * L + b] = s->spectral_target * ws->w0[k * L + b] / ws->sigma[b];
  return ws->used0;
}

// Turns the gradient with respect to the weights used into the gradient with respect to W₀:
// for the penalty, + 2λ(σ − τ)·u vᵀ; for spectral normalisation W̃ = τW/σ,
// ∂L/∂W = (τ/σ)·(G − (⟨G, W̃⟩/τ)·u vᵀ).
__attribute__((always_inline)) static inline void FN(spectral_gradient)(const crit_trainability_setup *s, FN(workspace) *ws) {
  const int d = s->inputs, n = s->width;
  REAL c[L];
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
          const REAL g = ws->g0[(i * n + j) * L + b] - c[b] * ws->u[i * L + b] * ws->v[j * L + b];
          ws->g0[(i * n + j) * L + b] = s->spectral_target / ws->sigma[b] * g;
        }
  }
}

__attribute__((target_clones("avx2", "default")))
static int FN(crit_trainability_train_chunk)(const crit_trainability_setup *s, int members,
                                  const double *w0_init, const double *w1_init,
                                  const double *eta0, const double *eta1, const double *offset,
                                  double *measures, void *scratch) {
  FN(workspace) *ws = scratch;
  const int d = s->inputs, n = s->width, dn = d * n, steps = s->steps;
  const int window = s->window < steps ? s->window : steps;
  REAL e0[L], e1[L], c[L], initial[L], loss[L], tail[L * CRIT_TRAINABILITY_MAX_WINDOW];
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
    for (int i = 0; i < d; i++) LANES(b) ws->u[i * L + b] = 1 / sqrt((REAL)d);
    FN(power_iteration)(ws->w0, d, n, 50, ws->u, ws->v, ws->sigma);
  }
  const REAL *used = FN(effective_w0)(s, ws);
  const int full = s->batch == 0;
  FN(pass)(s, ws, used, 1, full ? 0 : s->batch_points, full ? s->points : s->batch, initial);
  int step = 0;
  for (; step < steps; step++) {
    if (s->spectral) FN(spectral_gradient)(s, ws);
    for (int k = 0; k < dn; k++) LANES(b) ws->w0[k * L + b] -= e0[b] * ws->g0[k * L + b];
    if (offset)
      for (int k = 0; k < dn; k++) LANES(b) ws->w0[k * L + b] += c[b];
    for (int j = 0; j < n; j++) LANES(b) ws->w1[j * L + b] -= e1[b] * ws->g1[j * L + b];
    used = FN(effective_w0)(s, ws);
    const int last = step + 1 == steps;
    const int *points = full ? 0 : s->batch_points + (step + 1) * s->batch;
    FN(pass)(s, ws, used, !last, points, full ? s->points : s->batch, loss);
    int alive = 0;
    LANES(b) {
      const REAL value = loss[b] / initial[b];
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
      const REAL value = tail[t * L + b];
      sum += isfinite(value) ? (double)value : 1e6;
    }
    measures[b] = sum / (double)(window > 0 ? window : 1);
  }
  return step;
}
