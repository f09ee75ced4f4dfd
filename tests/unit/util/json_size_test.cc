// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#include "util/json_size.h"

#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

namespace stepwise::internal {
namespace {

using nlohmann::json;

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
