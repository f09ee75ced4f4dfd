// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#include "stepwise/testing/scripted_executor.h"

#include <algorithm>
#include <utility>

namespace stepwise::testing {

ScriptedExecutor& ScriptedExecutor::script(const std::string& key, std::vector<Step> steps) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& s = scripts_[key];
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
    std::lock_guard<std::mutex> lock(mu_);
    Call call;
    call.resource = std::string(request.resource);
    call.state_name = std::string(request.state_name);
    call.input = input;
    call.attempt = request.attempt;
    call.task_token = std::string(request.task_token);
    call.at = clock_ ? clock_->now() : 0;
    call.deadline = request.deadline;
    calls_.push_back(std::move(call));
    auto it = scripts_.find(request.state_name);
    if (it == scripts_.end()) it = scripts_.find(request.resource);
    if (it != scripts_.end()) {
      std::size_t& i = next_[it->first];
      if (i < it->second.size()) step = it->second[i++];
    }
    if (step.kind == Step::Kind::kNever) {
      pending_.push_back(completion);
      return;
    }
    if (step.delay_seconds > 0 && clock_) {
      delayed_.push_back(
          {clock_->now() + step.delay_seconds * 1000000000LL, completion, step, std::move(input)});
      return;
    }
  }
  complete(step, completion, input);
}

void ScriptedExecutor::cancel(std::string_view task_token) {
  std::lock_guard<std::mutex> lock(mu_);
  cancelled_.emplace_back(task_token);
}

std::vector<ScriptedExecutor::Call> ScriptedExecutor::calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}

std::vector<ScriptedExecutor::Call> ScriptedExecutor::calls_to(std::string_view key) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Call> out;
  for (const Call& c : calls_) {
    if (c.state_name == key || c.resource == key) out.push_back(c);
  }
  return out;
}

std::vector<std::string> ScriptedExecutor::cancelled() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cancelled_;
}

std::vector<TaskCompletion> ScriptedExecutor::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pending_;
}

std::optional<std::int64_t> ScriptedExecutor::next_due() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<std::int64_t> out;
  for (const Delayed& d : delayed_) {
    if (!out || d.due < *out) out = d.due;
  }
  return out;
}

std::size_t ScriptedExecutor::deliver_due(std::int64_t now) {
  std::vector<Delayed> due;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto split = std::stable_partition(delayed_.begin(), delayed_.end(),
                                       [&](const Delayed& d) { return d.due > now; });
    for (auto it = split; it != delayed_.end(); ++it) due.push_back(std::move(*it));
    delayed_.erase(split, delayed_.end());
  }
  for (const Delayed& d : due) complete(d.step, d.completion, d.input);
  return due.size();
}

}  // namespace stepwise::testing
