// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Payload size checks (ASL's 256 KiB limit) without serializing: an upper-bound walk of the
// compact JSON size that stops as soon as the limit is passed. Also the compact serialization
// the interpreter records in history events.
#ifndef STEPWISE_SRC_UTIL_JSON_SIZE_H_
#define STEPWISE_SRC_UTIL_JSON_SIZE_H_

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace stepwise::internal {

// True when the compact JSON text of `v` is longer than `limit` bytes. Strings are counted
// without escapes (a slight underestimate for control characters).
bool json_size_exceeds(const nlohmann::json& v, std::size_t limit);

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_UTIL_JSON_SIZE_H_
