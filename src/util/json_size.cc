// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Iterative JSON size estimate with early exit, and compact serialization.
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
      case nlohmann::json::value_t::number_float: total += 8; break;
      case nlohmann::json::value_t::number_integer:
      case nlohmann::json::value_t::number_unsigned: total += 4; break;
      default: total += 4; break;
    }
    if (total > limit) return true;
  }
  return false;
}

namespace {

// Printable ASCII other than '"' and '\\': `dump` copies these strings as they are.
bool is_plain(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
  }
  return true;
}

// Writes what `dump()` writes. Containers, integers, booleans, null and plain strings are
// written here; anything else (floats, strings needing escapes or UTF-8 checks, binary) goes
// to nlohmann's own serializer, so the text is the same byte for byte and invalid UTF-8
// throws the same exception.
class CompactWriter {
 public:
  explicit CompactWriter(std::string& out) : out_(out) {}

  void write(const nlohmann::json& v) {
    using Type = nlohmann::json::value_t;
    switch (v.type()) {
      case Type::null: out_.append("null"); return;
      case Type::boolean: out_.append(v.get<bool>() ? "true" : "false"); return;
      case Type::number_integer: append_number(v.get<std::int64_t>()); return;
      case Type::number_unsigned: append_number(v.get<std::uint64_t>()); return;
      case Type::string:
        if (write_plain(v.get_ref<const std::string&>())) return;
        break;
      case Type::object: {
        out_.push_back('{');
        bool first = true;
        for (const auto& [key, value] : v.get_ref<const nlohmann::json::object_t&>()) {
          if (!first) out_.push_back(',');
          first = false;
          if (!write_plain(key)) fallback(nlohmann::json(key));
          out_.push_back(':');
          write(value);
        }
        out_.push_back('}');
        return;
      }
      case Type::array: {
        out_.push_back('[');
        bool first = true;
        for (const nlohmann::json& e : v.get_ref<const nlohmann::json::array_t&>()) {
          if (!first) out_.push_back(',');
          first = false;
          write(e);
        }
        out_.push_back(']');
        return;
      }
      default: break;
    }
    fallback(v);
  }

 private:
  bool write_plain(const std::string& s) {
    if (!is_plain(s)) return false;
    out_.push_back('"');
    out_.append(s);
    out_.push_back('"');
    return true;
  }
  template <typename Int>
  void append_number(Int n) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, n);
    out_.append(buf, r.ptr);
  }
  void fallback(const nlohmann::json& v) {
    if (!serializer_) {
      serializer_.emplace(nlohmann::detail::output_adapter<char, std::string>(out_), ' ',
                          nlohmann::json::error_handler_t::strict);
    }
    serializer_->dump(v, false, false, 0);
  }

  std::string& out_;
  std::optional<nlohmann::detail::serializer<nlohmann::json>> serializer_;
};

}  // namespace

std::string dump_compact(const nlohmann::json& v) {
  std::string out;
  out.reserve(64);
  CompactWriter(out).write(v);
  return out;
}

}  // namespace stepwise::internal
