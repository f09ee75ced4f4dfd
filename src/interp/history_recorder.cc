// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// HistoryRecorder (history_recorder.h): events recorded in compact form as they happen and
// built in AWS's GetExecutionHistory shape when read or listened to.
#include "interp/history_recorder.h"

#include "util/timestamp.h"

namespace stepwise::internal {

// Takes the execution's next event id; `previous` defaults to the frame's last event (or the
// id before). The frame's last event becomes this one.
std::int64_t HistoryRecorder::next_event_id(Execution& ex, Frame* frame, std::int64_t& previous) {
  std::int64_t id = ex.next_event_id++;
  ++ex.event_count;
  if (frame != nullptr) {
    if (previous < 0) previous = frame->last_event_id;
    frame->last_event_id = id;
  }
  if (previous < 0) previous = id - 1;
  return id;
}

namespace {

// An event with its header filled and no details yet.
HistoryEvent event_header(std::int64_t id, std::int64_t previous, std::int64_t timestamp,
                          std::string_view type, std::string_view details_key) {
  HistoryEvent ev;
  ev.id = id;
  ev.previous_event_id = previous;
  ev.timestamp = timestamp;
  ev.type = type;
  ev.details_key = details_key;
  return ev;
}

HistoryEvent record_header(const EventRecord& r, std::size_t i) {
  return event_header(static_cast<std::int64_t>(i) + 1, r.previous, r.timestamp,
                      std::string_view(r.type, r.type_size),
                      std::string_view(r.details_key, r.details_key_size));
}

}  // namespace

std::int64_t HistoryRecorder::emit(Execution& ex, Frame* frame, std::string_view type,
                                   std::string_view details_key, json details,
                                   std::int64_t previous) {
  if (frame != nullptr && frame->child_run >= 0) {
    // A Distributed Map child execution: its own history, not the parent's.
    if (frame->child_log == SIZE_MAX || !ex.options.record_history) return 0;
    MapRunDescription::Child& child =
        ex.map_runs[static_cast<std::size_t>(frame->child_run)].children[frame->child_log];
    auto id = static_cast<std::int64_t>(child.history.size()) + 1;
    HistoryEvent& ev = child.history.emplace_back();
    ev = event_header(id, id - 1, now_, type, details_key);
    ev.details = std::move(details);
    for (const auto& l : options_.history_listeners) l->on_event(child.execution_arn, ev);
    return id;
  }
  std::int64_t id = next_event_id(ex, frame, previous);
  append_event(ex, id, previous, type, details_key, std::move(details), {});
  return id;
}

std::int64_t HistoryRecorder::emit_compact(Execution& ex, Frame* frame, std::string_view type,
                                           std::string_view details_key,
                                           HistoryEvent::Compact compact, std::int64_t previous) {
  if (frame != nullptr && frame->child_run >= 0) {
    // A Distributed Map child's event goes to the child's own history (see emit).
    if (frame->child_log == SIZE_MAX || !ex.options.record_history) return 0;
    HistoryEvent built;
    built.compact = std::move(compact);
    built.materialize();
    return emit(ex, frame, type, details_key, std::move(built.details), previous);
  }
  std::int64_t id = next_event_id(ex, frame, previous);
  append_event(ex, id, previous, type, details_key, json(), std::move(compact));
  return id;
}

void HistoryRecorder::append_event(Execution& ex, std::int64_t id, std::int64_t previous,
                                   std::string_view type, std::string_view details_key,
                                   json details, HistoryEvent::Compact compact) {
  if (ex.options.record_history) {
    EventRecord& r = ex.events.emplace_back();
    r.previous = previous;
    r.timestamp = now_;
    r.type = type.data();
    r.type_size = static_cast<std::uint16_t>(type.size());
    r.details_key = details_key.data();
    r.details_key_size = static_cast<std::uint16_t>(details_key.size());
    r.shape = compact.shape;
    if (compact.shape == HistoryEvent::Compact::kNone) {
      r.n = static_cast<std::int64_t>(ex.event_details.size());
      ex.event_details.push_back(std::move(details));
    } else {
      r.a = compact.a;
      r.b = compact.b;
      r.text = std::move(compact.text);
      r.n = compact.n;
    }
    if (!options_.history_listeners.empty()) {
      HistoryEvent ev = built_event(ex, ex.events.size() - 1);
      for (const auto& l : options_.history_listeners) l->on_event(ex.name, ev);
    }
  } else if (!options_.history_listeners.empty()) {
    HistoryEvent ev = event_header(id, previous, now_, type, details_key);
    ev.details = std::move(details);
    ev.compact = std::move(compact);
    ev.materialize();  // nothing to do for an event with built details
    for (const auto& l : options_.history_listeners) l->on_event(ex.name, ev);
  }
}

HistoryEvent HistoryRecorder::built_event(const Execution& ex, std::size_t i) const {
  if (i < ex.history.size()) return ex.history[i];
  const EventRecord& r = ex.events[i];
  HistoryEvent ev = record_header(r, i);
  if (r.shape == HistoryEvent::Compact::kNone) {
    ev.details = ex.event_details[static_cast<std::size_t>(r.n)];
  } else {
    ev.compact.a = r.a;
    ev.compact.b = r.b;
    ev.compact.c = &options_.region;
    ev.compact.text = r.text;
    ev.compact.n = r.n;
    ev.compact.shape = r.shape;
    ev.materialize();
  }
  return ev;
}

void HistoryRecorder::materialize_history(Execution& ex) {
  for (std::size_t i = ex.history.size(); i < ex.events.size(); ++i) {
    const EventRecord& r = ex.events[i];
    if (r.shape == HistoryEvent::Compact::kNone) {
      // Built once: the details move to the event.
      HistoryEvent& ev = ex.history.emplace_back();
      ev = record_header(r, i);
      ev.details = std::move(ex.event_details[static_cast<std::size_t>(r.n)]);
    } else {
      ex.history.push_back(built_event(ex, i));
    }
  }
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
