// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// UTF-8, once for the whole library. Two strengths of checking, each named for what it does:
// the *structural* helpers (`sequence_length`, `count_code_points`, `next_code_point`,
// `decode`) look only at the byte patterns (a lead byte 0xxxxxxx, 110xxxxx, 1110xxxx or
// 11110xxx, then continuation bytes 10xxxxxx) and accept overlong forms and surrogates;
// `well_formed_length` and `is_valid` follow Unicode's Table 3-7 exactly (no overlong forms,
// no surrogates, nothing above U+10FFFF), which is what nlohmann::json accepts when it writes
// text. Strings that came through the JSON parser are valid, so both agree on them; they
// differ only on bytes from elsewhere (decoded Base64, percent-decoding), and each caller
// names the one it needs. The small functions are inline: they run on hot paths (JSON text,
// string lengths) and in the tools library, which links only the public API.
#ifndef STEPWISE_SRC_UTIL_UTF8_H_
#define STEPWISE_SRC_UTIL_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace stepwise::internal::utf8 {

// True for a continuation byte (10xxxxxx).
constexpr bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// The length of the sequence that lead byte `c` starts, from its bit pattern: 1 to 4, or 0
// for a continuation byte and for 0xF8-0xFF. Structural: 0xC0 (overlong) gives 2.
constexpr std::size_t sequence_length(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 0;
}

// The number of code points in `s`: the bytes that are not continuation bytes. Exact for
// valid UTF-8; in other input each stray lead byte counts as one and stray continuation
// bytes count as nothing.
inline std::size_t count_code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += !is_continuation(static_cast<unsigned char>(c));
  return n;
}

// Where the code point that starts at byte `i` ends: the first byte after `i` that is not a
// continuation byte, or `s.size()`. REQUIRES: i < s.size().
inline std::size_t next_code_point(std::string_view s, std::size_t i) {
  std::size_t j = i + 1;
  while (j < s.size() && is_continuation(static_cast<unsigned char>(s[j]))) ++j;
  return j;
}

// The byte offset of code point number `index` (counted as `count_code_points` counts), or
// `s.size()` when `s` has no more code points than `index`.
inline std::size_t code_point_offset(std::string_view s, std::size_t index) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!is_continuation(static_cast<unsigned char>(s[i]))) {
      if (n == index) return i;
      ++n;
    }
  }
  return s.size();
}

// `s` cut into its code points (each a lead byte and the continuation bytes after it; leading
// continuation bytes form a piece of their own).
std::vector<std::string_view> split_code_points(std::string_view s);

// The length of the well-formed sequence that starts at `p` (Unicode Table 3-7), or 0 when
// the bytes there are not one (bad lead byte, overlong form, surrogate, above U+10FFFF, or
// cut short by `end`). REQUIRES: p < end.
inline std::size_t well_formed_length(const unsigned char* p, const unsigned char* end) {
  const unsigned char b0 = p[0];
  if (b0 < 0x80) return 1;
  if (b0 < 0xC2 || b0 > 0xF4) return 0;
  const std::size_t n = b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4;
  if (static_cast<std::size_t>(end - p) < n) return 0;
  unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
  if (b0 == 0xE0) lo = 0xA0;
  if (b0 == 0xED) hi = 0x9F;
  if (b0 == 0xF0) lo = 0x90;
  if (b0 == 0xF4) hi = 0x8F;
  if (p[1] < lo || p[1] > hi) return 0;
  for (std::size_t i = 2; i < n; ++i) {
    if (!is_continuation(p[i])) return 0;
  }
  return n;
}

// True when all of `s` is well-formed UTF-8 (Table 3-7).
bool is_valid(std::string_view s);

// Appends the encoding of `cp`, by bit pattern alone: a surrogate is written as its three
// bytes (not valid UTF-8; callers that must produce valid text check first).
// REQUIRES: cp <= 0x1FFFFF.
void append(std::string& out, char32_t cp);

// Decodes the code point at byte `i` and moves `i` past it (by the length its lead byte
// gives, possibly past the end of `s`). Structural: overlong forms and surrogates decode to
// their value; the bytes after the lead are taken as continuation bytes without checking; a
// sequence cut short by the end of `s` decodes from the bytes present; a byte that cannot
// lead a sequence (a continuation byte, 0xF8-0xFF) is taken as a four-byte lead of its low
// three bits. REQUIRES: i < s.size().
char32_t decode(std::string_view s, std::size_t& i);

// `s` as code points (`decode` applied until the end), and back (`append` on each).
std::u32string to_u32(std::string_view s);
std::string from_u32(std::u32string_view s);

}  // namespace stepwise::internal::utf8

#endif  // STEPWISE_SRC_UTIL_UTF8_H_
