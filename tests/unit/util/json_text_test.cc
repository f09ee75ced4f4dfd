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
  auto pick = [&](int n) { return static_cast<int>(random.next_u64() % static_cast<std::uint64_t>(n)); };
  const char* strings[] = {"a", "key", "with space", "\"", "\\", "\n", "\xc3\xa9", ""};
  std::function<json(int)> make = [&](int depth) -> json {
    switch (depth > 3 ? pick(5) : pick(7)) {
      case 0: return json(nullptr);
      case 1: return json(pick(2) == 0);
      case 2: return json(static_cast<std::int64_t>(random.next_u64()) >> pick(60));
      case 3: return json(static_cast<double>(pick(100000)) / 7.0);
      case 4: return json(strings[pick(8)]);
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
