// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// How an execution keeps its history events until they are read: one 40-byte `EventRecord`
// per event, its type and details member an index into one static table (`kEventKinds`), its
// details in a compact shape built into AWS's JSON only when the history is read, a listener
// receives the event or a checkpoint writes it (`record_details`). The containers live in an
// `ExecutionHistory`, allocated on an execution's first recorded event.
#ifndef STEPWISE_SRC_INTERP_EVENT_RECORD_H_
#define STEPWISE_SRC_INTERP_EVENT_RECORD_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "history/shared_text.h"
#include "parse/model.h"
#include "stepwise/history.h"
#include "util/block_list.h"

namespace stepwise {
struct EngineOptions;
}

namespace stepwise::internal {

// Every event type the engine records, with its details member: a row of `kEventKinds` each.
// The StateEntered, StateExited rows follow StateType's order (see entered_kind).
enum class EventKind : std::uint8_t {
  kExecutionStarted,
  kExecutionSucceeded,
  kExecutionFailed,
  kExecutionAborted,
  kExecutionTimedOut,
  kExecutionRedriven,
  kTaskStateEntered,
  kPassStateEntered,
  kChoiceStateEntered,
  kWaitStateEntered,
  kSucceedStateEntered,
  kFailStateEntered,
  kParallelStateEntered,
  kMapStateEntered,
  kTaskStateExited,
  kPassStateExited,
  kChoiceStateExited,
  kWaitStateExited,
  kSucceedStateExited,
  kFailStateExited,
  kParallelStateExited,
  kMapStateExited,
  kTaskStateAborted,
  kWaitStateAborted,
  kParallelStateAborted,
  kMapStateAborted,
  kParallelStateStarted,
  kParallelStateSucceeded,
  kParallelStateFailed,
  kMapStateStarted,
  kMapStateSucceeded,
  kMapStateFailed,
  kMapIterationStarted,
  kMapIterationSucceeded,
  kMapIterationFailed,
  kMapIterationAborted,
  kMapRunStarted,
  kMapRunSucceeded,
  kMapRunFailed,
  kTaskScheduled,
  kTaskStarted,
  kTaskSucceeded,
  kTaskFailed,
  kTaskTimedOut,
  kLambdaFunctionScheduled,
  kLambdaFunctionStarted,
  kLambdaFunctionSucceeded,
  kLambdaFunctionFailed,
  kLambdaFunctionTimedOut,
  kActivityScheduled,
  kActivityStarted,
  kActivitySucceeded,
  kActivityFailed,
  kActivityTimedOut,
  kEvaluationFailed,
  kCount,
  // An event read from a checkpoint whose type and details member are no row of the table
  // (or whose previous id does not fit the record): ExecutionHistory::More::odd holds them.
  kOther = 255,
};

struct EventKindName {
  std::string_view type;
  std::string_view details_key;  // empty: the event has no details member
};

inline constexpr std::array<EventKindName, static_cast<std::size_t>(EventKind::kCount)>
    kEventKinds = {{
        {"ExecutionStarted", "executionStartedEventDetails"},
        {"ExecutionSucceeded", "executionSucceededEventDetails"},
        {"ExecutionFailed", "executionFailedEventDetails"},
        {"ExecutionAborted", "executionAbortedEventDetails"},
        {"ExecutionTimedOut", "executionTimedOutEventDetails"},
        {"ExecutionRedriven", "executionRedrivenEventDetails"},
        {"TaskStateEntered", "stateEnteredEventDetails"},
        {"PassStateEntered", "stateEnteredEventDetails"},
        {"ChoiceStateEntered", "stateEnteredEventDetails"},
        {"WaitStateEntered", "stateEnteredEventDetails"},
        {"SucceedStateEntered", "stateEnteredEventDetails"},
        {"FailStateEntered", "stateEnteredEventDetails"},
        {"ParallelStateEntered", "stateEnteredEventDetails"},
        {"MapStateEntered", "stateEnteredEventDetails"},
        {"TaskStateExited", "stateExitedEventDetails"},
        {"PassStateExited", "stateExitedEventDetails"},
        {"ChoiceStateExited", "stateExitedEventDetails"},
        {"WaitStateExited", "stateExitedEventDetails"},
        {"SucceedStateExited", "stateExitedEventDetails"},
        {"FailStateExited", "stateExitedEventDetails"},
        {"ParallelStateExited", "stateExitedEventDetails"},
        {"MapStateExited", "stateExitedEventDetails"},
        {"TaskStateAborted", ""},
        {"WaitStateAborted", ""},
        {"ParallelStateAborted", ""},
        {"MapStateAborted", ""},
        {"ParallelStateStarted", ""},
        {"ParallelStateSucceeded", ""},
        {"ParallelStateFailed", ""},
        {"MapStateStarted", "mapStateStartedEventDetails"},
        {"MapStateSucceeded", ""},
        {"MapStateFailed", ""},
        {"MapIterationStarted", "mapIterationStartedEventDetails"},
        {"MapIterationSucceeded", "mapIterationSucceededEventDetails"},
        {"MapIterationFailed", "mapIterationFailedEventDetails"},
        {"MapIterationAborted", "mapIterationAbortedEventDetails"},
        {"MapRunStarted", "mapRunStartedEventDetails"},
        {"MapRunSucceeded", ""},
        {"MapRunFailed", "mapRunFailedEventDetails"},
        {"TaskScheduled", "taskScheduledEventDetails"},
        {"TaskStarted", "taskStartedEventDetails"},
        {"TaskSucceeded", "taskSucceededEventDetails"},
        {"TaskFailed", "taskFailedEventDetails"},
        {"TaskTimedOut", "taskTimedOutEventDetails"},
        {"LambdaFunctionScheduled", "lambdaFunctionScheduledEventDetails"},
        {"LambdaFunctionStarted", ""},
        {"LambdaFunctionSucceeded", "lambdaFunctionSucceededEventDetails"},
        {"LambdaFunctionFailed", "lambdaFunctionFailedEventDetails"},
        {"LambdaFunctionTimedOut", "lambdaFunctionTimedOutEventDetails"},
        {"ActivityScheduled", "activityScheduledEventDetails"},
        {"ActivityStarted", "activityStartedEventDetails"},
        {"ActivitySucceeded", "activitySucceededEventDetails"},
        {"ActivityFailed", "activityFailedEventDetails"},
        {"ActivityTimedOut", "activityTimedOutEventDetails"},
        {"EvaluationFailed", "evaluationFailedEventDetails"},
    }};

inline const EventKindName& kind_name(EventKind kind) {
  return kEventKinds[static_cast<std::size_t>(kind)];
}
// <Type>StateEntered and <Type>StateExited of a state type.
inline EventKind entered_kind(StateType type) {
  return static_cast<EventKind>(static_cast<int>(EventKind::kTaskStateEntered) +
                                static_cast<int>(type));
}
inline EventKind exited_kind(StateType type) {
  return static_cast<EventKind>(static_cast<int>(EventKind::kTaskStateExited) +
                                static_cast<int>(type));
}
// The row with this type and details member; kOther when there is none.
EventKind find_event_kind(std::string_view type, std::string_view details_key);

// How a record holds its details (what `record_details` builds from it). `state` is the state
// the event is about (the Map's for iterations); the region and role ARN are the engine's.
enum class RecordShape : std::uint8_t {
  kBuilt,             // ExecutionHistory::extras->details[n] holds them
  kNull,              // none (null; the kinds without a details member)
  kStateEntered,      // {name, input: text, inputDetails}
  kStateExited,       // {name, output: text, outputDetails}
  kTaskScheduled,     // {resourceType, resource, region, parameters: text,
                      //  timeoutInSeconds: n when n > 0}
  kLambdaScheduled,   // {resource: the state's Resource, input: text, inputDetails,
                      //  timeoutInSeconds: n when n > 0}
  kTaskStarted,       // {resourceType, resource}
  kTaskSucceeded,     // {resourceType, resource, output: text, outputDetails}
  kMapIteration,      // {name, index: n}
  kExecutionStarted,  // {input: text, inputDetails, roleArn}
  kOutput,            // {output: text, outputDetails}
  kMapStateStarted,   // {length: n}
  kFailure,           // {resourceType, resource (when n's bit 2 is set), error, cause}: text is
                      //  the error, a NUL, then the cause; n's bit 0 says the error is present,
                      //  bit 1 the cause
};
inline constexpr std::uint32_t kFailureHasError = 1;
inline constexpr std::uint32_t kFailureHasCause = 2;
inline constexpr std::uint32_t kFailureHasResource = 4;

// The resource as the task events name it: the ARN, or a service integration's action.
const std::string& event_resource(const State& s);

// One recorded event. The event id is the record's index + 1.
struct EventRecord {
  EventRecord(std::int64_t timestamp, const State* state, SharedText&& text, std::uint32_t previous,
              std::uint32_t n, EventKind kind, RecordShape shape)
      : timestamp(timestamp),
        state(state),
        text(std::move(text)),
        previous(previous),
        n(n),
        kind(kind),
        shape(shape) {}

