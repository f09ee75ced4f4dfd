// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Iterative JSON size estimate with early exit.
#include "util/json_size.h"

#include <vector>

namespace stepwise::internal {

bool json_size_exceeds(const nlohmann::json& root, std::size_t limit) {
  std::size_t total = 0;
  std::vector<const nlohmann::json*> stack{&root};
  while (!stack.empty()) {
    const nlohmann::json* v = stack.back();
    stack.pop_back();
    switch (v->type()) {
      case nlohmann::json::value_t::object:
        total += 2 + (v->empty() ? 0 : v->size() - 1);
        for (auto it = v->begin(); it != v->end(); ++it) {
          total += it.key().size() + 3;
          stack.push_back(&it.value());
        }
        break;
      case nlohmann::json::value_t::array:
        total += 2 + (v->empty() ? 0 : v->size() - 1);
        for (const auto& e : *v) stack.push_back(&e);
        break;
      case nlohmann::json::value_t::string:
        total += v->get_ref<const std::string&>().size() + 2;
        break;
      case nlohmann::json::value_t::number_float: total += 8; break;
      case nlohmann::json::value_t::number_integer:
      case nlohmann::json::value_t::number_unsigned: total += 4; break;
      default: total += 4; break;
    }
    if (total > limit) return true;
  }
  return false;
}

}  // namespace stepwise::internal
