// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The table of `States.*` intrinsic functions shared by the call parser (arity checks at load
// time) and the evaluator: one entry per function with its arity, whether it returns a string,
// and its implementation (ASL-REFERENCE.md section 6). Implementations live in functions.cc.
#ifndef STEPWISE_SRC_INTRINSICS_FUNCTION_TABLE_H_
#define STEPWISE_SRC_INTRINSICS_FUNCTION_TABLE_H_

#include <span>
#include <string_view>

#include <nlohmann/json.hpp>

#include "intrinsics/intrinsics.h"
#include "util/outcome.h"

namespace stepwise::internal {

// An intrinsic's implementation: `args` point at the evaluated arguments, in order.
using IntrinsicFn = Outcome<nlohmann::json> (*)(std::span<const nlohmann::json* const> args,
                                                IntrinsicEnv& env);

// One function of the table. Immutable; safe to use from any number of threads.
struct IntrinsicSpec {
  std::string_view name;  // e.g. "States.Format"
  int min_args;
  int max_args;  // kVariadic for no upper bound
  bool returns_string;
  IntrinsicFn fn;

  static constexpr int kVariadic = -1;
};

// The spec named `name`, or nullptr when there is none.
const IntrinsicSpec* find_intrinsic(std::string_view name);

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_INTRINSICS_FUNCTION_TABLE_H_
