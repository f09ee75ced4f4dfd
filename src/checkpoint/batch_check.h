// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Checks every `CheckpointStore` shipped with the library makes the same way, with the same
// messages: the version fencing of `commit` (docs/checkpoints.md, "Version fencing").
#ifndef STEPWISE_SRC_CHECKPOINT_BATCH_CHECK_H_
#define STEPWISE_SRC_CHECKPOINT_BATCH_CHECK_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "stepwise/status.h"

namespace stepwise::internal {

// OK when a batch of version `batch_version` may be applied to execution `name`, whose stored
// version is `stored_version` (nullopt: no checkpoint of that name). Otherwise
// kFailedPrecondition naming the expected and the found versions.
inline Status check_batch_version(std::string_view name, std::uint64_t batch_version,
                                  std::optional<std::uint64_t> stored_version) {
  const std::uint64_t expected = stored_version ? *stored_version + 1 : 1;
  if (batch_version == expected) return {};
  std::string m = "version conflict on execution \"";
  m.append(name);
  m += "\": the batch has version ";
  m += std::to_string(batch_version);
  m += ", expected ";
  m += std::to_string(expected);
  if (stored_version) {
    m += " (the stored version is ";
    m += std::to_string(*stored_version);
    m += batch_version == 1 ? "; version 1 creates an execution, and this one exists)"
                            : "; another engine may have advanced the execution)";
  } else {
    m += " (no checkpoint of that name is stored; version 1 creates one)";
  }
  return failed_precondition_error(std::move(m));
}

// The smallest string greater than every string that starts with `prefix`, or nullopt when
// there is none (`prefix` is empty or all 0xFF bytes). Turns a prefix filter into a range.
inline std::optional<std::string> prefix_successor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty()) {
    unsigned char last = static_cast<unsigned char>(s.back());
    if (last != 0xFF) {
      s.back() = static_cast<char>(last + 1);
      return s;
    }
    s.pop_back();
  }
  return std::nullopt;
}

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_CHECKPOINT_BATCH_CHECK_H_
