// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The compiled form behind `ScheduleExpression` (stepwise/schedule.h): the kind, the parsed
// rate, cron fields or `at` time, and the time zone from the date library's database of the
// system's tzdata. Also the small time helpers the scheduler shares.
#ifndef STEPWISE_SCHEDULE_EXPRESSION_H_
#define STEPWISE_SCHEDULE_EXPRESSION_H_

#include <cstdint>
#include <string>

#include "schedule/cron.h"
#include "stepwise/schedule.h"

namespace date {
class time_zone;
}

namespace stepwise::internal {

inline constexpr std::int64_t kNanosPerSecond = 1000000000LL;
inline constexpr std::int64_t kNanosPerMinute = 60 * kNanosPerSecond;
// 2200-01-01T00:00:00Z: no occurrence of any expression is at or after it.
inline constexpr std::int64_t kLastInstant = 7258118400LL * kNanosPerSecond;

struct CompiledSchedule {
  ScheduleExpression::Kind kind = ScheduleExpression::Kind::kRate;
  std::string text;
  std::string zone_name;
  const date::time_zone* zone = nullptr;
  std::int64_t rate = 0;      // kRate: nanoseconds
  CronSpec cron;              // kCron
  std::int64_t at_local = 0;  // kAt: local seconds since 1970-01-01T00:00
};

// "2026-01-05T09:00:00Z" (UTC, to the second).
std::string format_utc_seconds(std::int64_t nanos);

}  // namespace stepwise::internal

#endif  // STEPWISE_SCHEDULE_EXPRESSION_H_
