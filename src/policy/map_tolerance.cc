// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The Map tolerated-failure rule.
#include "policy/map_tolerance.h"

namespace stepwise::internal {

bool exceeds_tolerance(const MapTolerance& tolerance, std::uint64_t failed,
                       std::optional<std::uint64_t> total, UnsetTolerance unset) {
  if (failed == 0) return false;
  if (!tolerance.count && !tolerance.percentage) return unset == UnsetTolerance::kZero;
  if (tolerance.count && failed > static_cast<std::uint64_t>(*tolerance.count)) return true;
  if (!tolerance.percentage) return false;
  if (!total) return *tolerance.percentage == 0;
  if (*total == 0) return false;
  return 100.0 * static_cast<double>(failed) / static_cast<double>(*total) > *tolerance.percentage;
}

}  // namespace stepwise::internal
