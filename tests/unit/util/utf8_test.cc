// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The UTF-8 module: counting, splitting, offsets, strict validation (checked against what
// nlohmann::json accepts when it writes text), encoding and structural decoding, each over a
// table of edge cases (overlong forms, surrogates, truncated sequences, four-byte sequences,
// stray continuation bytes).
#include "util/utf8.h"

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace stepwise::internal::utf8 {
namespace {

using std::string_literals::operator""s;

struct CountCase {
  std::string text;
  std::size_t code_points;
};

TEST(Utf8Test, CountsCodePointsAsTheBytesThatAreNotContinuationBytes) {
  const CountCase cases[] = {
      {"", 0},
      {"abc", 3},
      {"caf\xc3\xa9", 4},        // two-byte é
      {"\xe2\x82\xac", 1},       // three-byte €
      {"\xf0\x9f\x98\x80!", 2},  // four-byte 😀
      {"\xed\xa0\x80", 1},       // a surrogate counts as one
      {"\xc0\x80", 1},           // an overlong NUL counts as one
      {"\x80\x80", 0},           // stray continuation bytes count as nothing
      {"\xc3"
       "a",
       2},              // a truncated sequence: its lead counts
      {"\xff\xfe", 2},  // bytes that never occur count as leads
      {"\0x"s, 2},      // NUL is a code point
  };
  for (const CountCase& c : cases) {
    EXPECT_EQ(count_code_points(c.text), c.code_points) << testing::PrintToString(c.text);
  }
}

struct SplitCase {
  std::string text;
  std::vector<std::string> pieces;
};

TEST(Utf8Test, SplitsIntoCodePointsAndKeepsLeadingContinuationBytesTogether) {
  const SplitCase cases[] = {
      {"", {}},
      {"ab", {"a", "b"}},
      {"a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80",
       {"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"}},
      {"\x80\x81z", {"\x80\x81", "z"}},
      {"\xe2\x82", {"\xe2\x82"}},  // truncated at the end
      {"\xc3"
       "a",
       {"\xc3", "a"}},
  };
  for (const SplitCase& c : cases) {
    std::vector<std::string_view> got = split_code_points(c.text);
    EXPECT_EQ(std::vector<std::string>(got.begin(), got.end()), c.pieces)
        << testing::PrintToString(c.text);
  }
}

struct OffsetCase {
  std::string text;
  std::size_t index;
  std::size_t offset;
};

TEST(Utf8Test, FindsTheByteOffsetOfACodePointClampedToTheEnd) {
  const std::string mixed = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z";  // a é € 😀 z
  const OffsetCase cases[] = {
      {mixed, 0, 0},  {mixed, 1, 1},  {mixed, 2, 3},   {mixed, 3, 6},
      {mixed, 4, 10}, {mixed, 5, 11}, {mixed, 99, 11}, {"", 0, 0},
  };
  for (const OffsetCase& c : cases) {
    EXPECT_EQ(code_point_offset(c.text, c.index), c.offset) << c.index;
  }
  EXPECT_EQ(next_code_point(mixed, 0), 1u);
  EXPECT_EQ(next_code_point(mixed, 1), 3u);
  EXPECT_EQ(next_code_point(mixed, 6), 10u);
  EXPECT_EQ(next_code_point("\xe2\x82", 0), 2u);
}

TEST(Utf8Test, SequenceLengthReadsOnlyTheLeadBytesPattern) {
  const std::pair<unsigned char, std::size_t> cases[] = {
      {0x00, 1}, {0x7F, 1}, {0x80, 0}, {0xBF, 0}, {0xC0, 2}, {0xC1, 2}, {0xDF, 2}, {0xE0, 3},
      {0xED, 3}, {0xEF, 3}, {0xF0, 4}, {0xF4, 4}, {0xF7, 4}, {0xF8, 0}, {0xFF, 0},
  };
  for (const auto& [lead, length] : cases) {
    EXPECT_EQ(sequence_length(lead), length) << static_cast<int>(lead);
  }
}

struct ValidCase {
  std::string text;
  bool valid;
};

TEST(Utf8Test, ValidatesByUnicodeTable3Dash7) {
  const ValidCase cases[] = {
      {"", true},
      {"plain ascii", true},
      {"\0"s, true},
      {"\xc2\x80", true},           // U+0080, the first two-byte code point
      {"\xdf\xbf", true},           // U+07FF
      {"\xe0\xa0\x80", true},       // U+0800
      {"\xed\x9f\xbf", true},       // U+D7FF, just below the surrogates
      {"\xee\x80\x80", true},       // U+E000, just above them
      {"\xef\xbf\xbf", true},       // U+FFFF
      {"\xf0\x90\x80\x80", true},   // U+10000
      {"\xf4\x8f\xbf\xbf", true},   // U+10FFFF, the last code point
      {"\xc0\x80", false},          // overlong NUL
      {"\xc1\xbf", false},          // overlong U+007F
      {"\xe0\x9f\xbf", false},      // overlong U+07FF
      {"\xf0\x8f\xbf\xbf", false},  // overlong U+FFFF
      {"\xed\xa0\x80", false},      // U+D800, a high surrogate
      {"\xed\xbf\xbf", false},      // U+DFFF, a low surrogate
      {"\xf4\x90\x80\x80", false},  // U+110000, above the range
      {"\xf5\x80\x80\x80", false},  // lead byte never used
      {"\xff", false},
      {"\x80", false},  // stray continuation byte
      {"a\xbf", false},
      {"\xc3", false},          // truncated two-byte sequence
      {"\xe2\x82", false},      // truncated three-byte sequence
      {"\xf0\x9f\x98", false},  // truncated four-byte sequence
      {"\xe2\x82"
       "a",
       false},  // a non-continuation byte inside a sequence
      {"\xf0\x9f\x98\x80\xf0\x9f", false},
  };
  for (const ValidCase& c : cases) {
    EXPECT_EQ(is_valid(c.text), c.valid) << testing::PrintToString(c.text);
  }
}

// is_valid agrees with what nlohmann::json accepts when writing text, for every lead byte
// followed by every second byte and a plausible rest.
TEST(Utf8Test, ValidationAgreesWithNlohmannJsonOnEveryTwoByteStart) {
  for (int b0 = 0; b0 < 0x100; ++b0) {
    for (int b1 = 0; b1 < 0x100; ++b1) {
      for (const std::string& rest : {""s, "\x80"s, "\x80\x80"s}) {
        std::string text{static_cast<char>(b0), static_cast<char>(b1)};
        text += rest;
        bool dump_accepts = true;
        try {
          (void)nlohmann::json(text).dump();
        } catch (const nlohmann::json::type_error&) {
          dump_accepts = false;
        }
        ASSERT_EQ(is_valid(text), dump_accepts) << testing::PrintToString(text);
      }
    }
  }
}

struct EncodeCase {
  char32_t code_point;
  std::string bytes;
};

TEST(Utf8Test, EncodesEachLengthAndWritesSurrogatesByTheirBitPattern) {
  const EncodeCase cases[] = {
      {0x00, "\0"s},
      {0x41, "A"},
      {0x7F, "\x7f"},
      {0x80, "\xc2\x80"},
      {0xE9, "\xc3\xa9"},
      {0x7FF, "\xdf\xbf"},
      {0x800, "\xe0\xa0\x80"},
      {0x20AC, "\xe2\x82\xac"},
      {0xD800, "\xed\xa0\x80"},
      {0xFFFF, "\xef\xbf\xbf"},
      {0x10000, "\xf0\x90\x80\x80"},
      {0x1F600, "\xf0\x9f\x98\x80"},
      {0x10FFFF, "\xf4\x8f\xbf\xbf"},
  };
  for (const EncodeCase& c : cases) {
    std::string out = "x";
    append(out, c.code_point);
    EXPECT_EQ(out, "x" + c.bytes) << static_cast<std::uint32_t>(c.code_point);
    EXPECT_EQ(to_u32(c.bytes), std::u32string(1, c.code_point));
  }
}

struct DecodeCase {
  std::string text;
  std::u32string code_points;
};

TEST(Utf8Test, DecodesStructurallyIncludingOverlongSurrogateAndTruncatedInput) {
  const DecodeCase cases[] = {
      {"", U""},
      {"a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", U"a\u00e9\u20ac\U0001F600"},
      {"\xc0\x80", std::u32string(1, U'\0')},  // overlong NUL decodes to its value
      {"\xed\xa0\x80", std::u32string(1, char32_t{0xD800})},
      {"\xe2\x82", std::u32string(1, char32_t{0x82 | (0x2 << 6)})},  // truncated: bytes present
      {"\xc3"
       "A",
       std::u32string(1, char32_t{0xC1})},       // the next byte is taken as continuation
      {"\x80", std::u32string(1, char32_t{0})},  // a stray continuation: low three bits
      {"\xff", std::u32string(1, char32_t{7})},
  };
  for (const DecodeCase& c : cases) {
    EXPECT_EQ(to_u32(c.text), c.code_points) << testing::PrintToString(c.text);
  }
  std::size_t i = 0;
  EXPECT_EQ(decode("\xe2\x82", i), char32_t{0x82});
  EXPECT_EQ(i, 3u);  // moved by the lead's length, past the end of the cut sequence
}

TEST(Utf8Test, RoundTripsEveryScalarValueThroughU32) {
  std::u32string all;
  for (char32_t cp = 0; cp <= 0x10FFFF; cp += (cp < 0x800 ? 1 : 37)) {
    if (cp < 0xD800 || cp > 0xDFFF) all.push_back(cp);
  }
  const std::string text = from_u32(all);
  EXPECT_TRUE(is_valid(text));
  EXPECT_EQ(count_code_points(text), all.size());
  EXPECT_EQ(to_u32(text), all);
}

}  // namespace
}  // namespace stepwise::internal::utf8
