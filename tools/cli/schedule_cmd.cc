// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `stepwise schedule next EXPRESSION [--tz ZONE] [--count N] [--after TIME]`: prints the next
// fire times of an EventBridge Scheduler expression, one per line, in ISO 8601 with the
// zone's UTC offset. Public API only (stepwise::schedule); docs/schedules.md.
#include <date/date.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include "stepwise/clock.h"
#include "stepwise/schedule.h"

namespace {

constexpr const char* kScheduleUsage =
    R"(Usage: stepwise schedule next EXPRESSION [--tz ZONE] [--count N] [--after TIME]

Prints the next N (default 5) fire times of the EventBridge Scheduler expression EXPRESSION,
rate(value unit), cron(minutes hours day-of-month month day-of-week year) or
at(yyyy-mm-ddThh:mm:ss), evaluated in the IANA time zone ZONE (default UTC), one per line in
ISO 8601 with the zone's UTC offset. Daylight saving time as EventBridge Scheduler: a cron time
that does not exist is skipped, one that exists twice fires once. Times are after TIME (RFC 3339,
e.g. 2026-03-01T00:00:00Z; default now); a rate counts from TIME.
Exit status: 0 on success, 2 on an invalid expression, zone or usage (the reason on stderr).
)";

// RFC 3339 with Z or an offset, to nanoseconds since the epoch.
std::optional<std::int64_t> parse_time(const std::string& text) {
  for (const char* format : {"%FT%TZ", "%FT%T%Ez"}) {
    std::istringstream in(text);
    date::sys_time<std::chrono::nanoseconds> t;
    in >> date::parse(format, t);
    if (!in.fail() && in.peek() == std::char_traits<char>::eof()) {
      return t.time_since_epoch().count();
    }
  }
  return std::nullopt;
}

int usage_error(const std::string& message) {
  std::cerr << "stepwise schedule: " << message << "\n";
  return 2;
}

}  // namespace

int cmd_schedule(int argc, char** argv) {
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::cout << kScheduleUsage;
      return 0;
    }
  }
  if (argc < 4 || std::strcmp(argv[2], "next") != 0) {
    std::cerr << kScheduleUsage;
    return 2;
  }
  const std::string expression = argv[3];
  std::string zone = "UTC";
  long count = 5;
  std::optional<std::int64_t> after;
  for (int i = 4; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) return usage_error("option " + a + " needs a value");
    const std::string v = argv[++i];
    if (a == "--tz") {
      zone = v;
    } else if (a == "--count") {
      char* end = nullptr;
      count = std::strtol(v.c_str(), &end, 10);
      if (end == v.c_str() || *end != '\0' || count < 1 || count > 100000) {
        return usage_error("--count must be a number from 1 to 100000, not '" + v + "'");
      }
    } else if (a == "--after") {
      after = parse_time(v);
      if (!after) return usage_error("--after must be an RFC 3339 time, not '" + v + "'");
    } else {
      return usage_error("unknown option '" + a + "'");
    }
  }
  stepwise::Result<stepwise::ScheduleExpression> e =
      stepwise::ScheduleExpression::parse(expression, zone);
  if (!e.ok()) return usage_error(e.status().message());
  std::int64_t t = after ? *after : stepwise::SystemClock().now();
  const std::int64_t anchor = t;
  for (long i = 0; i < count; ++i) {
    std::optional<std::int64_t> next = e->next_after(t, anchor);
    if (!next) break;
    std::cout << e->format_local(*next) << "\n";
    t = *next;
  }
  return 0;
}
