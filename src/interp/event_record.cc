// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Event records (event_record.h): the kind table's reverse look-up and the details of each
// compact shape as AWS's JSON.
#include "interp/event_record.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "stepwise/engine.h"

namespace stepwise::internal {
namespace {

using nlohmann::json;

// {"truncated": false}: the `*Details` member of every payload.
const json& not_truncated() {
  static const json kNotTruncated = {{"truncated", false}};
  return kNotTruncated;
}

}  // namespace

EventKind find_event_kind(std::string_view type, std::string_view details_key) {
  static const auto* const kByType = [] {
    auto* m = new std::unordered_map<std::string_view, EventKind>();
    for (std::size_t i = 0; i < kEventKinds.size(); ++i) {
      m->emplace(kEventKinds[i].type, static_cast<EventKind>(i));
    }
    return m;
  }();
  auto it = kByType->find(type);
  if (it == kByType->end() || kind_name(it->second).details_key != details_key) {
    return EventKind::kOther;
  }
  return it->second;
}

const std::string& event_resource(const State& s) {
  return s.resource_info->kind == ResourceInfo::Kind::kOther ||
                 s.resource_info->kind == ResourceInfo::Kind::kActivity
             ? s.resource
             : s.resource_info->action;
}

json record_details(RecordShape shape, const State* state, std::string_view text, std::uint64_t n,
                    const EngineOptions& options) {
  if (shape == RecordShape::kNull) return json();
  json d(json::value_t::object);
  auto& o = d.get_ref<json::object_t&>();
  switch (shape) {
    case RecordShape::kBuilt:
    case RecordShape::kNull:
      break;
    case RecordShape::kStateEntered:
      o.emplace("name", state->name);
      o.emplace("input", std::string(text));
      o.emplace("inputDetails", not_truncated());
      break;
    case RecordShape::kStateExited:
      o.emplace("name", state->name);
      o.emplace("output", std::string(text));
      o.emplace("outputDetails", not_truncated());
      break;
    case RecordShape::kTaskScheduled:
      o.emplace("resourceType", state->resource_info->service);
      o.emplace("resource", event_resource(*state));
      o.emplace("region", options.region);
      o.emplace("parameters", std::string(text));
      if (n > 0) o.emplace("timeoutInSeconds", static_cast<std::int64_t>(n));
      break;
    case RecordShape::kLambdaScheduled:
      o.emplace("resource", state->resource);
      o.emplace("input", std::string(text));
      o.emplace("inputDetails", not_truncated());
      if (n > 0) o.emplace("timeoutInSeconds", static_cast<std::int64_t>(n));
      break;
    case RecordShape::kTaskStarted:
      o.emplace("resourceType", state->resource_info->service);
      o.emplace("resource", event_resource(*state));
      break;
    case RecordShape::kTaskSucceeded:
      o.emplace("resourceType", state->resource_info->service);
      o.emplace("resource", event_resource(*state));
      o.emplace("output", std::string(text));
      o.emplace("outputDetails", not_truncated());
      break;
    case RecordShape::kMapIteration:
      o.emplace("name", state->name);
      o.emplace("index", static_cast<std::size_t>(n));
      break;
    case RecordShape::kExecutionStarted:
      o.emplace("input", std::string(text));
      o.emplace("inputDetails", not_truncated());
      o.emplace("roleArn", options.role_arn);
      break;
    case RecordShape::kOutput:
      o.emplace("output", std::string(text));
      o.emplace("outputDetails", not_truncated());
      break;
    case RecordShape::kMapStateStarted:
      o.emplace("length", static_cast<std::size_t>(n));
      break;
    case RecordShape::kFailure: {
      if ((n & kFailureHasResource) != 0) {
        o.emplace("resourceType", state->resource_info->service);
        o.emplace("resource", event_resource(*state));
      }
      std::size_t nul = std::min(text.find('\0'), text.size());
      if ((n & kFailureHasError) != 0) o.emplace("error", std::string(text.substr(0, nul)));
      if ((n & kFailureHasCause) != 0) {
        o.emplace("cause", std::string(text.substr(std::min(nul + 1, text.size()))));
      }
      break;
    }
  }
  return d;
}

}  // namespace stepwise::internal
