// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The history part of the interpreter: every event of an execution is recorded as an
// `EventRecord` (72 bytes; execution.h) with its details in compact form, and built in AWS's
// GetExecutionHistory shape only when the history is read (`materialize_history`) or a
// listener receives it. Events of a Distributed Map's child executions go to that child's own
// history in its Map Run. Not thread-safe: used from the stepping thread.
#ifndef STEPWISE_SRC_INTERP_HISTORY_RECORDER_H_
#define STEPWISE_SRC_INTERP_HISTORY_RECORDER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "interp/execution.h"
#include "stepwise/engine.h"

namespace stepwise::internal {

class HistoryRecorder {
 public:
  // `options` and `now` (the engine's time of the current step) outlive the recorder.
  HistoryRecorder(const EngineOptions& options, const std::int64_t& now)
      : options_(options), now_(now) {}
  HistoryRecorder(const HistoryRecorder&) = delete;
  HistoryRecorder& operator=(const HistoryRecorder&) = delete;

  // True when history events are kept or listened to (otherwise details are not built).
  bool recording(const Execution& ex) const {
    return ex.options.record_history || !options_.history_listeners.empty();
  }
  // Records an event with built details; returns its id. `previous` defaults to the frame's
  // last event (or the id before); the frame's last event becomes this one.
  std::int64_t emit(Execution& ex, Frame* frame, std::string_view type,
                    std::string_view details_key, nlohmann::json details,
                    std::int64_t previous = -1);
  // The same with the details in the compact form (HistoryEvent::Compact), built only when
  // the history is read.
  std::int64_t emit_compact(Execution& ex, Frame* frame, std::string_view type,
                            std::string_view details_key, HistoryEvent::Compact compact,
                            std::int64_t previous = -1);
  // Event `i` of the main history as AWS shapes it (details built).
  HistoryEvent built_event(const Execution& ex, std::size_t i) const;
  // Builds `ex.history` up to the events recorded so far (Engine::history, TestState).
  void materialize_history(Execution& ex);
  // `now` as ISO 8601 with milliseconds, formatted once per millisecond.
  const std::string& format_now();

 private:
  std::int64_t next_event_id(Execution& ex, Frame* frame, std::int64_t& previous);
  // Records event `id` of the main history (details built, or compact when `compact.shape`
  // is set) and hands it to the listeners.
  void append_event(Execution& ex, std::int64_t id, std::int64_t previous, std::string_view type,
                    std::string_view details_key, nlohmann::json details,
                    HistoryEvent::Compact compact);

  const EngineOptions& options_;
  const std::int64_t& now_;
  std::int64_t formatted_ms_ = -1;
  std::string formatted_now_;
};

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_INTERP_HISTORY_RECORDER_H_
