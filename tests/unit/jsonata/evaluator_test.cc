// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Unit tests for the JSONata evaluator through the public API.
#include <gtest/gtest.h>

#include "stepwise/jsonata.h"

namespace stepwise::jsonata {
namespace {

TEST(JsonataEvaluator, Arithmetic) {
  auto c = Expression::compile("1 + 2");
  ASSERT_TRUE(c.ok());
  Outcome o = c.expression().evaluate(static_cast<const nlohmann::json*>(nullptr));
  ASSERT_TRUE(o.is_value());
  EXPECT_EQ(o.value(), 3);
}

}  // namespace
}  // namespace stepwise::jsonata
