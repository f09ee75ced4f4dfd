// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Tests for the JSONPath compiler and evaluator (src/path/json_path.cc).
#include "path/json_path.h"

#include <gtest/gtest.h>

namespace stepwise::internal {
namespace {

TEST(JsonPathTest, ParsesRoot) {
  Result<JsonPath> p = JsonPath::parse("$");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->is_root_only());
}

}  // namespace
}  // namespace stepwise::internal
