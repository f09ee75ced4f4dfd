// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `shared_json_text`: JSON text into a reused per-thread buffer, then one SharedText.
#include "history/shared_text.h"

#include <string>

#include "util/json_text.h"

namespace stepwise::internal {

SharedText shared_json_text(const nlohmann::json& v) {
  thread_local std::string buffer;
  buffer.clear();
  append_json_text(buffer, v);
  SharedText text(buffer);
  if (buffer.capacity() > 64 * 1024) std::string().swap(buffer);  // keep no large buffer
  return text;
}

}  // namespace stepwise::internal
