// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The history part of the interpreter: every event of an execution is recorded as an
// `EventRecord` (40 bytes; event_record.h), most with their details in a compact shape and
// their texts in the execution's arena, and
// built in AWS's GetExecutionHistory shape only when the history is read (`read`), a listener
// receives it or a checkpoint writes it. Events of a Distributed Map's child executions go to
// that child's own history in its Map Run. Not thread-safe: used from the stepping thread.
#ifndef STEPWISE_SRC_INTERP_HISTORY_RECORDER_H_
#define STEPWISE_SRC_INTERP_HISTORY_RECORDER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "interp/event_record.h"
#include "interp/execution.h"
#include "stepwise/engine.h"

namespace stepwise::internal {

// Events recorded in `ex`'s history (0 when it records none).
inline std::size_t recorded_events(const Execution& ex) {
  return ex.history ? ex.history->records.size() : 0;
}

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
  // Records an event with built details (pass `json()` when not recording); returns its id.
  // `previous` defaults to the frame's last event (or the id before); the frame's last event
  // becomes this one.
  std::int64_t emit(Execution& ex, Frame* frame, EventKind kind, nlohmann::json details,
                    std::int64_t previous = -1);
  // The same with the details in a compact shape (RecordShape, not kBuilt), built only when
  // the event is read: the record is made in place from these arguments. Inline for the
  // common case (the main history of an execution that keeps it, no listener): compilers
  // left it out of line, at twice the instructions.
  [[gnu::always_inline]] std::int64_t record(Execution& ex, Frame* frame, EventKind kind,
                                             RecordShape shape, const State* state,
                                             SharedText&& text, std::uint64_t n = 0,
                                             std::int64_t previous = -1) {
    if (ex.history != nullptr && ex.options.record_history &&
        (frame == nullptr || frame->child_run < 0) && options_.history_listeners.empty())
        [[likely]] {
      std::int64_t id = take_id(ex, frame, previous);
      if (n <= kMaxField && static_cast<std::uint64_t>(previous) <= kMaxField) [[likely]] {
        ex.history->records.emplace_back(now_, state, std::move(text),
                                         static_cast<std::uint32_t>(previous),
                                         static_cast<std::uint32_t>(n), kind, shape);
      } else {
        record_wide(ex, kind, shape, state, text, n, previous);
      }
      return id;
    }
    return record_slow(ex, frame, kind, shape, state, std::move(text), n, previous);
  }
  // The JSON text of `v` (or the text `s`) for an event of `ex`: in its history's arena when
  // it keeps one. Throws what `dump()` throws.
  SharedText text(Execution& ex, const nlohmann::json& v);
  SharedText text(Execution& ex, std::string_view s);
  // Appends an event read back from a checkpoint. For EventKind::kOther, `type` and
  // `details_key` must live as long as the execution.
  void restore(Execution& ex, EventKind kind, std::string_view type, std::string_view details_key,
               std::int64_t previous, std::int64_t timestamp, nlohmann::json details);
  // Event `i` of the recorded history as AWS shapes it (details built).
  HistoryEvent built_event(const Execution& ex, std::size_t i) const;
  // The recorded history, built up to the events recorded so far (Engine::history,
  // TestState); valid until the next event is recorded or read.
  const History& read(Execution& ex);
  // `now` as ISO 8601 with milliseconds, formatted once per millisecond.
  const std::string& format_now();

 private:
  // Takes the execution's next event id and settles `previous` (see emit).
  static std::int64_t take_id(Execution& ex, Frame* frame, std::int64_t& previous) {
    std::int64_t id = ++ex.event_count;
    if (frame != nullptr) {
      if (previous < 0) previous = frame->last_event_id;
      frame->last_event_id = id;
    }
    if (previous < 0) previous = id - 1;
    return id;
  }
  static constexpr std::uint64_t kMaxField = 0xFFFFFFFF;  // EventRecord's `previous` and `n`
  std::int64_t record_slow(Execution& ex, Frame* frame, EventKind kind, RecordShape shape,
                           const State* state, SharedText&& text, std::uint64_t n,
                           std::int64_t previous);
  // An event of a Distributed Map child execution: to the child's own history.
  std::int64_t emit_child(Execution& ex, const Frame& frame, EventKind kind,
                          nlohmann::json details);
  // Appends a record whose details are built (kOther records also to the odd list).
  void append_built(Execution& ex, EventKind kind, std::string_view type,
                    std::string_view details_key, std::int64_t previous, std::int64_t timestamp,
                    nlohmann::json details);
  // A compact event whose `n` or `previous` does not fit its record: recorded built.
  void record_wide(Execution& ex, EventKind kind, RecordShape shape, const State* state,
                   const SharedText& text, std::uint64_t n, std::int64_t previous);
  // Hands recorded event `i` to the listeners.
  void notify(const Execution& ex, std::size_t i) const;
  // Hands an event that is not recorded to the listeners.
  void notify_unrecorded(const Execution& ex, std::int64_t id, std::int64_t previous,
                         EventKind kind, nlohmann::json details) const;

  const EngineOptions& options_;
  const std::int64_t& now_;
  std::int64_t formatted_ms_ = -1;
  std::string formatted_now_;
};

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_INTERP_HISTORY_RECORDER_H_
