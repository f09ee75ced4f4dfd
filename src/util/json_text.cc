// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#include "util/json_text.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/utf8.h"

namespace stepwise::internal {
namespace {

using nlohmann::json;

// What a byte needs inside a JSON string, as dump() writes it: kAsIs (printable ASCII),
// kShort (a two-character escape), kControl (\u00XX), kUtf8 (the lead of a multi-byte
// sequence to validate) or kBad (never valid in UTF-8).
enum ByteClass : std::uint8_t { kAsIs, kShort, kControl, kUtf8, kBad };

constexpr std::array<std::uint8_t, 256> kClass = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] = kControl;
  for (char c : {'"', '\\', '\b', '\f', '\n', '\r', '\t'}) {
    t[static_cast<unsigned char>(c)] = kShort;
  }
  for (int c = 0x80; c < 0x100; ++c) t[static_cast<std::size_t>(c)] = kBad;
  for (int c = 0xC2; c <= 0xF4; ++c) t[static_cast<std::size_t>(c)] = kUtf8;
  return t;
}();

// Writes into a std::string through a raw pointer: capacity is ensured once per piece, not
// per character (std::string::push_back is an out-of-line call in libstdc++). The string's
// size serves as the capacity (growing it zero-fills the new part, so it is grown by
// doubling); `trim` cuts it to what was written at the end, otherwise the caller reads
// `length()` bytes and the string keeps its size for the next use.
class Writer {
 public:
  Writer(std::string& out, std::size_t start, bool trim) : out_(out), len_(start), trim_(trim) {}
  explicit Writer(std::string& out) : Writer(out, out.size(), true) {}
  ~Writer() {
    if (trim_) out_.resize(len_);
  }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Room for `n` more bytes; returns where they go. Commit them with `advance`.
  char* room(std::size_t n) {
    if (len_ + n > out_.size()) [[unlikely]]
      grow(n);
    return out_.data() + len_;
  }
  void advance(std::size_t n) { len_ += n; }
  void put(char c) {
    *room(1) = c;
    ++len_;
  }
  void put(const char* s, std::size_t n) {
    std::memcpy(room(n), s, n);
    len_ += n;
  }
  std::size_t length() const { return len_; }

 private:
  [[gnu::noinline]] void grow(std::size_t n) {
    out_.resize(std::max(out_.size() * 2, len_ + n + 64));
  }

  std::string& out_;
  std::size_t len_;
  bool trim_;
};

void write_string(Writer& w, const std::string& s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  // At most 6 output bytes per input byte (\u00XX).
  char* o = w.room(s.size() * 6 + 2);
  char* const start = o;
  *o++ = '"';
  while (p < end) {
    // Printable ASCII (nearly every byte of keys and most values) before the switch: a
    // well-predicted branch instead of an indirect jump per byte.
    if (kClass[*p] == kAsIs) [[likely]] {
      *o++ = static_cast<char>(*p++);
      continue;
    }
    const unsigned char c = *p;
    switch (kClass[c]) {
      case kAsIs:
        *o++ = static_cast<char>(c);
        ++p;
        break;
      case kShort: {
        *o++ = '\\';
        switch (c) {
          case '"':
            *o++ = '"';
            break;
          case '\\':
            *o++ = '\\';
            break;
          case '\b':
            *o++ = 'b';
            break;
          case '\f':
            *o++ = 'f';
            break;
          case '\n':
            *o++ = 'n';
            break;
          case '\r':
            *o++ = 'r';
            break;
          default:
            *o++ = 't';
            break;
        }
        ++p;
        break;
      }
      case kControl: {
        static constexpr char kHex[] = "0123456789abcdef";
        std::memcpy(o, "\\u00", 4);
        o[4] = kHex[c >> 4];
        o[5] = kHex[c & 0xF];
        o += 6;
        ++p;
        break;
      }
      case kUtf8: {
        if (std::size_t n = utf8::well_formed_length(p, end)) {
          std::memcpy(o, p, n);
          o += n;
          p += n;
          break;
        }
        [[fallthrough]];
      }
      default: {
        // Not well-formed UTF-8: dump() throws its type_error 316, which callers see
        // unchanged. Should it accept the string after all, its text is what we write.
        std::string text = json(s).dump();
        w.put(text.data(), text.size());
        return;
      }
    }
  }
  *o++ = '"';
  w.advance(static_cast<std::size_t>(o - start));
}

template <typename Int>
void write_integer(Writer& w, Int n) {
  char* o = w.room(24);
  auto [end, ec] = std::to_chars(o, o + 24, n);
  w.advance(static_cast<std::size_t>(end - o));
}

void write_value(Writer& w, const json& v) {
  switch (v.type()) {
    case json::value_t::object: {
      w.put('{');
      bool first = true;
      for (const auto& [key, value] : v.get_ref<const json::object_t&>()) {
        if (!first) w.put(',');
        first = false;
        write_string(w, key);
        w.put(':');
        write_value(w, value);
      }
      w.put('}');
      return;
    }
    case json::value_t::array: {
      w.put('[');
      bool first = true;
      for (const json& e : v.get_ref<const json::array_t&>()) {
        if (!first) w.put(',');
        first = false;
        write_value(w, e);
      }
      w.put(']');
      return;
    }
    case json::value_t::string:
      write_string(w, v.get_ref<const std::string&>());
      return;
    case json::value_t::boolean:
      if (v.get<bool>()) {
        w.put("true", 4);
      } else {
        w.put("false", 5);
      }
      return;
    case json::value_t::null:
      w.put("null", 4);
      return;
    case json::value_t::number_integer:
      write_integer(w, v.get<std::int64_t>());
      return;
    case json::value_t::number_unsigned:
      write_integer(w, v.get<std::uint64_t>());
      return;
    case json::value_t::number_float:  // nlohmann's shortest round-trip form, "1.0" style
    case json::value_t::binary:
    case json::value_t::discarded: {
      std::string text = v.dump();
      w.put(text.data(), text.size());
      return;
    }
  }
}

}  // namespace

void append_json_text(std::string& out, const json& v) {
  Writer w(out);
  write_value(w, v);
}

std::string_view json_text_view(const json& v) {
  thread_local std::string buffer;
  if (buffer.size() > 64 * 1024) std::string().swap(buffer);  // keep no large buffer
  Writer w(buffer, 0, /*trim=*/false);
  write_value(w, v);
  return {buffer.data(), w.length()};
}

std::string json_text(const json& v) {
  std::string out;
  if (v.is_structured()) out.reserve(64);
  append_json_text(out, v);
  return out;
}

}  // namespace stepwise::internal
