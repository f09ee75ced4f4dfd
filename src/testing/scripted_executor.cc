// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#include "stepwise/testing/scripted_executor.h"

#include <algorithm>
#include <map>
#include <utility>

#include "util/thread_annotations.h"

namespace stepwise::testing {

using internal::MutexLock;

struct ScriptedExecutor::Book {
  struct Delayed {
    std::int64_t due;
    TaskCompletion completion;
    Step step;
    nlohmann::json input;
  };

  mutable internal::Mutex mu;
  std::map<std::string, std::vector<Step>, std::less<>> scripts GUARDED_BY(mu);
  std::map<std::string, std::size_t, std::less<>> next GUARDED_BY(mu);  // next step per script
  std::vector<Call> calls GUARDED_BY(mu);
  std::vector<std::string> cancelled GUARDED_BY(mu);
  std::vector<TaskCompletion> pending GUARDED_BY(mu);  // scripted `never()`
  std::vector<Delayed> delayed GUARDED_BY(mu);         // scripted `after(...)`

  // The step for this attempt of `request` (echo when its script is exhausted or absent).
  Step next_step(const TaskRequest& request) REQUIRES(mu) {
    auto it = scripts.find(request.state_name);
    if (it == scripts.end()) it = scripts.find(request.resource);
    if (it == scripts.end()) return Step();
    std::size_t& i = next[it->first];
    return i < it->second.size() ? it->second[i++] : Step();
  }
};

ScriptedExecutor::ScriptedExecutor(std::shared_ptr<Clock> clock)
    : clock_(std::move(clock)), book_(std::make_unique<Book>()) {}

ScriptedExecutor::~ScriptedExecutor() = default;

ScriptedExecutor& ScriptedExecutor::script(const std::string& key, std::vector<Step> steps) {
  MutexLock lock(book_->mu);
  auto& s = book_->scripts[key];
  for (Step& step : steps) s.push_back(std::move(step));
  return *this;
}

ScriptedExecutor& ScriptedExecutor::fail_then_succeed(const std::string& key, int n,
                                                      const std::string& error,
                                                      const std::string& cause,
                                                      nlohmann::json output) {
  std::vector<Step> steps;
  for (int i = 0; i < n; ++i) steps.push_back(fail(error, cause));
  steps.push_back(succeed(std::move(output)));
  return script(key, std::move(steps));
}

namespace {

void complete(const ScriptedExecutor::Step& step, const TaskCompletion& completion,
              const nlohmann::json& input) {
  using Kind = ScriptedExecutor::Step::Kind;
  switch (step.kind) {
    case Kind::kSucceed:
      completion.succeed(step.output);
      break;
    case Kind::kFail:
      completion.fail(step.error, step.cause);
      break;
    case Kind::kEcho:
      completion.succeed(input);
      break;
    case Kind::kNever:
      break;
  }
}

}  // namespace

void ScriptedExecutor::start(const TaskRequest& request, TaskCompletion completion) {
  Step step;
  nlohmann::json input = request.input != nullptr ? *request.input : nlohmann::json();
  {
    Book& b = *book_;
    MutexLock lock(b.mu);
    Call call;
    call.resource = std::string(request.resource);
    call.state_name = std::string(request.state_name);
    call.input = input;
    call.attempt = request.attempt;
    call.task_token = std::string(request.task_token);
    call.at = clock_ ? clock_->now() : 0;
    call.deadline = request.deadline;
    b.calls.push_back(std::move(call));
    step = b.next_step(request);
    if (step.kind == Step::Kind::kNever) {
      b.pending.push_back(completion);
      return;
    }
    if (step.delay_seconds > 0 && clock_) {
      b.delayed.push_back(
          {clock_->now() + step.delay_seconds * 1000000000LL, completion, step, std::move(input)});
      return;
    }
  }
  complete(step, completion, input);
}

void ScriptedExecutor::cancel(std::string_view task_token) {
  MutexLock lock(book_->mu);
  book_->cancelled.emplace_back(task_token);
}

std::vector<ScriptedExecutor::Call> ScriptedExecutor::calls() const {
  MutexLock lock(book_->mu);
  return book_->calls;
}

std::vector<ScriptedExecutor::Call> ScriptedExecutor::calls_to(std::string_view key) const {
  MutexLock lock(book_->mu);
  std::vector<Call> out;
  for (const Call& c : book_->calls) {
    if (c.state_name == key || c.resource == key) out.push_back(c);
  }
  return out;
}

std::vector<std::string> ScriptedExecutor::cancelled() const {
  MutexLock lock(book_->mu);
  return book_->cancelled;
}

std::vector<TaskCompletion> ScriptedExecutor::pending() const {
  MutexLock lock(book_->mu);
  return book_->pending;
}

std::optional<std::int64_t> ScriptedExecutor::next_due() const {
  MutexLock lock(book_->mu);
  std::optional<std::int64_t> out;
  for (const Book::Delayed& d : book_->delayed) {
    if (!out || d.due < *out) out = d.due;
  }
  return out;
}

std::size_t ScriptedExecutor::deliver_due(std::int64_t now) {
  std::vector<Book::Delayed> due;
  {
    MutexLock lock(book_->mu);
    std::vector<Book::Delayed>& delayed = book_->delayed;
    auto split = std::stable_partition(delayed.begin(), delayed.end(),
                                       [&](const Book::Delayed& d) { return d.due > now; });
    for (auto it = split; it != delayed.end(); ++it) due.push_back(std::move(*it));
    delayed.erase(split, delayed.end());
  }
  for (const Book::Delayed& d : due) complete(d.step, d.completion, d.input);
  return due.size();
}

}  // namespace stepwise::testing
