// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// History events as AWS's JSON.
#include "stepwise/history.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <utility>

#include "util/timestamp.h"

namespace stepwise {
namespace {

using nlohmann::json;

// {"truncated": false}: the `*Details` member of every payload.
const json& not_truncated() {
  static const json kNotTruncated = {{"truncated", false}};
  return kNotTruncated;
}

std::string text_of(const HistoryEvent::Compact& c) { return c.text.str(); }

}  // namespace

struct SharedText::Rep {
  std::atomic<std::uint32_t> refs;
  std::uint32_t size;
  char* chars() { return reinterpret_cast<char*>(this + 1); }
};

SharedText::SharedText(std::string_view text) {
  void* memory = ::operator new(sizeof(Rep) + text.size());
  rep_ = ::new (memory) Rep{{1}, static_cast<std::uint32_t>(text.size())};
  std::memcpy(rep_->chars(), text.data(), text.size());
}

SharedText::SharedText(const SharedText& other) noexcept : rep_(other.rep_) {
  if (rep_ != nullptr) rep_->refs.fetch_add(1, std::memory_order_relaxed);
}

SharedText& SharedText::operator=(const SharedText& other) noexcept {
  if (rep_ != other.rep_) {
    SharedText copy(other);
    std::swap(rep_, copy.rep_);
  }
  return *this;
}

std::string_view SharedText::view() const {
  return rep_ == nullptr ? std::string_view() : std::string_view(rep_->chars(), rep_->size);
}

void SharedText::release() noexcept {
  Rep* rep = std::exchange(rep_, nullptr);
  if (rep->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    rep->~Rep();
    ::operator delete(rep);
  }
}

json HistoryEvent::built_details() const {
  using C = Compact;
  if (compact.shape == C::kNone) return details;
  json d(json::value_t::object);
  auto& o = d.get_ref<json::object_t&>();
  switch (compact.shape) {
    case C::kNone:
      break;
    case C::kStateEntered:
      o.emplace("name", *compact.a);
      o.emplace("input", text_of(compact));
      o.emplace("inputDetails", not_truncated());
      break;
    case C::kStateExited:
      o.emplace("name", *compact.a);
      o.emplace("output", text_of(compact));
      o.emplace("outputDetails", not_truncated());
      break;
    case C::kTaskScheduled:
      o.emplace("resourceType", *compact.a);
      o.emplace("resource", *compact.b);
      o.emplace("region", *compact.c);
      o.emplace("parameters", text_of(compact));
      if (compact.n > 0) o.emplace("timeoutInSeconds", compact.n);
      break;
    case C::kLambdaScheduled:
      o.emplace("resource", *compact.a);
      o.emplace("input", text_of(compact));
      o.emplace("inputDetails", not_truncated());
      if (compact.n > 0) o.emplace("timeoutInSeconds", compact.n);
      break;
    case C::kTaskStarted:
      o.emplace("resourceType", *compact.a);
      o.emplace("resource", *compact.b);
      break;
    case C::kTaskSucceeded:
      o.emplace("resourceType", *compact.a);
      o.emplace("resource", *compact.b);
      o.emplace("output", text_of(compact));
      o.emplace("outputDetails", not_truncated());
      break;
    case C::kMapIteration:
      o.emplace("name", *compact.a);
      o.emplace("index", static_cast<std::size_t>(compact.n));
      break;
    case C::kExecutionStarted:
      o.emplace("input", text_of(compact));
      o.emplace("inputDetails", not_truncated());
      o.emplace("roleArn", *compact.a);
      break;
    case C::kOutput:
      o.emplace("output", text_of(compact));
      o.emplace("outputDetails", not_truncated());
      break;
    case C::kMapStateStarted:
      o.emplace("length", static_cast<std::size_t>(compact.n));
      break;
    case C::kFailure: {
      if (compact.a != nullptr) o.emplace("resourceType", *compact.a);
      if (compact.b != nullptr) o.emplace("resource", *compact.b);
      std::string_view text = compact.text.view();
      std::size_t nul = text.find('\0');
      if (nul == std::string_view::npos) nul = text.size();
      if ((compact.n & 1) != 0) o.emplace("error", std::string(text.substr(0, nul)));
      if ((compact.n & 2) != 0) {
        o.emplace("cause", std::string(text.substr(std::min(nul + 1, text.size()))));
      }
      break;
    }
  }
  return d;
}

void HistoryEvent::materialize() {
  if (compact.shape == Compact::kNone) return;
  details = built_details();
  compact = Compact();
}

json HistoryEvent::to_json() const {
  json out = {{"id", id},
              {"previousEventId", previous_event_id},
              {"timestamp", internal::format_iso8601_millis(timestamp)},
              {"type", std::string(type)}};
  if (!details_key.empty()) out[std::string(details_key)] = built_details();
  return out;
}

json history_to_json(const History& events) {
  json list = json::array();
  for (const HistoryEvent& e : events) list.push_back(e.to_json());
  return {{"events", std::move(list)}};
}

}  // namespace stepwise
