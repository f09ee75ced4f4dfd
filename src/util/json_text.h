// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Compact JSON text of a value, byte for byte what `nlohmann::json::dump()` writes, without
// its per-call costs (a locale query and a heap-allocated output adapter) and with plain
// strings copied in one go. The engine serializes every state's output for the history, so
// this is on the hot path.
#ifndef STEPWISE_SRC_UTIL_JSON_TEXT_H_
#define STEPWISE_SRC_UTIL_JSON_TEXT_H_

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace stepwise::internal {

// Appends the text of `v` to `out`. Throws what `dump()` throws (invalid UTF-8 in a string).
void append_json_text(std::string& out, const nlohmann::json& v);

// The text of `v` in a buffer of this thread that keeps its size between calls (so that the
// text is written without growing it); valid until the next call on this thread.
std::string_view json_text_view(const nlohmann::json& v);

// The text of `v`: `v.dump()`.
std::string json_text(const nlohmann::json& v);

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_UTIL_JSON_TEXT_H_
