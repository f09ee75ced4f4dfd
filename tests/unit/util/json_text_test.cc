// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// json_text writes exactly what nlohmann::json::dump() writes.
#include "util/json_text.h"

#include <filesystem>
#include <functional>
#include <limits>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/corpus.h"
#include "util/random.h"

namespace stepwise::internal {
namespace {

using nlohmann::json;

void expect_same(const json& v) { EXPECT_EQ(json_text(v), v.dump()) << v.dump(); }

TEST(JsonTextTest, ScalarsAsDumpWritesThem) {
  for (const json& v : {json(nullptr), json(true), json(false), json(0), json(-1), json(42),
                        json(std::numeric_limits<std::int64_t>::min()),
                        json(std::numeric_limits<std::int64_t>::max()),
                        json(std::numeric_limits<std::uint64_t>::max()), json(1.5), json(2.0),
                        json(-0.0), json(1e100), json(1.25e-7), json(0.1),
                        json(std::numeric_limits<double>::quiet_NaN()), json("")}) {
    expect_same(v);
  }
}

TEST(JsonTextTest, StringsNeedingEscapesOrUtf8) {
  for (const char* s : {"plain", "quote\"d", "back\\slash", "tab\tnew\nline", "\x01\x1f", "\x7f",
                        "caf\xc3\xa9", "\xf0\x9f\x98\x80 emoji", "/slash/", "\b\f\r"}) {
    expect_same(json(s));
    expect_same(json{{s, s}});
  }
}

TEST(JsonTextTest, InvalidUtf8ThrowsAsDumpDoes) {
  json bad = std::string("\xff\xfe");
  EXPECT_THROW(bad.dump(), json::type_error);
  EXPECT_THROW(json_text(bad), json::type_error);
  EXPECT_THROW(json_text(json{{"k", bad}}), json::type_error);
  json bad_key = {{std::string("\xc3"), 1}};
  EXPECT_THROW(json_text(bad_key), json::type_error);
}

// Every control character, and byte sequences at the edges of well-formed UTF-8 (overlong
// forms, surrogates, above U+10FFFF, truncated, stray continuation bytes), alone and between
// plain text: json_text throws exactly when dump() throws, and otherwise writes the same.
TEST(JsonTextTest, EveryByteSequenceEdgeMatchesDump) {
  auto check = [](const std::string& s) {
    for (const std::string& text : {s, "x" + s + "\"y"}) {
      std::string expected;
      bool dump_threw = false;
      try {
        expected = json(text).dump();
      } catch (const json::type_error&) {
        dump_threw = true;
      }
      if (dump_threw) {
        EXPECT_THROW(json_text(json(text)), json::type_error) << testing::PrintToString(text);
      } else {
        EXPECT_EQ(json_text(json(text)), expected) << testing::PrintToString(text);
      }
    }
  };
  for (int c = 0; c < 0x80; ++c) check(std::string(1, static_cast<char>(c)));
  const unsigned char edges[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
                                 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xF4, 0xF5, 0xFF};
  for (int lead = 0x80; lead < 0x100; ++lead) {
    std::string one(1, static_cast<char>(lead));
    check(one);
    for (unsigned char b1 : edges) check(one + static_cast<char>(b1));
  }
  // Three- and four-byte leads, with each second byte at an edge, then the rest.
  for (unsigned char lead : {0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5}) {
    for (unsigned char b1 : edges) {
      std::string two = {static_cast<char>(lead), static_cast<char>(b1)};
      for (unsigned char b2 : edges) {
        std::string three = two + static_cast<char>(b2);
        check(three);
        for (unsigned char b3 : {0x41, 0x80, 0xBF, 0xC0}) check(three + static_cast<char>(b3));
      }
    }
  }
}

TEST(JsonTextTest, NestedValues) {
  expect_same(json::object());
  expect_same(json::array());
  expect_same(json::parse(R"({"b":[1,{"c":null,"a":[]},"x"],"a":{"z":1.5,"y":{}},"":0})"));
  expect_same(json::binary({1, 2, 3}));
  expect_same(json::array({json::object({{"n", 1}}), "s", 3u, -4, 5.25, false}));
  expect_same(json::parse(R"({"k\"ey":{"\u00e9":[]},"z":[[],{}]})"));
}

TEST(JsonTextTest, SeededRandomDocuments) {
  Random random(20261126);
  auto pick = [&](int n) {
    return static_cast<int>(random.next_u64() % static_cast<std::uint64_t>(n));
  };
  const char* strings[] = {"a", "key", "with space", "\"", "\\", "\n", "\xc3\xa9", ""};
  std::function<json(int)> make = [&](int depth) -> json {
    switch (depth > 3 ? pick(5) : pick(7)) {
      case 0:
        return json(nullptr);
      case 1:
        return json(pick(2) == 0);
      case 2:
        return json(static_cast<std::int64_t>(random.next_u64()) >> pick(60));
      case 3:
        return json(static_cast<double>(pick(100000)) / 7.0);
      case 4:
        return json(strings[pick(8)]);
      case 5: {
        json a = json::array();
        for (int i = pick(5); i > 0; --i) a.push_back(make(depth + 1));
        return a;
      }
      default: {
        json o = json::object();
        for (int i = pick(5); i > 0; --i) o[strings[pick(8)]] = make(depth + 1);
        return o;
      }
    }
  };
  for (int i = 0; i < 2000; ++i) expect_same(make(0));
}

// Every JSON document of the AWS-recorded corpus (inputs, outputs, definitions).
TEST(JsonTextTest, EveryConformanceDocument) {
  auto dir = testing_support::conformance_dir();
  if (!dir || !std::filesystem::is_directory(*dir / "asl")) {
    GTEST_SKIP() << "../shared/conformance/asl is absent; the AWS-recorded corpus is not part "
                    "of this repository";
  }
  int compared = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(*dir / "asl")) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    json v = json::parse(testing_support::read_file(entry.path()), nullptr, false);
    if (v.is_discarded()) continue;
    ASSERT_EQ(json_text(v), v.dump()) << entry.path();
    ++compared;
  }
  EXPECT_GT(compared, 1000);
}

}  // namespace
}  // namespace stepwise::internal
