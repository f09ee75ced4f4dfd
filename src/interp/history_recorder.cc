// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// HistoryRecorder (history_recorder.h): events recorded in compact form as they happen and
// built in AWS's GetExecutionHistory shape when read or listened to.
#include "interp/history_recorder.h"

#include <algorithm>
#include <utility>

#include "util/json_text.h"
#include "util/timestamp.h"

namespace stepwise::internal {
namespace {

ExecutionHistory& history_of(Execution& ex) {
  if (!ex.history) ex.history = std::make_unique<ExecutionHistory>();
  return *ex.history;
}

// Record `i`'s event without its details.
HistoryEvent event_header(const ExecutionHistory& h, std::size_t i) {
  const EventRecord& r = h.records[i];
  HistoryEvent ev;
  ev.id = static_cast<std::int64_t>(i) + 1;
  ev.timestamp = r.timestamp;
  if (r.kind == EventKind::kOther) {
    const auto& odd = h.extras->odd;
    auto it = std::lower_bound(
        odd.begin(), odd.end(), i,
        [](const ExecutionHistory::More::Odd& o, std::size_t at) { return o.index < at; });
    ev.previous_event_id = it->previous;
    ev.type = it->type;
    ev.details_key = it->details_key;
  } else {
    const EventKindName& name = kind_name(r.kind);
    ev.previous_event_id = r.previous;
    ev.type = name.type;
    ev.details_key = name.details_key;
  }
  return ev;
}

}  // namespace

std::int64_t HistoryRecorder::emit(Execution& ex, Frame* frame, EventKind kind, json details,
                                   std::int64_t previous) {
  if (details.is_null()) {
    return record(ex, frame, kind, RecordShape::kNull, nullptr, SharedText(), 0, previous);
  }
  if (frame != nullptr && frame->child_run >= 0) {
    return emit_child(ex, *frame, kind, std::move(details));
  }
  std::int64_t id = take_id(ex, frame, previous);
  if (ex.options.record_history) {
    const EventKindName& name = kind_name(kind);
    append_built(ex, kind, name.type, name.details_key, previous, now_, std::move(details));
    if (!options_.history_listeners.empty()) notify(ex, ex.history->records.size() - 1);
  } else if (!options_.history_listeners.empty()) {
    notify_unrecorded(ex, id, previous, kind, std::move(details));
  }
  return id;
}

std::int64_t HistoryRecorder::record_slow(Execution& ex, Frame* frame, EventKind kind,
                                          RecordShape shape, const State* state, SharedText&& text,
                                          std::uint64_t n, std::int64_t previous) {
  if (frame != nullptr && frame->child_run >= 0) {
    if (frame->child_log == SIZE_MAX || !ex.options.record_history) return 0;
    return emit_child(ex, *frame, kind, record_details(shape, state, text.view(), n, options_));
  }
  std::int64_t id = take_id(ex, frame, previous);
  if (ex.options.record_history) {
    ExecutionHistory& h = history_of(ex);
    if (n <= kMaxField && static_cast<std::uint64_t>(previous) <= kMaxField) {
      h.records.emplace_back(now_, state, std::move(text), static_cast<std::uint32_t>(previous),
                             static_cast<std::uint32_t>(n), kind, shape);
    } else {
      record_wide(ex, kind, shape, state, text, n, previous);
    }
    if (!options_.history_listeners.empty()) notify(ex, h.records.size() - 1);
  } else if (!options_.history_listeners.empty()) {
    notify_unrecorded(ex, id, previous, kind,
                      record_details(shape, state, text.view(), n, options_));
  }
  return id;
}

SharedText HistoryRecorder::text(Execution& ex, const json& v) {
  return text(ex, json_text_view(v));
}

SharedText HistoryRecorder::text(Execution& ex, std::string_view s) {
  if (ex.options.record_history) return history_of(ex).texts.make(s);
  return SharedText(s);
}

void HistoryRecorder::restore(Execution& ex, EventKind kind, std::string_view type,
                              std::string_view details_key, std::int64_t previous,
                              std::int64_t timestamp, json details) {
  append_built(ex, kind, type, details_key, previous, timestamp, std::move(details));
}

std::int64_t HistoryRecorder::emit_child(Execution& ex, const Frame& frame, EventKind kind,
                                         json details) {
  if (frame.child_log == SIZE_MAX || !ex.options.record_history) return 0;
  MapRunDescription::Child& child =
      ex.map_runs[static_cast<std::size_t>(frame.child_run)].children[frame.child_log];
  const EventKindName& name = kind_name(kind);
  auto id = static_cast<std::int64_t>(child.history.size()) + 1;
  HistoryEvent& ev = child.history.emplace_back();
  ev.id = id;
  ev.previous_event_id = id - 1;
  ev.timestamp = now_;
  ev.type = name.type;
  ev.details_key = name.details_key;
  ev.details = std::move(details);
  for (const auto& l : options_.history_listeners) l->on_event(child.execution_arn, ev);
  return id;
}

void HistoryRecorder::append_built(Execution& ex, EventKind kind, std::string_view type,
                                   std::string_view details_key, std::int64_t previous,
                                   std::int64_t timestamp, json details) {
  ExecutionHistory& h = history_of(ex);
  ExecutionHistory::More& more = h.more();
  auto n = static_cast<std::uint32_t>(more.details.size());
  more.details.push_back(std::move(details));
  if (kind == EventKind::kOther || previous < 0 ||
      static_cast<std::uint64_t>(previous) > kMaxField) {
    more.odd.push_back({h.records.size(), type, details_key, previous});
    kind = EventKind::kOther;
    previous = 0;
  }
  h.records.emplace_back(timestamp, nullptr, SharedText(), static_cast<std::uint32_t>(previous), n,
                         kind, RecordShape::kBuilt);
}

void HistoryRecorder::record_wide(Execution& ex, EventKind kind, RecordShape shape,
                                  const State* state, const SharedText& text, std::uint64_t n,
                                  std::int64_t previous) {
  const EventKindName& name = kind_name(kind);
  append_built(ex, kind, name.type, name.details_key, previous, now_,
               record_details(shape, state, text.view(), n, options_));
}

void HistoryRecorder::notify(const Execution& ex, std::size_t i) const {
  HistoryEvent ev = built_event(ex, i);
  for (const auto& l : options_.history_listeners) l->on_event(ex.name, ev);
}

void HistoryRecorder::notify_unrecorded(const Execution& ex, std::int64_t id, std::int64_t previous,
                                        EventKind kind, json details) const {
  const EventKindName& name = kind_name(kind);
  HistoryEvent ev;
  ev.id = id;
  ev.previous_event_id = previous;
  ev.timestamp = now_;
  ev.type = name.type;
  ev.details_key = name.details_key;
  ev.details = std::move(details);
  for (const auto& l : options_.history_listeners) l->on_event(ex.name, ev);
}

HistoryEvent HistoryRecorder::built_event(const Execution& ex, std::size_t i) const {
  const ExecutionHistory& h = *ex.history;
  if (h.extras && i < h.extras->built.size()) return h.extras->built[i];
  HistoryEvent ev = event_header(h, i);
  const EventRecord& r = h.records[i];
  if (r.shape == RecordShape::kBuilt) {
    ev.details = h.extras->details[r.n];
  } else {
    ev.details = record_details(r.shape, r.state, r.text.view(), r.n, options_);
  }
  return ev;
}

const History& HistoryRecorder::read(Execution& ex) {
  static const History kNoEvents;
  if (!ex.history) return kNoEvents;
  ExecutionHistory& h = *ex.history;
  ExecutionHistory::More& more = h.more();
  if (more.built.empty()) more.built.reserve(h.records.size());
  for (std::size_t i = more.built.size(); i < h.records.size(); ++i) {
    const EventRecord& r = h.records[i];
    HistoryEvent& ev = more.built.emplace_back(event_header(h, i));
    if (r.shape == RecordShape::kBuilt) {
      ev.details = std::move(more.details[r.n]);  // built once: the details move to the event
    } else {
      ev.details = record_details(r.shape, r.state, r.text.view(), r.n, options_);
    }
  }
  return more.built;
}

const std::string& HistoryRecorder::format_now() {
  std::int64_t ms = now_ / 1000000;
  if (ms != formatted_ms_) {
    formatted_ms_ = ms;
    formatted_now_ = format_iso8601_millis(now_);
  }
  return formatted_now_;
}

}  // namespace stepwise::internal
