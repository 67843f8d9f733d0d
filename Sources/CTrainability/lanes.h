// What the hand-vectorised kernels share: the x86-64 clones (AVX2 and FMA,
// and the baseline, picked at load time; kernels written for 8-double vectors add an AVX-512
// clone) and four-double lane vectors, loaded and stored through macros (a 32-byte vector
// passed by value would need AVX in the caller's ABI, which the baseline clone lacks).
#ifndef CRIT_LANES_H
#define CRIT_LANES_H

#if defined(__x86_64__)
#define TARGET_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
// For kernels whose working vectors hold 8 doubles (64 bytes): one AVX-512 register each on
// x86-64-v4, two AVX2 registers on x86-64-v3.
#define TARGET_CLONES_WIDE \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define TARGET_CLONES
#define TARGET_CLONES_WIDE
#endif

typedef double lanes4 __attribute__((vector_size(32), aligned(8)));
#define SPLAT4(v) ((lanes4){(v), (v), (v), (v)})
#define LOAD4(p) (*(const lanes4 *)(p))
#define STORE4(p, v) (*(lanes4 *)(p) = (v))

#endif
