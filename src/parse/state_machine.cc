// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `StateMachine` accessors over the compiled model.
#include "stepwise/state_machine.h"

#include "parse/asl_parser.h"
#include "parse/model.h"

namespace stepwise {

std::string_view state_type_name(StateType type) {
  switch (type) {
    case StateType::kTask:
      return "Task";
    case StateType::kPass:
      return "Pass";
    case StateType::kChoice:
      return "Choice";
    case StateType::kWait:
      return "Wait";
    case StateType::kSucceed:
      return "Succeed";
    case StateType::kFail:
      return "Fail";
    case StateType::kParallel:
      return "Parallel";
    case StateType::kMap:
      return "Map";
  }
  return "Unknown";
}

StateMachine::StateMachine(std::shared_ptr<const internal::MachineModel> model)
    : model_(std::move(model)) {}

std::size_t StateMachine::state_count() const { return model_->total_states; }
std::string_view StateMachine::start_at() const { return model_->root.start_at_name; }
QueryLanguage StateMachine::query_language() const { return model_->query_language; }
std::optional<std::int64_t> StateMachine::timeout_seconds() const {
  return model_->timeout_seconds;
}
const std::string& StateMachine::fingerprint() const { return model_->fingerprint; }

namespace {
void collect(const internal::Graph& g, int depth, std::vector<StateInfo>& out) {
  for (const internal::State& s : g.states) {
    out.push_back({s.name, s.type, s.query_language, s.pointer, depth});
    for (const auto& b : s.branches) collect(*b, depth + 1, out);
    if (s.processor) collect(*s.processor, depth + 1, out);
  }
}
}  // namespace

std::vector<StateInfo> StateMachine::states() const {
  std::vector<StateInfo> out;
  out.reserve(model_->total_states);
  collect(model_->root, 0, out);
  return out;
}

nlohmann::json StateMachine::to_json() const { return internal::serialize_machine(*model_); }

}  // namespace stepwise
