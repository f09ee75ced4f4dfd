// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Fuzz target: schedule expression parsing (rate, cron, at) never crashes, and what parses
// yields increasing next fire times in a time zone chosen by the first byte (one with daylight
// saving time, one without, one with a half-hour offset).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "stepwise/schedule.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const char* const kZones[] = {"UTC", "America/New_York", "Europe/London",
                                       "Australia/Adelaide"};
  if (size == 0 || size > 4096) return 0;
  const char* zone = kZones[data[0] % 4];
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  stepwise::Result<stepwise::ScheduleExpression> e =
      stepwise::ScheduleExpression::parse(text, zone);
  if (!e.ok()) return 0;
  // 2026-03-01T00:00:00Z, then a few occurrences.
  std::int64_t t = 1772323200LL * 1000000000LL;
  for (int i = 0; i < 8; ++i) {
    std::optional<std::int64_t> next = e->next_after(t, t);
    if (!next) break;
    if (*next <= t) std::abort();  // must move forward
    (void)e->format_local(*next);
    t = *next;
  }
  return 0;
}
