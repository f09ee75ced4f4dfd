// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#include "stepwise/testing/matchers.h"

#include <algorithm>
#include <ostream>
#include <sstream>

namespace stepwise::testing {
namespace {

using ::testing::MatchResultListener;

std::string describe(const ExecutionResult& r) { return r.to_json().dump(); }

class ResultMatcher final : public ::testing::MatcherInterface<const ExecutionResult&> {
 public:
  ResultMatcher(ExecutionStatus status, std::optional<nlohmann::json> output,
                std::optional<std::string> error, std::optional<std::string> cause)
      : status_(status),
        output_(std::move(output)),
        error_(std::move(error)),
        cause_(std::move(cause)) {}

  bool MatchAndExplain(const ExecutionResult& r, MatchResultListener* listener) const override {
    *listener << "the execution ended " << describe(r);
    if (r.status != status_) return false;
    if (output_ && r.output != *output_) return false;
    if (error_ && r.error != *error_) return false;
    if (cause_ && r.cause != *cause_) return false;
    return true;
  }
  void DescribeTo(std::ostream* os) const override {
    *os << execution_status_name(status_);
    if (output_) *os << " with output " << output_->dump();
    if (error_) *os << " with error " << *error_;
    if (cause_) *os << " and cause \"" << *cause_ << "\"";
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "not ";
    DescribeTo(os);
  }

 private:
  ExecutionStatus status_;
  std::optional<nlohmann::json> output_;
  std::optional<std::string> error_, cause_;
};

std::string join(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
  return out + "]";
}

class EnteredMatcher final : public ::testing::MatcherInterface<const History&> {
 public:
  explicit EnteredMatcher(std::vector<std::string> names) : names_(std::move(names)) {}
  bool MatchAndExplain(const History& h, MatchResultListener* listener) const override {
    std::vector<std::string> got = entered_states(h);
    *listener << "the states entered were " << join(got);
    return got == names_;
  }
  void DescribeTo(std::ostream* os) const override { *os << "enters the states " << join(names_); }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "does not enter exactly the states " << join(names_);
  }

 private:
  std::vector<std::string> names_;
};

class EnteredTimesMatcher final : public ::testing::MatcherInterface<const History&> {
 public:
  EnteredTimesMatcher(std::string name, std::size_t times)
      : name_(std::move(name)), times_(times) {}
  bool MatchAndExplain(const History& h, MatchResultListener* listener) const override {
    std::vector<std::string> got = entered_states(h);
    auto n = static_cast<std::size_t>(std::count(got.begin(), got.end(), name_));
    *listener << "it was entered " << n << " time(s)";
    return n == times_;
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "enters the state " << name_ << " " << times_ << " time(s)";
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "does not enter the state " << name_ << " " << times_ << " time(s)";
  }

 private:
  std::string name_;
  std::size_t times_;
};

class HasEventMatcher final : public ::testing::MatcherInterface<const History&> {
 public:
  explicit HasEventMatcher(std::string type) : type_(std::move(type)) {}
  bool MatchAndExplain(const History& h, MatchResultListener* listener) const override {
    *listener << "the event types were " << join(event_types(h));
    return count_events(h, type_) > 0;
  }
  void DescribeTo(std::ostream* os) const override { *os << "has a " << type_ << " event"; }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "has no " << type_ << " event";
  }

 private:
  std::string type_;
};

}  // namespace

::testing::Matcher<const ExecutionResult&> Succeeded() {
  return ::testing::MakeMatcher(
      new ResultMatcher(ExecutionStatus::kSucceeded, std::nullopt, std::nullopt, std::nullopt));
}
::testing::Matcher<const ExecutionResult&> SucceededWith(nlohmann::json output) {
  return ::testing::MakeMatcher(new ResultMatcher(ExecutionStatus::kSucceeded, std::move(output),
                                                  std::nullopt, std::nullopt));
}
::testing::Matcher<const ExecutionResult&> FailedWith(std::string error) {
  return ::testing::MakeMatcher(
      new ResultMatcher(ExecutionStatus::kFailed, std::nullopt, std::move(error), std::nullopt));
}
::testing::Matcher<const ExecutionResult&> FailedWith(std::string error, std::string cause) {
  return ::testing::MakeMatcher(new ResultMatcher(ExecutionStatus::kFailed, std::nullopt,
                                                  std::move(error), std::move(cause)));
}
::testing::Matcher<const ExecutionResult&> HasStatus(ExecutionStatus status) {
  return ::testing::MakeMatcher(
      new ResultMatcher(status, std::nullopt, std::nullopt, std::nullopt));
}
::testing::Matcher<const History&> EnteredStatesList(std::vector<std::string> names) {
  return ::testing::MakeMatcher(new EnteredMatcher(std::move(names)));
}
::testing::Matcher<const History&> StateEnteredTimes(std::string name, std::size_t times) {
  return ::testing::MakeMatcher(new EnteredTimesMatcher(std::move(name), times));
}
::testing::Matcher<const History&> HasEvent(std::string type) {
  return ::testing::MakeMatcher(new HasEventMatcher(std::move(type)));
}

std::vector<std::string> entered_states(const History& history) {
  std::vector<std::string> out;
  for (const HistoryEvent& e : history) {
    if (e.type.ends_with("StateEntered") && e.details.is_object() && e.details.contains("name")) {
      out.push_back(e.details["name"].get<std::string>());
    }
  }
  return out;
}

std::vector<std::string> event_types(const History& history) {
  std::vector<std::string> out;
  out.reserve(history.size());
  for (const HistoryEvent& e : history) out.emplace_back(e.type);
  return out;
}

std::size_t count_events(const History& history, std::string_view type) {
  return static_cast<std::size_t>(std::count_if(
      history.begin(), history.end(), [&](const HistoryEvent& e) { return e.type == type; }));
}

}  // namespace stepwise::testing
