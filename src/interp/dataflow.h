// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The query language of a state as a strategy behind the one pipeline of each state type
// (state_*.cc). A state file decides what its state does and in which order; the steps whose
// fields differ between the two query languages go through `DataFlow`:
//
//   step               JSONPath (ASL-REFERENCE.md 3)             JSONata (section 5)
//   state input        InputPath                                  $states.input as is
//   work input         Parameters (Task, Parallel), Result (Pass) Arguments
//   result → output    Assign, ResultSelector, ResultPath,        Assign and Output over
//                      OutputPath                                 $states.result
//   plain output       Assign, OutputPath (Choice, Wait, Succeed) Assign and Output
//   catch output       Assign, ResultPath over the error output   Assign and Output over
//                                                                 $states.errorOutput
//
// Both feed the same exit (variables, history), Retry and Catch (state_retry_catch.cc). A
// failing step has already failed the state when a method returns false: JSONPath's
// failures are terminal `States.Runtime` (fail_terminal) or the error the path produced;
// JSONata's are `States.QueryEvaluationError` with an EvaluationFailed event, which goes
// through Retry and Catch on Task, Parallel and Map (EngineImpl::query_failed).
#ifndef STEPWISE_SRC_INTERP_DATAFLOW_H_
#define STEPWISE_SRC_INTERP_DATAFLOW_H_

#include <nlohmann/json.hpp>

#include "interp/execution.h"
#include "parse/model.h"

namespace stepwise::internal {

class EngineImpl;

// A state's input after its input step: the input itself (no copy), or a value held here.
struct InputView {
  nlohmann::json holder;
  const nlohmann::json* ptr = nullptr;
  const nlohmann::json& get() const { return *ptr; }
  // Moves the selected value out; `owner` is the document the view may point into.
  nlohmann::json take(nlohmann::json& owner) {
    if (ptr == &owner) return std::move(owner);
    if (ptr == &holder) return std::move(holder);
    return *ptr;
  }
};

// The output and variable assignments a state leaves with.
struct ExitValues {
  nlohmann::json output;
  nlohmann::json assigned;  // an object, or null when nothing is assigned
};

class DataFlow {
 public:
  virtual ~DataFlow() = default;

  // The state's input as its fields see it (JSONPath: after InputPath).
  virtual bool state_input(EngineImpl& e, Frame& f, const State& s, InputView& out) const = 0;
  // Pass: the result (Result, Parameters, or the input).
  virtual bool pass_result(EngineImpl& e, Frame& f, const State& s, InputView& in,
                           nlohmann::json& out) const = 0;
  // Task, Parallel, Map: sets the frame's effective input (`Frame::effective`, or
  // `effective_is_input`), with `$$.Task.Token` in scope for callback tasks.
  virtual bool work_input(EngineImpl& e, Frame& f, const State& s, InputView& in) const = 0;
  // Choice: the matching rule, or null for none; false when a rule failed.
  virtual bool choose(EngineImpl& e, Frame& f, const State& s, const nlohmann::json& in,
                      const ChoiceBranch*& match) const = 0;
  // Choice, Wait, Succeed: the output and assignments from the state input, with `output`
  // and `assign` (the state's, or a Choice rule's).
  virtual bool plain_exit(EngineImpl& e, Frame& f, const State& s, InputView& in,
                          const Boxed<JsonataValue>& output, const AssignSpec& assign,
                          ExitValues& out) const = 0;
  // Pass, Task, Parallel, Map: the output and assignments from the state's result.
  // `raw` is consumed (moved from or overwritten).
  virtual bool result_exit(EngineImpl& e, Frame& f, const State& s, nlohmann::json& raw,
                           ExitValues& out) const = 0;
  // A Catcher that matched: the output and assignments from the error output.
  virtual bool catch_exit(EngineImpl& e, Frame& f, const Catcher& c, nlohmann::json error_output,
                          ExitValues& out) const = 0;
};

// The two strategies (constant-initialized in dataflow_jsonpath.cc, dataflow_jsonata.cc).
extern const DataFlow* const kJsonPathDataFlow;
extern const DataFlow* const kJsonataDataFlow;

// The strategy for the state's query language.
inline const DataFlow& dataflow_for(const State& s) {
  return s.query_language == QueryLanguage::kJSONata ? *kJsonataDataFlow : *kJsonPathDataFlow;
}

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_INTERP_DATAFLOW_H_
