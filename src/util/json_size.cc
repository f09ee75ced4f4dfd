// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Iterative JSON size estimate with early exit.
#include "util/json_size.h"

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace stepwise::internal {

namespace {

// The walk's pending values: inline up to a few dozen (typical payloads), then on the heap. The
// order of the walk does not change the total.
class PendingValues {
 public:
  bool empty() const { return inline_count_ == 0 && spilled_.empty(); }
  void push(const nlohmann::json* v) {
    if (inline_count_ < kInline) {
      inline_[inline_count_++] = v;
    } else {
      spilled_.push_back(v);
    }
  }
  const nlohmann::json* pop() {
    if (!spilled_.empty()) {
      const nlohmann::json* v = spilled_.back();
      spilled_.pop_back();
      return v;
    }
    return inline_[--inline_count_];
  }

 private:
  static constexpr std::size_t kInline = 32;
  const nlohmann::json* inline_[kInline];
  std::size_t inline_count_ = 0;
  std::vector<const nlohmann::json*> spilled_;
};

}  // namespace

bool json_size_exceeds(const nlohmann::json& root, std::size_t limit) {
  std::size_t total = 0;
  PendingValues stack;
  stack.push(&root);
  while (!stack.empty()) {
    const nlohmann::json* v = stack.pop();
    switch (v->type()) {
      case nlohmann::json::value_t::object:
        total += 2 + (v->empty() ? 0 : v->size() - 1);
        for (auto it = v->begin(); it != v->end(); ++it) {
          total += it.key().size() + 3;
          stack.push(&it.value());
        }
        break;
      case nlohmann::json::value_t::array:
        total += 2 + (v->empty() ? 0 : v->size() - 1);
        for (const auto& e : *v) stack.push(&e);
        break;
      case nlohmann::json::value_t::string:
        total += v->get_ref<const std::string&>().size() + 2;
        break;
      case nlohmann::json::value_t::number_float:
        total += 8;
        break;
      case nlohmann::json::value_t::number_integer:
      case nlohmann::json::value_t::number_unsigned:
        total += 4;
        break;
      default:
        total += 4;
        break;
    }
    if (total > limit) return true;
  }
  return false;
}

}  // namespace stepwise::internal
