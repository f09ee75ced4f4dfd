// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Payload depth and size checks without recursion: an explicit stack of (value, depth) pairs
// for built values, a bracket count for text.
#include "util/json_limits.h"

#include <cstdint>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

namespace stepwise::internal {

namespace {

using nlohmann::json;

struct Pending {
  const json* value;
  std::size_t depth;  // of `value` itself when it is an array or object
};

// The walk's pending containers: inline up to a few dozen (typical payloads), then on the heap.
class PendingStack {
 public:
  bool empty() const { return inline_count_ == 0 && spilled_.empty(); }
  void push(const json* v, std::size_t depth) {
    if (inline_count_ < kInline) {
      inline_[inline_count_++] = {v, depth};
    } else {
      spilled_.push_back({v, depth});
    }
  }
  Pending pop() {
    if (!spilled_.empty()) {
      Pending p = spilled_.back();
      spilled_.pop_back();
      return p;
    }
    return inline_[--inline_count_];
  }

 private:
  static constexpr std::size_t kInline = 32;
  Pending inline_[kInline];
  std::size_t inline_count_ = 0;
  std::vector<Pending> spilled_;
};

std::size_t scalar_size(const json& v) {
  switch (v.type()) {
    case json::value_t::string:
      return v.get_ref<const std::string&>().size() + 2;
    case json::value_t::number_float:
      return 8;
    default:
      return 4;
  }
}

std::size_t effective(std::size_t limit) { return limit == 0 ? SIZE_MAX : limit; }

}  // namespace

PayloadCheck check_payload(const json& root, const PayloadLimits& limits) {
  const std::size_t max_bytes = effective(limits.max_bytes);
  const std::size_t max_depth = effective(limits.max_depth);
  if (!root.is_structured()) {
    return scalar_size(root) > max_bytes ? PayloadCheck::kTooLarge : PayloadCheck::kOk;
  }
  std::size_t total = 0;
  PendingStack stack;
  stack.push(&root, 1);
  while (!stack.empty()) {
    auto [v, depth] = stack.pop();
    if (depth > max_depth) return PayloadCheck::kTooDeep;
    // The same estimate as json_size_exceeds: brackets, commas, quoted keys and colons.
    total += 2 + (v->empty() ? 0 : v->size() - 1);
    // The containers are walked directly (nlohmann's iterators cost a third of the walk).
    if (v->is_object()) {
      for (const auto& [key, value] : v->get_ref<const json::object_t&>()) {
        total += key.size() + 3;
        if (value.is_structured()) {
          stack.push(&value, depth + 1);
        } else {
          total += scalar_size(value);
        }
      }
    } else {
      for (const json& e : v->get_ref<const json::array_t&>()) {
        if (e.is_structured()) {
          stack.push(&e, depth + 1);
        } else {
          total += scalar_size(e);
        }
      }
    }
    if (total > max_bytes) return PayloadCheck::kTooLarge;
  }
  return PayloadCheck::kOk;
}

bool json_depth_exceeds(const json& v, std::size_t max_depth) {
  if (!v.is_structured()) return false;
  if (max_depth == 0) return false;
  PendingStack stack;
  stack.push(&v, 1);
  while (!stack.empty()) {
    auto [value, depth] = stack.pop();
    if (depth > max_depth) return true;
    if (value->is_object()) {
      for (auto it = value->begin(); it != value->end(); ++it) {
        if (it.value().is_structured()) stack.push(&it.value(), depth + 1);
      }
    } else {
      for (const json& e : *value) {
        if (e.is_structured()) stack.push(&e, depth + 1);
      }
    }
  }
  return false;
}

std::optional<std::size_t> text_depth_exceeds(std::string_view text, std::size_t max_depth) {
  if (max_depth == 0) return std::nullopt;
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

Result<json> parse_json_limited(std::string_view text, std::size_t max_depth) {
  if (std::optional<std::size_t> at = text_depth_exceeds(text, max_depth)) {
    return invalid_argument_error(
        fmt::format("JSON nested deeper than {} levels at byte {}", max_depth, *at));
  }
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    return invalid_argument_error(e.what());
  }
}

json parse_json_checked(std::string_view text, std::size_t max_depth) {
  if (std::optional<std::size_t> at = text_depth_exceeds(text, max_depth)) {
    throw std::length_error(
        fmt::format("JSON nested deeper than {} levels at byte {}", max_depth, *at));
  }
  return json::parse(text);
}

std::size_t record_depth_limit(std::size_t max_payload_depth) {
  constexpr std::size_t kRecordLevels = 64;
  return max_payload_depth == 0 ? 0 : max_payload_depth + kRecordLevels;
}

Status check_payloads_depth(
    std::initializer_list<std::pair<std::string_view, const json*>> payloads,
    std::size_t max_depth) {
  for (const auto& [name, value] : payloads) {
    if (value != nullptr && json_depth_exceeds(*value, max_depth)) {
      return invalid_argument_error(depth_limit_cause(name, max_depth));
    }
  }
  return {};
}

std::string depth_limit_cause(std::string_view what, std::size_t max_depth) {
  return fmt::format("{} is nested deeper than the maximum of {} levels.", what, max_depth);
}

std::optional<std::string> result_limit_cause(const json& v, const PayloadLimits& limits,
                                              std::string_view who) {
  switch (check_payload(v, limits)) {
    case PayloadCheck::kOk:
      return std::nullopt;
    case PayloadCheck::kTooLarge:
      return fmt::format(
          "The state/task '{}' returned a result with a size exceeding the "
          "maximum number of bytes service limit.",
          who);
    case PayloadCheck::kTooDeep:
      return fmt::format(
          "The state/task '{}' returned a result with a nesting depth exceeding "
          "the maximum of {} levels.",
          who, limits.max_depth);
  }
  return std::nullopt;
}

}  // namespace stepwise::internal
