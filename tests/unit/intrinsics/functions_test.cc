// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Tests for the intrinsic function table (src/intrinsics/functions.cc).
#include "intrinsics/intrinsics.h"

#include <gtest/gtest.h>

namespace stepwise::internal {
namespace {

TEST(IntrinsicFunctionsTest, Placeholder) {
  EXPECT_TRUE(IntrinsicCall::parse("States.UUID()").ok());
}

}  // namespace
}  // namespace stepwise::internal
