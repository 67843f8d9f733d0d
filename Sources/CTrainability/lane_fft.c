// The radix-2² FFT behind the column cross-correlations (Tensors' ColumnCrossCorrelation):
// four independent sequences transformed together, one per lane of a 4-double vector, so
// every butterfly is a vector operation. Compiled for x86-64-v3 (AVX2 and FMA) and for the
// baseline, picked at load time.

#include "trainability_kernel.h"
#include "lanes.h"

TARGET_CLONES void crit_lane_fft(
    double *real, double *imaginary, long length, const double *cosines, const double *sines,
    const long *reversed, int inverse) {
  lanes4 *re = (lanes4 *)real, *im = (lanes4 *)imaginary;
  for (long i = 0; i < length; i++) {
    const long j = reversed[i];
    if (i < j) {
      lanes4 t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  const double sign = inverse ? 1 : -1;
  long span = 1;
  if (__builtin_ctzl((unsigned long)length) % 2 == 1) {
    // Span 1: the twiddle is 1.
    for (long a = 0; a < length; a += 2) {
      const lanes4 tr = re[a + 1], ti = im[a + 1];
      re[a + 1] = re[a] - tr;
      im[a + 1] = im[a] - ti;
      re[a] += tr;
      im[a] += ti;
    }
    span = 2;
  }
  for (; span < length; span <<= 2) {
    const long step1 = length / (2 * span), step2 = length / (4 * span);
    for (long start = 0; start < length; start += 4 * span) {
      for (long k = 0; k < span; k++) {
        // Stage span: W_{2s}^k on (0,1) and (2,3).
        const lanes4 w1r = SPLAT4(cosines[k * step1]), w1i = SPLAT4(sign * sines[k * step1]);
        const long i0 = start + k, i1 = i0 + span, i2 = i1 + span, i3 = i2 + span;
        const lanes4 t1r = re[i1] * w1r - im[i1] * w1i, t1i = re[i1] * w1i + im[i1] * w1r;
        const lanes4 t3r = re[i3] * w1r - im[i3] * w1i, t3i = re[i3] * w1i + im[i3] * w1r;
        const lanes4 y0r = re[i0] + t1r, y0i = im[i0] + t1i;
        const lanes4 y1r = re[i0] - t1r, y1i = im[i0] - t1i;
        const lanes4 y2r = re[i2] + t3r, y2i = im[i2] + t3i;
        const lanes4 y3r = re[i2] - t3r, y3i = im[i2] - t3i;
        // Stage 2·span: W_{4s}^k on (0,2); W_{4s}^{k+s} = W_{4s}^k·(∓i) on (1,3).
        const lanes4 w2r = SPLAT4(cosines[k * step2]), w2i = SPLAT4(sign * sines[k * step2]);
        const lanes4 u2r = y2r * w2r - y2i * w2i, u2i = y2r * w2i + y2i * w2r;
        const lanes4 v3r = y3r * w2r - y3i * w2i, v3i = y3r * w2i + y3i * w2r;
        const lanes4 u3r = inverse ? -v3i : v3i, u3i = inverse ? v3r : -v3r;
        re[i0] = y0r + u2r;
        im[i0] = y0i + u2i;
        re[i2] = y0r - u2r;
        im[i2] = y0i - u2i;
        re[i1] = y1r + u3r;
        im[i1] = y1i + u3i;
        re[i3] = y1r - u3r;
        im[i3] = y1i - u3i;
      }
    }
  }
}
