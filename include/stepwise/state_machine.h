// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `StateMachine`: a loaded, validated and compiled ASL definition. It is created by
// `parse_state_machine` (parser.h), never changes afterwards, and is shared by every execution
// that runs it.
#ifndef STEPWISE_STATE_MACHINE_H_
#define STEPWISE_STATE_MACHINE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/export.h"

namespace stepwise {

namespace internal {
struct MachineModel;
}  // namespace internal

// The eight ASL state types. Values are persisted in checkpoints; do not renumber.
enum class StateType : std::uint8_t {
  kTask = 0,
  kPass = 1,
  kChoice = 2,
  kWait = 3,
  kSucceed = 4,
  kFail = 5,
  kParallel = 6,
  kMap = 7,
};

// The ASL name of `type`, e.g. "Task".
STEPWISE_EXPORT std::string_view state_type_name(StateType type);

// The query language of a state (ASL `QueryLanguage`). Values are persisted; do not renumber.
enum class QueryLanguage : std::uint8_t { kJSONPath = 0, kJSONata = 1 };

// Index of a state inside its scope (the root `States`, a Parallel branch or a Map processor).
using StateId = std::uint32_t;

// A summary of one state, for tools and hosts that inspect a machine.
struct StateInfo {
  std::string name;
  StateType type = StateType::kPass;
  QueryLanguage query_language = QueryLanguage::kJSONPath;
  std::string pointer;  // RFC 6901 pointer of the state in the definition
  int depth = 0;        // 0 for root states, +1 per enclosing Parallel branch or Map processor
};

// A compiled state machine. Create it with `parse_state_machine`.
//
// Immutable after construction; safe to use from any number of threads.
//
//   ParseResult parsed = parse_state_machine(text);
//   std::shared_ptr<const StateMachine> machine = parsed.machine();
//   std::cout << machine->to_json().dump(2);  // the definition, back as ASL JSON
class STEPWISE_EXPORT StateMachine {
 public:
  explicit StateMachine(std::shared_ptr<const internal::MachineModel> model);

  // Number of states, nested ones (Parallel branches, Map processors) included.
  std::size_t state_count() const;
  // The root `StartAt`.
  std::string_view start_at() const;
  // The top-level `QueryLanguage` (JSONPath when absent).
  QueryLanguage query_language() const;
  // The top-level `TimeoutSeconds`, when set.
  std::optional<std::int64_t> timeout_seconds() const;
  // Hex SHA-256 of the definition's canonical JSON. Checkpoints record it, so a resume under
  // another definition can be refused.
  const std::string& fingerprint() const;
  // Every state in definition order, depth-first (a Parallel's branches follow it).
  std::vector<StateInfo> states() const;
  // The definition as ASL JSON, built from the compiled model. Semantically equal to the
  // loaded definition (same fields and values; object key order may differ).
  nlohmann::json to_json() const;

  // The compiled model, for the library's own components. Not part of the stable API.
  const internal::MachineModel& model() const { return *model_; }

 private:
  std::shared_ptr<const internal::MachineModel> model_;
};

}  // namespace stepwise

#endif  // STEPWISE_STATE_MACHINE_H_
