// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// History payloads as `SharedText` (stepwise/history.h): the compact JSON text of a value in
// one allocation, shared by every event that carries it.
#ifndef STEPWISE_SRC_HISTORY_SHARED_TEXT_H_
#define STEPWISE_SRC_HISTORY_SHARED_TEXT_H_

#include <nlohmann/json.hpp>

#include "stepwise/history.h"

namespace stepwise::internal {

// The text of `v` (what `v.dump()` writes) as a SharedText: written into a per-thread buffer
// first, then copied once. Throws what `dump()` throws (invalid UTF-8 in a string).
SharedText shared_json_text(const nlohmann::json& v);

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_HISTORY_SHARED_TEXT_H_
