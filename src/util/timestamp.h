// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// RFC 3339 timestamps as ASL uses them (Choice Timestamp* operators, Wait Timestamp, the
// context object's times): parsing to nanoseconds since the Unix epoch, and formatting.
#ifndef STEPWISE_SRC_UTIL_TIMESTAMP_H_
#define STEPWISE_SRC_UTIL_TIMESTAMP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stepwise::internal {

// Parses an RFC 3339 date-time with an uppercase `T` and either `Z` or a numeric offset
// (`2016-03-14T01:59:00Z`, `2016-03-14T01:59:00.123+02:00`). Fields are range-checked
// (month 1-12, day within the month, hour 0-23, minute 0-59, second 0-60). Returns
// nanoseconds since 1970-01-01T00:00:00Z, or nullopt when `text` is not such a timestamp.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

// Formats nanoseconds since the epoch as `2024-02-07T13:52:02.123Z` (millisecond precision,
// as AWS prints `$$.Execution.StartTime`).
std::string format_iso8601_millis(std::int64_t nanos);

// Days since 1970-01-01 of a proleptic Gregorian date.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_UTIL_TIMESTAMP_H_
