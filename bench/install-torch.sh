#!/usr/bin/env bash
# Installs PyTorch for the peer benchmarks: a local CPU wheel when the machine has one
# (in $TORCH_WHEEL_DIR, default /opt/wheels), otherwise torch from PyPI.
set -euo pipefail
if python3 -c "import torch" 2>/dev/null; then exit 0; fi
wheel=$(ls "${TORCH_WHEEL_DIR:-/opt/wheels}"/torch-*.whl 2>/dev/null | head -n 1 || true)
if [ -n "$wheel" ]; then
  python3 -m pip install --quiet "$wheel"
else
  python3 -m pip install --quiet torch
fi
