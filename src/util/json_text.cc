// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#include "util/json_text.h"

#include <array>
#include <charconv>
#include <cstring>
#include <cstdint>

namespace stepwise::internal {
namespace {

using nlohmann::json;

// Bytes that can be written between quotes as they are: printable ASCII other than the quote
// and the backslash. Anything else (escapes, UTF-8 to validate) goes through nlohmann.
constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x80; ++c) t[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return t;
}();

void append_string(std::string& out, const std::string& s) {
  for (unsigned char c : s) {
    if (!kPlain[c]) {
      out += json(s).dump();
      return;
    }
  }
  std::size_t at = out.size();
  out.resize(at + s.size() + 2);
  char* p = out.data() + at;
  *p = '"';
  std::memcpy(p + 1, s.data(), s.size());
  p[s.size() + 1] = '"';
}

template <typename Int>
void append_integer(std::string& out, Int n) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), n);
  out.append(buf, end);
}

}  // namespace

void append_json_text(std::string& out, const json& v) {
  switch (v.type()) {
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, value] : v.get_ref<const json::object_t&>()) {
        if (!first) out += ',';
        first = false;
        append_string(out, key);
        out += ':';
        append_json_text(out, value);
      }
      out += '}';
      return;
    }
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const json& e : v.get_ref<const json::array_t&>()) {
        if (!first) out += ',';
        first = false;
        append_json_text(out, e);
      }
      out += ']';
      return;
    }
    case json::value_t::string: append_string(out, v.get_ref<const std::string&>()); return;
    case json::value_t::boolean: out += v.get<bool>() ? "true" : "false"; return;
    case json::value_t::null: out += "null"; return;
    case json::value_t::number_integer: append_integer(out, v.get<std::int64_t>()); return;
    case json::value_t::number_unsigned: append_integer(out, v.get<std::uint64_t>()); return;
    case json::value_t::number_float:  // nlohmann's shortest round-trip form, "1.0" style
    case json::value_t::binary:
    case json::value_t::discarded: out += v.dump(); return;
  }
}

std::string json_text(const json& v) {
  std::string out;
  if (v.is_structured()) out.reserve(64);
  append_json_text(out, v);
  return out;
}

SharedText shared_json_text(const json& v) {
  thread_local std::string buffer;
  buffer.clear();
  append_json_text(buffer, v);
  SharedText text(buffer);
  if (buffer.capacity() > 64 * 1024) std::string().swap(buffer);  // keep no large buffer
  return text;
}

}  // namespace stepwise::internal
