#ifndef CRIT_TRAINABILITY_KERNEL_H
#define CRIT_TRAINABILITY_KERNEL_H

/// Members trained together by one call of `crit_trainability_train_chunk`: the innermost
/// index of every working array, so each arithmetic step is a vector operation over them.
#define CRIT_TRAINABILITY_LANES 8
/// The largest input dimension and width, and the largest measure window.
#define CRIT_TRAINABILITY_MAX_SIZE 64
#define CRIT_TRAINABILITY_MAX_WINDOW 128

#include <stddef.h>

/// Activations of the trainability network.
enum crit_trainability_activation {
  CRIT_TRAINABILITY_TANH = 0,
  CRIT_TRAINABILITY_RELU = 1,
  CRIT_TRAINABILITY_IDENTITY = 2,
};

/// The shared part of a family of trainability runs: data, sizes, activation, schedule.
///
/// Network (mean-field parameterisation): a = x̃ W₀ with x̃ = (g/√d)·x the scaled input
/// (g = √2, or 1 for identity), h = φ(a), ŷ = h W₁/n, L = mean over the points of (ŷ − y)².
typedef struct {
  int inputs;       ///< d
  int width;        ///< n
  int points;       ///< N, the points of the loss
  const double *x;  ///< the scaled inputs x̃ = (g/√d)·x, N × d, row-major
  const double *y;  ///< N
  int activation;   ///< an `enum crit_trainability_activation`
  int steps;        ///< gradient-descent steps T
  int window;       ///< losses averaged by the measure (the last `window` of T)
  /// Gradient points per step: 0 for full batch (every point, in order); otherwise step t
  /// takes its gradient over the `batch` points `batch_points[t·batch …]` (ascending, repeats
  /// allowed and counted), while
  /// the recorded loss is always the loss over all N points.
  int batch;
  const int *batch_points;
  /// Spectral control of W₀: 0 none; 1 penalty λ(σ_max(W₀) − τ)² added to the loss's
  /// gradient; 2 spectral normalisation, the network using τ·W₀/σ_max(W₀). σ_max and its
  /// singular vectors come from `power_iterations` steps of power iteration per update,
  /// warm-started from the previous step's vectors (Miyato et al. 2018).
  int spectral;
  double spectral_strength;  ///< λ
  double spectral_target;    ///< τ
  int power_iterations;
  int early_exit;  ///< stop once every member's loss is NaN (which is permanent)
  /// Train in single precision (float arithmetic throughout, tanh rounded from double) from
  /// `x32`, `y32` (the scaled inputs and the targets rounded to float); the measure is still
  /// accumulated in double.
  int single_precision;
  const float *x32;
  const float *y32;
} crit_trainability_setup;

/// Trains `members` (≤ CRIT_TRAINABILITY_LANES) copies of the network by gradient descent,
/// member m from weights `w0_init[m·d·n …]` (row-major d × n) and `w1_init[m·n …]` with
/// learning rates `eta0[m]` (W₀) and `eta1[m]` (W₁). With `offset` non-null, `offset[m]` is
/// added to every weight of W₀ after every update (the initialisation-offset variant of the
/// reference notebook, which re-adds the offset at every step; the caller adds it once to
/// `w0_init`). Writes each member's measure: the mean
/// of its last `window` normalised losses L_t/L₀ (t = 1 … T, after each update), non-finite
/// ones counting as 10⁶. `scratch` is `crit_trainability_workspace_bytes()` bytes owned by the
/// caller (one per thread). Returns the number of steps actually run (< T after early exit).
int crit_trainability_train_chunk(
    const crit_trainability_setup *setup, int members, const double *w0_init,
    const double *w1_init, const double *eta0, const double *eta1, const double *offset,
    double *measures, void *scratch);

/// The size of the scratch memory of one `crit_trainability_train_chunk` call.
size_t crit_trainability_workspace_bytes(void);

/// tanh(x) as the kernel computes it: e/(e + 2) with e = expm1(2x), x clamped to [−20, 20], the
/// expm1 by Cody–Waite reduction and a degree-11 polynomial with fused multiply–adds, so it
/// vectorises and is the same on every platform (within 3 ulp of tanh; NaN gives NaN).
double crit_trainability_tanh(double x);

/// `values[i] = tanh(values[i])` for i < count by the same function as
/// `crit_trainability_tanh`, 32 values per vectorised step (AVX2 and FMA where the processor
/// has them): what echo-state reservoirs apply to their units every step.
void crit_tanh_in_place(double *values, long count);

/// Copies the row-major n × n matrix `wt` into panels of eight columns, each panel's n rows in
/// sequence, the last panel padded with zero columns (`packed` holds 8·⌈n/8⌉·n values): the
/// layout `crit_reservoir_product` reads.
void crit_reservoir_pack(const double *wt, double *packed, long n);

/// `y = x·wt`, i.e. `y[r][j] = Σ_i x[r][i]·wt[i][j]` (row-major; x is rows × n, wt the
/// transposed reservoir matrix, n × n, given as its panels from `crit_reservoir_pack`; y is
/// rows × n), each sum over i in order with fused multiply–adds, so a row's result does not
/// depend on the other rows: the step product of a batch of echo-state reservoirs, with the
/// matrix packed once for all steps instead of by BLAS on every call.
/// On processors with AVX-512 the product runs on eight-double registers, sixteen columns by
/// eight rows at a time; the sums are the same chains, so the bits equal the four-lane form's.
void crit_reservoir_product(const double *x, const double *packed, double *y, long rows, long n);

/// The four-lane form of `crit_reservoir_product` (AVX2 and FMA where the processor has them,
/// else the baseline), which it uses where the processor lacks AVX-512: exposed so that tests
/// can compare the two bit for bit.
void crit_reservoir_product_lanes4(
    const double *x, const double *packed, double *y, long rows, long n);

/// In-place discrete Fourier transform `Σ_t z_t e^{∓2πi ft/L}` (minus sign forward,
/// unnormalised) of four sequences at once: `real` and `imaginary` hold `length` groups of four
/// doubles, lane j of every group belonging to sequence j. `length` is a power
/// of two; `cosines[k]`, `sines[k]` = cos, sin(2πk/L) for k < L/2; `reversed` the bit-reversal
/// permutation of 0…L−1. Radix-2 decimation in time with the stages taken two at a time.
void crit_lane_fft(
    double *real, double *imaginary, long length, const double *cosines, const double *sines,
    const long *reversed, int inverse);

/// The vector width the kernels' clones use on this processor: 3 for AVX-512 (x86-64-v4), 2 for
/// AVX2 and FMA (x86-64-v3), 1 for the baseline (and on other architectures).
int crit_vector_level(void);

/// Runs `iterations` rounds of the float64 FMA peak probe (twelve independent chains of FMAs
/// on the widest vectors of `crit_vector_level`) and writes the floating-point operations it
/// did to `flops` (2 per lane per FMA). Returns the mean of the chains' lanes, which depends on
/// every operation and tends to 1 (each round maps a to a/2 + 1/2).
double crit_fma_probe(long iterations, double *flops);

#endif
