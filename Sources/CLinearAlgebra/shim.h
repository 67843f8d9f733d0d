// OpenBLAS (CBLAS interface plus its thread controls) and LAPACKE, as one C module.
#include <cblas.h>
#include <lapacke.h>
