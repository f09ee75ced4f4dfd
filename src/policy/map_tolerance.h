// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The Map state's tolerated-failure rule (ASL-REFERENCE.md section 11.6) as one pure
// function: do `failed` failed items out of `total` exceed ToleratedFailureCount /
// ToleratedFailurePercentage? Used by the inline Map, the Distributed Map (item by item while
// its reader runs, and once more when the total is known) and TestState's
// `mapIterationFailureCount`.
#ifndef STEPWISE_SRC_POLICY_MAP_TOLERANCE_H_
#define STEPWISE_SRC_POLICY_MAP_TOLERANCE_H_

#include <cstdint>
#include <optional>

namespace stepwise::internal {

// The tolerance fields as the state resolved them: each set only when the definition sets it
// (directly, by its Path form or by a JSONata expression). REQUIRES: count >= 0 and
// 0 <= percentage <= 100 (the interpreter fails the state with States.Runtime otherwise).
struct MapTolerance {
  std::optional<std::int64_t> count;  // ToleratedFailureCount
  std::optional<double> percentage;   // ToleratedFailurePercentage
};

// What a field that is not set means.
enum class UnsetTolerance : std::uint8_t {
  // AWS's executions: both fields default to 0, so a Map that sets neither fails at its first
  // failed item. A Map that sets one field is judged by that field alone.
  kZero,
  // TestState's stateConfiguration.mapIterationFailureCount: only the fields the state sets
  // are checked; a state that sets neither tolerates any number of failures.
  kUnlimited,
};

// True when `failed` failed (or timed-out) items out of `total` exceed `tolerance`:
// - the count is exceeded when failed > count;
// - the percentage is exceeded when 100 × failed / total > percentage, computed in double
//   with no rounding (1 of 3 is 33.33…%: over 33, not over 33.34); 100 never fails. It is
//   not checked when total is 0. While the total is unknown (`nullopt`: a Distributed Map
//   whose reader has not finished), a percentage can only be known to be exceeded when it is
//   0 and an item failed, since more items lower the share;
// - when both are set, exceeding either one is enough;
// - with neither set, `unset` decides (see above).
// No failure never exceeds anything.
bool exceeds_tolerance(const MapTolerance& tolerance, std::uint64_t failed,
                       std::optional<std::uint64_t> total,
                       UnsetTolerance unset = UnsetTolerance::kZero);

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_POLICY_MAP_TOLERANCE_H_
