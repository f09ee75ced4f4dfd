// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Execution history in the shape of AWS's GetExecutionHistory (ASL-REFERENCE.md section 15):
// sequential ids from 1, `previousEventId`, a timestamp, the event type and one
// `<camelCase>EventDetails` member.
#ifndef STEPWISE_HISTORY_H_
#define STEPWISE_HISTORY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/export.h"

namespace stepwise {

// One history event. Value type; safe to use from any number of threads.
struct STEPWISE_EXPORT HistoryEvent {
  std::int64_t id = 0;
  std::int64_t previous_event_id = 0;
  std::int64_t timestamp = 0;  // nanoseconds since the epoch
  // The event type, e.g. "TaskStateEntered". Points to static storage (valid forever).
  std::string_view type;
  // The details member as AWS names it (e.g. "stateEnteredEventDetails"); empty when none.
  // Points to static storage.
  std::string_view details_key;
  nlohmann::json details;  // AWS's fields; `input`/`output` are JSON strings as AWS gives them

  // The engine's compact form of `details` for its most frequent events, kept until the
  // history is read: events from `Engine::history` and given to listeners always have
  // `details` built and `compact.shape == kNone`. The strings it points to belong to the
  // state machine and the engine's options, so an event whose compact form is set is valid
  // only while its engine and execution are.
  struct Compact {
    enum Shape : std::uint8_t {
      kNone,               // `details` holds everything
      kStateEntered,       // {name: a, input: text, inputDetails}
      kStateExited,        // {name: a, output: text, outputDetails}
      kTaskScheduled,      // {resourceType: a, resource: b, region: c, parameters: text,
                           //  timeoutInSeconds: n when n > 0}
      kLambdaScheduled,    // {resource: a, input: text, inputDetails,
                           //  timeoutInSeconds: n when n > 0}
      kTaskStarted,        // {resourceType: a, resource: b}
      kTaskSucceeded,      // {resourceType: a, resource: b, output: text, outputDetails}
      kMapIteration,       // {name: a, index: n}
      kExecutionStarted,   // {input: text, inputDetails, roleArn: a}
      kOutput,             // {output: text, outputDetails}
      kMapStateStarted,    // {length: n}
    };
    // Strings of the state machine or the engine's options (stable while both live).
    const std::string* a = nullptr;
    const std::string* b = nullptr;
    const std::string* c = nullptr;
    std::shared_ptr<const std::string> text;  // a JSON text (input, output or parameters)
    std::int64_t n = 0;
    Shape shape = kNone;
  };
  Compact compact;

  // The event as AWS's JSON: {"id", "previousEventId", "timestamp", "type", "<details>"}.
  nlohmann::json to_json() const;
  // The details as AWS's JSON, from whichever form holds them.
  nlohmann::json built_details() const;
  // Builds `details` from the compact form and drops it (nothing to do when there is none).
  void materialize();
};

// Exports a history as AWS's `{"events": [...]}`.
STEPWISE_EXPORT nlohmann::json history_to_json(const std::vector<HistoryEvent>& events);

// Receives events as they happen.
//
// Host interface. The engine calls `on_event` on the thread that calls `step()`, in event
// order, never concurrently for one engine. The event is valid only during the call.
class STEPWISE_EXPORT HistoryListener {
 public:
  virtual ~HistoryListener() = default;
  virtual void on_event(const std::string& execution_name, const HistoryEvent& event) = 0;
};

}  // namespace stepwise

#endif  // STEPWISE_HISTORY_H_
