// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Wait (ASL-REFERENCE.md section 2.4): Seconds or Timestamp, each a literal, a path
// (SecondsPath, TimestampPath) or a JSONata expression; at most a year (five minutes in an
// Express execution). The output and assignments are computed on entry and applied when the
// timer fires (wait_done), so the variables the state reads are those at entry.
#include <cmath>

#include <fmt/format.h>

#include "interp/dataflow.h"
#include "interp/engine_impl.h"
#include "interp/states.h"
#include "util/timestamp.h"

namespace stepwise::internal {
namespace {

constexpr std::int64_t kYearSeconds = 365LL * 24 * 3600;
// A Wait this long keeps its output as text while it waits (run_wait).
constexpr std::int64_t kParkAfterNanos = kNanos;

std::string shown(const json* v) {
  if (v == nullptr) return "null";
  return v->is_string() ? v->get<std::string>() : v->dump();
}

// SecondsPath: a non-negative whole number in the state input.
std::optional<std::int64_t> seconds_from_path(EngineImpl& e, Frame& f, const DynamicField& d,
                                              const PathRoots& roots) {
  const json* v = d.path().find(roots);
  if (v == nullptr) {
    e.fail_terminal(f, runtime_failure(fmt::format(
                           "The SecondsPath parameter does not reference an input value: {}",
                           d.path().text())));
    return std::nullopt;
  }
  if (!v->is_number_integer() &&
      !(v->is_number_float() && std::floor(v->get<double>()) == v->get<double>())) {
    e.fail_terminal(f, runtime_failure(fmt::format(
                           "The SecondsPath parameter cannot be parsed as a long value: {} == {}",
                           d.path().text(), shown(v))));
    return std::nullopt;
  }
  std::int64_t secs = v->get<std::int64_t>();
  if (secs < 0) {
    e.fail_terminal(f, runtime_failure(fmt::format(
                           "The SecondsPath parameter references a negative value: {} == {}",
                           d.path().text(), secs)));
    return std::nullopt;
  }
  return secs;
}

// A Timestamp from TimestampPath or a JSONata expression, to whole seconds.
std::optional<std::int64_t> dynamic_timestamp(EngineImpl& e, Frame& f, const DynamicField& d,
                                              const PathRoots& roots) {
  if (d.kind() == DynamicField::Kind::kPath) {
    const json* v = d.path().find(roots);
    std::optional<std::int64_t> t;
    if (v != nullptr && v->is_string()) t = parse_rfc3339(v->get<std::string>());
    if (!t) {
      e.fail_terminal(f, runtime_failure(fmt::format(
                             "The TimestampPath parameter does not reference a valid ISO-8601 "
                             "extended offset date-time format string: {} == {}",
                             d.path().text(), shown(v))));
    }
    return t;
  }
  JsonataEnv env = e.jsonata_env(f, nullptr, nullptr);
  Outcome<json> v = d.jsonata().evaluate(env, "Timestamp");
  if (!v.ok()) {
    e.query_failed(f, v.take_failure(), "Timestamp");
    return std::nullopt;
  }
  std::optional<std::int64_t> t;
  if (v.value().is_string()) t = parse_rfc3339(v.value().get<std::string>());
  if (!t) {
    e.query_failed(f,
                   Failure(std::string(errors::kQueryEvaluationError),
                           fmt::format("The Timestamp field cannot be parsed as an ISO-8601 "
                                       "extended offset date-time format string: {}",
                                       shown(&v.value()))),
                   "Timestamp");
  }
  return t;
}

// When the wait ends, in nanoseconds on the engine's clock; nullopt after failing the state.
std::optional<std::int64_t> wait_until(EngineImpl& e, Frame& f, const State& s, const json& in) {
  const WaitSpec& w = *s.wait;
  FrameContext ctx(e, f);
  PathRoots roots{&in, &ctx, f.vars()};
  std::int64_t now = e.now;
  switch (w.seconds.kind()) {
    case DynamicField::Kind::kLiteral:
      return now + static_cast<std::int64_t>(w.seconds.literal().get<double>()) * kNanos;
    case DynamicField::Kind::kPath: {
      std::optional<std::int64_t> secs = seconds_from_path(e, f, w.seconds, roots);
      if (!secs) return std::nullopt;
      return now + *secs * kNanos;
    }
    case DynamicField::Kind::kJsonata: {
      std::optional<double> secs = e.jsonata_number(f, w.seconds, true, 0);
      if (!secs) return std::nullopt;
      return now + static_cast<std::int64_t>(*secs) * kNanos;
    }
    case DynamicField::Kind::kAbsent:
    case DynamicField::Kind::kIntrinsic:
      break;
  }
  switch (w.timestamp.kind()) {
    case DynamicField::Kind::kLiteral:
      return w.timestamp_literal_nanos / kNanos * kNanos;
    case DynamicField::Kind::kPath:
    case DynamicField::Kind::kJsonata: {
      std::optional<std::int64_t> t = dynamic_timestamp(e, f, w.timestamp, roots);
      if (!t) return std::nullopt;
      return *t / kNanos * kNanos;
    }
    case DynamicField::Kind::kAbsent:
    case DynamicField::Kind::kIntrinsic:
      break;
  }
  return now;
}

}  // namespace

void run_wait(EngineImpl& e, Frame& f, const State& s) {
  const DataFlow& flow = dataflow_for(s);
  InputView in;
  if (!flow.state_input(e, f, s, in)) return;
  std::optional<std::int64_t> until = wait_until(e, f, s, in.get());
  if (!until) return;
  std::int64_t max_wait =
      (f.execution->options.express ? kExpressMaxSeconds : kYearSeconds) * kNanos;
  if (*until - e.now > max_wait) {
    e.fail_terminal(f, runtime_failure("Wait state delay is too long."));
    return;
  }
  ExitValues out;
  if (!flow.plain_exit(e, f, s, in, s.output, s.assign, out)) return;
  f.retrying = false;
  if (*until <= e.now) {
    e.exit_state(f, std::move(out.output), s.end ? kNoState : s.next, &out.assigned);
    return;
  }
  // Kept until the timer fires (and checkpointed with the frame meanwhile). A wait of a
  // second or more keeps the output as text: the parse on wake-up is nothing against the
  // wait, and with history the text usually exists already (the StateEntered input).
  if (*until - e.now >= kParkAfterNanos) {
    f.parked = f.output_text ? f.output_text : e.history.text(*f.execution, out.output);
  } else {
    f.effective = std::move(out.output);
  }
  f.wait_assigned = std::move(out.assigned);
  f.phase = Frame::Phase::kWaiting;
  e.set_timer(&f, *until);
}

void wait_done(EngineImpl& e, Frame& f, const State& s) {
  json out = std::move(f.effective);
  if (f.parked) {
    out = json::parse(f.parked.view());
    if (e.recording(*f.execution)) f.output_text = std::move(f.parked);  // for StateExited
    f.parked.reset();
  }
  json assigned = std::move(f.wait_assigned);
  f.effective = json();
  f.wait_assigned = json();
  e.exit_state(f, std::move(out), s.end ? kNoState : s.next, &assigned);
}

}  // namespace stepwise::internal
