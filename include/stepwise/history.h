// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Execution history in the shape of AWS's GetExecutionHistory (docs/guide.md section 7):
// sequential ids from 1, `previousEventId`, a timestamp, the event type and one
// `<camelCase>EventDetails` member.
#ifndef STEPWISE_HISTORY_H_
#define STEPWISE_HISTORY_H_

#include <cstdint>
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
  // The event type, e.g. "TaskStateEntered". Points to static storage, or for an event read
  // back from a checkpoint whose type this version does not know, to storage of the engine
  // (valid while the engine lives).
  std::string_view type;
  // The details member as AWS names it (e.g. "stateEnteredEventDetails"); empty when none.
  // Points to storage like `type`'s.
  std::string_view details_key;
  nlohmann::json details;  // AWS's fields; `input`/`output` are JSON strings as AWS gives them

  // The event as AWS's JSON: {"id", "previousEventId", "timestamp", "type", "<details>"}.
  nlohmann::json to_json() const;
};

// An execution's events in order.
using History = std::vector<HistoryEvent>;

// Exports a history as AWS's `{"events": [...]}`.
STEPWISE_EXPORT nlohmann::json history_to_json(const History& events);

// Receives events as they happen.
//
// Host interface. The engine calls `on_event` on the thread that calls `step()`, in event
// order, never concurrently for one engine. The event is valid only during the call.
class STEPWISE_EXPORT HistoryListener {
 public:
  virtual ~HistoryListener() = default;
  HistoryListener() = default;
  HistoryListener(const HistoryListener&) = delete;  // an interface: share by pointer
  HistoryListener& operator=(const HistoryListener&) = delete;
  virtual void on_event(const std::string& execution_name, const HistoryEvent& event) = 0;
};

}  // namespace stepwise

#endif  // STEPWISE_HISTORY_H_
