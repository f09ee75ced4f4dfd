// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#include "support/engine_support.h"

#include <utility>

#include <gtest/gtest.h>

namespace stepwise::testing_support {

std::shared_ptr<const StateMachine> compile(std::string_view definition) {
  ParseResult r = parse_state_machine(definition);
  if (!r.ok()) {
    std::string text;
    for (const Diagnostic& d : r.diagnostics()) text += d.to_string() + "\n";
    ADD_FAILURE() << "definition does not compile:\n" << text << definition;
  }
  return r.machine();
}

std::vector<std::string> event_types(const std::vector<HistoryEvent>& events) {
  std::vector<std::string> out;
  out.reserve(events.size());
  for (const HistoryEvent& e : events) out.emplace_back(e.type);
  return out;
}

ScriptedExecutor& ScriptedExecutor::script(const std::string& resource, std::vector<Step> steps) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& s = scripts_[resource];
  for (Step& step : steps) s.push_back(std::move(step));
  return *this;
}

ScriptedExecutor& ScriptedExecutor::fail_then_succeed(const std::string& resource, int n,
                                                      const std::string& error,
                                                      const std::string& cause,
                                                      nlohmann::json output) {
  std::vector<Step> steps;
  for (int i = 0; i < n; ++i) steps.push_back(fail(error, cause));
  steps.push_back(succeed(std::move(output)));
  return script(resource, std::move(steps));
}

void ScriptedExecutor::start(const TaskRequest& request, TaskCompletion completion) {
  Step step;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Call call;
    call.resource = std::string(request.resource);
    call.state_name = std::string(request.state_name);
    call.input = request.input != nullptr ? *request.input : nlohmann::json();
    call.attempt = request.attempt;
    call.task_token = std::string(request.task_token);
    call.at = clock_ ? clock_->now() : 0;
    call.deadline = request.deadline;
    calls_.push_back(std::move(call));
    auto it = scripts_.find(request.resource);
    if (it != scripts_.end()) {
      std::size_t& i = next_[it->first];
      if (i < it->second.size()) step = it->second[i++];
    }
    if (step.kind == Step::Kind::kNever) {
      pending_.push_back(completion);
      return;
    }
  }
  switch (step.kind) {
    case Step::Kind::kSucceed: completion.succeed(step.output); break;
    case Step::Kind::kFail: completion.fail(step.error, step.cause); break;
    case Step::Kind::kEcho:
      completion.succeed(request.input != nullptr ? *request.input : nlohmann::json());
      break;
    case Step::Kind::kNever: break;
  }
}

void ScriptedExecutor::cancel(std::string_view task_token) {
  std::lock_guard<std::mutex> lock(mu_);
  cancelled_.emplace_back(task_token);
}

std::vector<ScriptedExecutor::Call> ScriptedExecutor::calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}
std::vector<std::string> ScriptedExecutor::cancelled() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cancelled_;
}
std::vector<TaskCompletion> ScriptedExecutor::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pending_;
}

}  // namespace stepwise::testing_support
