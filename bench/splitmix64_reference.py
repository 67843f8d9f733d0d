#!/usr/bin/env python3
"""Independent SplitMix64 (Steele, Lea & Flood 2014; Vigna's splitmix64.c): prints the first
outputs for seed 0, the reference values TensorsTests checks SplittableRandom against."""
MASK = (1 << 64) - 1
state = 0
for _ in range(3):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    print(hex(z ^ (z >> 31)))
