// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#include "util/json_size.h"

#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

namespace stepwise::internal {
namespace {

using nlohmann::json;

TEST(DumpCompactTest, WritesTheSameTextAsDump) {
  const json cases[] = {
      nullptr,
      true,
      false,
      0,
      -1,
      std::numeric_limits<std::int64_t>::min(),
      std::numeric_limits<std::uint64_t>::max(),
      1.5,
      1.0,
      -0.0,
      1e300,
      0.1,
      std::numeric_limits<double>::quiet_NaN(),
      "",
      "plain text",
      "quote \" backslash \\ slash /",
      "tab\tnewline\ncr\rbell\x07 del\x7f",
      "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
      json::object(),
      json::array(),
      json::parse(R"({"b":[1,2.5,{"c":null}],"a":"x","k\"ey":{"\u00e9":[]},"z":[[],{}]})"),
      json::array({json::object({{"n", 1}}), "s", 3u, -4, 5.25, false}),
      json::binary({1, 2, 3}),
  };
  for (const json& v : cases) {
    SCOPED_TRACE(v.dump());
    EXPECT_EQ(dump_compact(v), v.dump());
  }
}

TEST(DumpCompactTest, InvalidUtf8ThrowsLikeDump) {
  json v = {{"k", std::string("bad \xff byte")}};
  EXPECT_THROW(v.dump(), json::type_error);
  EXPECT_THROW(dump_compact(v), json::type_error);
  json key = {{std::string("\xc3"), 1}};
  EXPECT_THROW(dump_compact(key), json::type_error);
}

TEST(JsonSizeTest, ExceedsCountsNestedValuesBeyondTheInlineStack) {
  json wide = json::array();
  for (int i = 0; i < 100; ++i) wide.push_back({{"k", i}});
  std::size_t size = wide.dump().size();
  EXPECT_FALSE(json_size_exceeds(wide, 2 * size));
  EXPECT_TRUE(json_size_exceeds(wide, size / 2));
  EXPECT_FALSE(json_size_exceeds(json("abc"), 5));
  EXPECT_TRUE(json_size_exceeds(json("abcd"), 5));
}

}  // namespace
}  // namespace stepwise::internal
