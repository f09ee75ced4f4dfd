// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#include "stepwise/status.h"

#include <gtest/gtest.h>

namespace stepwise {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.to_string(), "OK");
}

TEST(StatusTest, ErrorFormatsCodeAndMessage) {
  Status s = not_found_error("no execution named \"x\"");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.to_string(), "NOT_FOUND: no execution named \"x\"");
}

TEST(ResultTest, HoldsValueOrStatus) {
  Result<int> good = 42;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 42);
  Result<int> bad = invalid_argument_error("negative");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

Status fails_then_never_reached(bool& reached) {
  STEPWISE_RETURN_IF_ERROR(internal_error("boom"));
  reached = true;
  return {};
}

TEST(StatusTest, ReturnIfErrorPropagates) {
  bool reached = false;
  EXPECT_EQ(fails_then_never_reached(reached).code(), StatusCode::kInternal);
  EXPECT_FALSE(reached);
}

}  // namespace
}  // namespace stepwise
