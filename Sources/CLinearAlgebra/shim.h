// OpenBLAS (CBLAS interface plus its thread controls) and LAPACKE, as one C module,
// with the glibc allocator controls that numerical loops tune (mallopt).
#include <cblas.h>
#include <lapacke.h>
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif
