// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The fields of an EventBridge `cron(...)` expression, parsed into sets, and the search for the
// next matching local minute. Pure functions of their inputs: no time zone here (expression.cc
// maps local minutes to instants). Field syntax (docs/schedules.md): minutes 0-59, hours 0-23,
// day-of-month 1-31 with `? L LW nW`, month 1-12 or JAN-DEC, day-of-week 1-7 (1 = SUN) or
// SUN-SAT with `? L nL n#k`, year 1970-2199; `, - * /` where AWS allows them.
#ifndef STEPWISE_SCHEDULE_CRON_H_
#define STEPWISE_SCHEDULE_CRON_H_

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "stepwise/status.h"

namespace stepwise::internal {

inline constexpr int kCronFirstYear = 1970;
inline constexpr int kCronLastYear = 2199;

struct CronSpec {
  std::bitset<60> minutes;
  std::bitset<24> hours;
  // Day of month: `dom_any` for `?`; otherwise one of the special forms or the set `dom`.
  bool dom_any = false;
  bool dom_last = false;          // L
  bool dom_last_weekday = false;  // LW
  int dom_nearest_weekday = 0;    // nW (1-31), 0 when absent
  std::bitset<32> dom;            // bits 1-31
  std::bitset<13> months;         // bits 1-12
  // Day of week (1 = Sunday ... 7 = Saturday): `dow_any` for `?`; otherwise one special form
  // or the set `dow`.
  bool dow_any = false;
  int dow_last = 0;     // nL: the last such weekday of the month, 0 when absent
  int dow_nth_day = 0;  // n#k: the k-th weekday n of the month
  int dow_nth = 0;
  std::bitset<8> dow;                                     // bits 1-7
  std::bitset<kCronLastYear - kCronFirstYear + 1> years;  // bit 0 = 1970
};

// Parses the six space-separated fields (what is inside `cron(...)`). On failure, the message
// names the field and the token: "day-of-week field: unknown day name 'FUN'".
Result<CronSpec> parse_cron_fields(std::string_view fields);

// Whether the date matches the day-of-month, month, day-of-week and year fields.
bool cron_date_matches(const CronSpec& spec, int year, unsigned month, unsigned day);

// The first local minute >= `start` (minutes since 1970-01-01T00:00 local time) that matches,
// or nullopt when none does before the end of 2199.
std::optional<std::int64_t> next_cron_minute(const CronSpec& spec, std::int64_t start);

}  // namespace stepwise::internal

#endif  // STEPWISE_SCHEDULE_CRON_H_
