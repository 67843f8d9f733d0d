#!/usr/bin/env bash
# Installs JAX (CPU) for the trainability peer benchmark (bench/trainability_jax.py): nothing
# when python3 already imports it, otherwise jax[cpu] from PyPI (retried with
# --break-system-packages where the Python is an externally managed Debian one).
set -euo pipefail
if python3 -c "import jax" 2>/dev/null; then exit 0; fi
python3 -m pip install --quiet "jax[cpu]" ||
  python3 -m pip install --quiet --break-system-packages "jax[cpu]"
