// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// gMock matchers for `Status` and `Result<T>`:
//
//   EXPECT_THAT(store->commit(batch), IsOk());
//   EXPECT_THAT(store->load("x"), StatusIs(StatusCode::kNotFound));
//   EXPECT_THAT(s, StatusIs(StatusCode::kFailedPrecondition, HasSubstr("expected 3")));
#ifndef STEPWISE_TESTS_SUPPORT_STATUS_MATCHERS_H_
#define STEPWISE_TESTS_SUPPORT_STATUS_MATCHERS_H_

#include <gmock/gmock.h>

#include "stepwise/status.h"

namespace stepwise::testing_support {

inline Status status_of(const Status& s) { return s; }
template <typename T>
Status status_of(const Result<T>& r) {
  return r.status();
}

MATCHER(IsOk, "is OK") {
  Status s = status_of(arg);
  if (!s.ok()) *result_listener << "which is " << s.to_string();
  return s.ok();
}

MATCHER_P(StatusIs, code, "has status code " + std::string(status_code_name(code))) {
  Status s = status_of(arg);
  *result_listener << "which is " << s.to_string();
  return s.code() == code;
}

MATCHER_P2(StatusIs, code, message_matcher,
           "has status code " + std::string(status_code_name(code)) + " and a message that " +
               ::testing::DescribeMatcher<std::string>(message_matcher)) {
  Status s = status_of(arg);
  *result_listener << "which is " << s.to_string();
  return s.code() == code &&
         ::testing::Matches(::testing::Matcher<std::string>(message_matcher))(s.message());
}

}  // namespace stepwise::testing_support

#endif  // STEPWISE_TESTS_SUPPORT_STATUS_MATCHERS_H_
