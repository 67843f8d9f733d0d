#!/usr/bin/env bash
# Installs neural-tangents with JAX (CPU) for the kernel peer (bench/neural_kernels_reference.py):
# nothing when python3 already imports it, otherwise from PyPI (retried with
# --break-system-packages where the Python is an externally managed Debian one). Pinned:
# neural-tangents 0.6.5 and its tf2jax import names that JAX removed after 0.4.
set -euo pipefail
if python3 -c "import neural_tangents" 2>/dev/null; then exit 0; fi
python3 -m pip install --quiet "neural-tangents==0.6.5" "jax[cpu]==0.4.30" "tf2jax==0.3.6" ||
  python3 -m pip install --quiet --break-system-packages "neural-tangents==0.6.5" "jax[cpu]==0.4.30" "tf2jax==0.3.6"