  std::int64_t timestamp;
  const State* state;  // of the state machine, which outlives the execution
  SharedText text;     // a JSON text (input, output or parameters), or a failure's texts
  std::uint32_t previous;
  std::uint32_t n;  // see RecordShape; kBuilt: the index into ExecutionHistory::More::details
  EventKind kind;
  RecordShape shape;
};
static_assert(sizeof(EventRecord) <= 40, "bench/README.md and docs/guide.md quote 40 bytes");

// The details of a record's shape (not kBuilt) as AWS's JSON.
nlohmann::json record_details(RecordShape shape, const State* state, std::string_view text,
                              std::uint64_t n, const EngineOptions& options);

// An execution's recorded history, allocated on its first recorded event.
struct ExecutionHistory {
  // Room for the first 6 records inside: an execution held after a Pass and a Wait (4
  // events) or a Task (6) allocates no block of records.
  static constexpr std::size_t kFirstRecords = 6;
  // The records' texts, and those the frames and the execution hold: declared first, so that
  // it goes last.
  TextArena texts;
  BlockList<EventRecord, kFirstRecords> records;  // event i + 1 is records[i]
  // What few executions need, allocated on first use (`more()`).
  struct More {
    std::vector<nlohmann::json> details;  // of the kBuilt records, by their `n`
    // The type, details member and previous id of the kOther records, in record order.
    struct Odd {
      std::size_t index;
      std::string_view type;
      std::string_view details_key;
      std::int64_t previous;
    };
    std::vector<Odd> odd;
    // Engine::history's events: built from records[0, built.size()) when the history is read.
    History built;
  };
  std::unique_ptr<More> extras;
  More& more() {
    if (!extras) extras = std::make_unique<More>();
    return *extras;
  }
};

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_INTERP_EVENT_RECORD_H_
