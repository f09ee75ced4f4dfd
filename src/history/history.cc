// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// History events as AWS's JSON.
#include "stepwise/history.h"

#include <string>
#include <utility>

#include "util/timestamp.h"

namespace stepwise {

using nlohmann::json;

json HistoryEvent::to_json() const {
  json out = {{"id", id},
              {"previousEventId", previous_event_id},
              {"timestamp", internal::format_iso8601_millis(timestamp)},
              {"type", std::string(type)}};
  if (!details_key.empty()) out[std::string(details_key)] = details;
  return out;
}

json history_to_json(const History& events) {
  json list = json::array();
  for (const HistoryEvent& e : events) list.push_back(e.to_json());
  return {{"events", std::move(list)}};
}

}  // namespace stepwise
