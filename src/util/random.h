// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// A small, seedable, fast pseudo-random source (SplitMix64). The engine owns one per execution,
// seeded from `EngineOptions::random_seed`, so jitter, `States.MathRandom` without a seed and
// `States.UUID` are reproducible in tests. Not cryptographically secure, as AWS's isn't either.
#ifndef STEPWISE_SRC_UTIL_RANDOM_H_
#define STEPWISE_SRC_UTIL_RANDOM_H_

#include <cstdint>

namespace stepwise::internal {

// Not thread-safe: use from one thread at a time.
class Random {
 public:
  explicit Random(std::uint64_t seed = 0x9E3779B97F4A7C15ull) : state_(seed) {}

  std::uint64_t next_u64() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1).
  double next_double() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  std::uint64_t state() const { return state_; }

 private:
  std::uint64_t state_;
};

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_UTIL_RANDOM_H_
