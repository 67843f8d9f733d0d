// OpenBLAS (CBLAS interface plus its thread controls) and LAPACKE, as one C module,
// with the glibc allocator controls that numerical loops tune (mallopt).
#include <cblas.h>
#include <lapacke.h>
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif

// The two stages of LAPACK's two-stage tridiagonalisation (LAPACK 3.7+, in OpenBLAS's
// bundled LAPACK), which lapack.h does not declare: dense to band of half-width kd
// (blocked reflectors, matrix-matrix work), then band to tridiagonal (bulge chasing).
// Fortran calling convention: every argument by reference, string lengths at the end.
void dsytrd_sy2sb_(
    const char *uplo, const lapack_int *n, const lapack_int *kd, double *a,
    const lapack_int *lda, double *ab, const lapack_int *ldab, double *tau, double *work,
    const lapack_int *lwork, lapack_int *info, size_t uplo_length);
void dsytrd_sb2st_(
    const char *stage1, const char *vect, const char *uplo, const lapack_int *n,
    const lapack_int *kd, double *ab, const lapack_int *ldab, double *d, double *e,
    double *hous, const lapack_int *lhous, double *work, const lapack_int *lwork,
    lapack_int *info, size_t stage1_length, size_t vect_length, size_t uplo_length);
