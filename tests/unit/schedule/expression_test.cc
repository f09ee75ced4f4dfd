// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Schedule expressions: parsing (every error names the field and the token), and next fire
// times in time zones, including EventBridge Scheduler's daylight-saving rules (a cron time in
// a gap is skipped, one in an overlap fires once), L/W/# across month ends and leap years,
// year bounds and rates. Expected instants were worked out by hand from the tz rules (US: DST
// from the second Sunday of March 02:00 to the first Sunday of November 02:00; EU: last Sunday
// of March 01:00 UTC to the last Sunday of October 01:00 UTC).
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "date/date.h"
#include "stepwise/schedule.h"
#include "support/status_matchers.h"

namespace stepwise {
namespace {

constexpr std::int64_t kSecond = 1000000000LL;

// Nanoseconds of a UTC time "YYYY-MM-DDTHH:MM:SSZ".
std::int64_t utc(const std::string& text) {
  std::istringstream in(text);
  date::sys_seconds t;
  in >> date::parse("%FT%TZ", t);
  EXPECT_FALSE(in.fail()) << text;
  return t.time_since_epoch().count() * kSecond;
}

// The next `count` fire times after `after`, formatted in the zone.
std::vector<std::string> next_times(const std::string& expr, const std::string& zone,
                                    const std::string& after, int count) {
  Result<ScheduleExpression> e = ScheduleExpression::parse(expr, zone);
  EXPECT_TRUE(e.ok()) << e.status().message();
  std::vector<std::string> out;
  if (!e.ok()) return out;
  std::int64_t t = utc(after);
  for (int i = 0; i < count; ++i) {
    std::optional<std::int64_t> n = e->next_after(t);
    if (!n) break;
    out.push_back(e->format_local(*n));
    t = *n;
  }
  return out;
}

struct NextCase {
  const char* what;
  const char* expr;
  const char* zone;
  const char* after;
  std::vector<std::string> expected;
};

TEST(ScheduleExpressionTest, NextFireTimesFollowTheTable) {
  const std::vector<NextCase> cases = {
      {"weekdays at 9 in Paris",
       "cron(0 9 ? * MON-FRI *)",
       "Europe/Paris",
       "2026-01-02T12:00:00Z",
       {"2026-01-05T09:00:00+01:00", "2026-01-06T09:00:00+01:00", "2026-01-07T09:00:00+01:00"}},
      {"New York spring gap: 02:30 does not exist on 2026-03-08 and is skipped",
       "cron(30 2 * * ? *)",
       "America/New_York",
       "2026-03-07T00:00:00Z",
       {"2026-03-07T02:30:00-05:00", "2026-03-09T02:30:00-04:00"}},
      {"New York fall overlap: 01:30 exists twice on 2026-11-01 and fires once, first",
       "cron(30 1 * * ? *)",
       "America/New_York",
       "2026-10-31T12:00:00Z",
       {"2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"}},
      {"every 20 minutes through the New York overlap: the repeated hour is not repeated",
       "cron(0/20 1 1 11 ? 2026)",
       "America/New_York",
       "2026-11-01T04:00:00Z",
       {"2026-11-01T01:00:00-04:00", "2026-11-01T01:20:00-04:00", "2026-11-01T01:40:00-04:00"}},
      {"London spring gap: 01:15 does not exist on 2026-03-29",
       "cron(15 1 * * ? *)",
       "Europe/London",
       "2026-03-28T00:00:00Z",
       {"2026-03-28T01:15:00+00:00", "2026-03-30T01:15:00+01:00"}},
      {"London fall overlap: 01:15 on 2026-10-25 fires at its first instant (BST)",
       "cron(15 1 * * ? *)",
       "Europe/London",
       "2026-10-24T12:00:00Z",
       {"2026-10-25T01:15:00+01:00", "2026-10-26T01:15:00+00:00"}},
      {"hourly across the London gap skips 01:00 only",
       "cron(0 * 29 3 ? 2026)",
       "Europe/London",
       "2026-03-28T23:30:00Z",
       {"2026-03-29T00:00:00+00:00", "2026-03-29T02:00:00+01:00", "2026-03-29T03:00:00+01:00"}},
      {"last day of February in a leap year and after",
       "cron(0 0 L 2 ? *)",
       "UTC",
       "2027-06-01T00:00:00Z",
       {"2028-02-29T00:00:00+00:00", "2029-02-28T00:00:00+00:00"}},
      {"last day of each month across month ends",
       "cron(0 12 L * ? 2026)",
       "UTC",
       "2026-01-15T00:00:00Z",
       {"2026-01-31T12:00:00+00:00", "2026-02-28T12:00:00+00:00", "2026-03-31T12:00:00+00:00",
        "2026-04-30T12:00:00+00:00"}},
      {"nearest weekday: 1W on a Saturday is Monday the 3rd",
       "cron(0 8 1W * ? 2026)",
       "UTC",
       "2026-07-15T00:00:00Z",
       {"2026-08-03T08:00:00+00:00", "2026-09-01T08:00:00+00:00"}},
      {"nearest weekday does not leave the month: 31W on Sunday 2026-05-31 is Friday 29th",
       "cron(0 8 31W 5 ? 2026)",
       "UTC",
       "2026-01-01T00:00:00Z",
       {"2026-05-29T08:00:00+00:00"}},
      {"LW: the last weekday (2026-01-31 is a Saturday)",
       "cron(0 8 LW 1 ? 2026)",
       "UTC",
       "2026-01-01T00:00:00Z",
       {"2026-01-30T08:00:00+00:00"}},
      {"third Friday of the month with #",
       "cron(0 10 ? * 6#3 2026)",
       "UTC",
       "2026-01-01T00:00:00Z",
       {"2026-01-16T10:00:00+00:00", "2026-02-20T10:00:00+00:00", "2026-03-20T10:00:00+00:00"}},
      {"fifth Monday skips months without one",
       "cron(0 10 ? * MON#5 2026)",
       "UTC",
       "2026-01-01T00:00:00Z",
       {"2026-03-30T10:00:00+00:00", "2026-06-29T10:00:00+00:00", "2026-08-31T10:00:00+00:00"}},
      {"last Sunday of the month with nL, in a leap February",
       "cron(0 3 ? 2 1L *)",
       "UTC",
       "2028-01-01T00:00:00Z",
       {"2028-02-27T03:00:00+00:00", "2029-02-25T03:00:00+00:00"}},
      {"L alone in day-of-week is Saturday",
       "cron(0 0 ? * L 2026)",
       "UTC",
       "2026-01-01T00:00:00Z",
       {"2026-01-03T00:00:00+00:00", "2026-01-10T00:00:00+00:00"}},
      {"February 29th only in leap years",
       "cron(0 0 29 FEB ? *)",
       "UTC",
       "2025-01-01T00:00:00Z",
       {"2028-02-29T00:00:00+00:00", "2032-02-29T00:00:00+00:00"}},
      {"lists, ranges and steps",
       "cron(5,10-12,50/5 3/8 ? JAN,jun * 2026)",
       "UTC",
       "2026-06-30T19:00:00Z",
       {"2026-06-30T19:05:00+00:00", "2026-06-30T19:10:00+00:00", "2026-06-30T19:11:00+00:00",
        "2026-06-30T19:12:00+00:00", "2026-06-30T19:50:00+00:00", "2026-06-30T19:55:00+00:00"}},
      {"the year field ends the schedule at 2199",
       "cron(0 0 1 1 ? 2198-2199)",
       "UTC",
       "2150-01-01T00:00:00Z",
       {"2198-01-01T00:00:00+00:00", "2199-01-01T00:00:00+00:00"}},
      {"days numbered 1=SUN..7=SAT",
       "cron(0 0 ? * 1,7 2026)",
       "UTC",
       "2026-01-01T00:00:00Z",
       {"2026-01-03T00:00:00+00:00", "2026-01-04T00:00:00+00:00", "2026-01-10T00:00:00+00:00"}},
      {"at() in a zone",
       "at(2026-12-24T18:00:00)",
       "Asia/Tokyo",
       "2026-01-01T00:00:00Z",
       {"2026-12-24T18:00:00+09:00"}},
      {"at() after 2038 (found by schedule_fuzz: the day count overflowed an int)",
       "at(2065-03-08T02:30:00)",
       "UTC",
       "2026-01-01T00:00:00Z",
       {"2065-03-08T02:30:00+00:00"}},
      {"at() in a gap fires when the clocks jump",
       "at(2026-03-08T02:30:00)",
       "America/New_York",
       "2026-01-01T00:00:00Z",
       {"2026-03-08T03:00:00-04:00"}},
  };
  for (const NextCase& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_EQ(next_times(c.expr, c.zone, c.after, static_cast<int>(c.expected.size())), c.expected);
  }
}

TEST(ScheduleExpressionTest, NothingFollowsTheLastOccurrence) {
  // The repeated hour of 2026-11-01 in New York does not fire again.
  EXPECT_EQ(next_times("cron(0/20 1 1 11 ? 2026)", "America/New_York", "2026-11-01T05:40:00Z", 3),
            std::vector<std::string>{});
  EXPECT_TRUE(next_times("cron(0 0 1 1 ? 2199)", "UTC", "2199-01-01T00:00:00Z", 1).empty());
  EXPECT_TRUE(next_times("at(2026-01-01T00:00:00)", "UTC", "2026-01-01T00:00:00Z", 1).empty());
}

TEST(ScheduleExpressionTest, RatesCountFixedDurationsFromTheAnchor) {
  Result<ScheduleExpression> e = ScheduleExpression::parse("rate(1 day)", "America/New_York");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->rate_interval(), 86400 * kSecond);
  const std::int64_t anchor = utc("2026-03-07T12:00:00Z");
  EXPECT_EQ(e->next_after(anchor - 1, anchor), anchor);
  EXPECT_EQ(e->next_after(anchor, anchor), anchor + 86400 * kSecond);
  // A day is 24 hours, also across the spring gap: 07:00 local becomes 08:00.
  EXPECT_EQ(e->format_local(*e->next_after(anchor, anchor)), "2026-03-08T08:00:00-04:00");
  Result<ScheduleExpression> m = ScheduleExpression::parse("rate(5 minutes)");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->next_after(anchor + 301 * kSecond, anchor), anchor + 600 * kSecond);
  // Found by schedule_fuzz: a huge rate overflowed; nothing follows 2199.
  Result<ScheduleExpression> huge = ScheduleExpression::parse("rate(22444444 minutes)");
  ASSERT_TRUE(huge.ok());
  const std::int64_t big = huge->rate_interval();
  EXPECT_EQ(huge->next_after(anchor + 3 * big, anchor), anchor + 4 * big);  // in 2196
  EXPECT_EQ(huge->next_after(anchor + 4 * big, anchor), std::nullopt);
  Result<ScheduleExpression> h = ScheduleExpression::parse("rate(2 hours)");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rate_interval(), 7200 * kSecond);
}

TEST(ScheduleExpressionTest, InvalidExpressionsNameTheFieldAndToken) {
  struct Bad {
    const char* expr;
    const char* message;
  };
  const std::vector<Bad> cases = {
      {"rate(1 minutes)",
       "Invalid Schedule Expression rate(1 minutes): a value of 1 takes the "
       "singular unit 'minute', not 'minutes'"},
      {"rate(5 hour)",
       "Invalid Schedule Expression rate(5 hour): a value greater than 1 takes "
       "the plural unit 'hours', not 'hour'"},
      {"rate(0 minutes)",
       "Invalid Schedule Expression rate(0 minutes): the value must be a "
       "positive integer, not '0'"},
      {"rate(5 )",
       "Invalid Schedule Expression rate(5 ): a rate expression is rate(value unit), "
       "e.g. rate(5 minutes)"},
      {"rate(5 weeks)",
       "Invalid Schedule Expression rate(5 weeks): unknown unit 'weeks' "
       "(minute, minutes, hour, hours, day or days)"},
      {"cron(0 9 * * MON *)",
       "Invalid Schedule Expression cron(0 9 * * MON *): day-of-month "
       "and day-of-week cannot both be set; use ? in one of them"},
      {"cron(0 9 ? * ? *)",
       "Invalid Schedule Expression cron(0 9 ? * ? *): day-of-month and "
       "day-of-week cannot both be ?; set one of them"},
      {"cron(60 9 * * ? *)",
       "Invalid Schedule Expression cron(60 9 * * ? *): minutes field: "
       "value 60 is out of range 0-59 in '60'"},
      {"cron(0 9 * * ?)",
       "Invalid Schedule Expression cron(0 9 * * ?): a cron expression has "
       "six fields (minutes hours day-of-month month day-of-week year), not 5"},
      {"cron(0 9 ? * FUN *)",
       "Invalid Schedule Expression cron(0 9 ? * FUN *): day-of-week "
       "field: unknown day name 'FUN'"},
      {"cron(0 9 ? * 3#1,6#3 *)",
       "Invalid Schedule Expression cron(0 9 ? * 3#1,6#3 *): "
       "day-of-week field: only one expression is allowed with '#', "
       "not '3#1,6#3'"},
      {"cron(0 9 ? * MON/2 *)",
       "Invalid Schedule Expression cron(0 9 ? * MON/2 *): "
       "day-of-week field: '/' is not allowed in 'MON/2'"},
      {"cron(0 9 1 * ? 1969)",
       "Invalid Schedule Expression cron(0 9 1 * ? 1969): year field: "
       "value 1969 is out of range 1970-2199 in '1969'"},
      {"cron(0 9 1 13 ? *)",
       "Invalid Schedule Expression cron(0 9 1 13 ? *): month field: "
       "value 13 is out of range 1-12 in '13'"},
      {"cron(0 22-2 * * ? *)",
       "Invalid Schedule Expression cron(0 22-2 * * ? *): hours field: "
       "range goes downwards in '22-2'"},
      {"cron(0 0 31 2 ? *)",
       "Invalid Schedule Expression cron(0 0 31 2 ? *): no date from 1970 "
       "to 2199 matches its day-of-month, month, day-of-week and year "
       "fields"},
      {"cron(0 0 1,L * ? *)",
       "Invalid Schedule Expression cron(0 0 1,L * ? *): day-of-month "
       "field: L, W and ? must stand alone (L, LW, nW or ?), not in "
       "'1,L'"},
      {"cron(*/0 * * * ? *)",
       "Invalid Schedule Expression cron(*/0 * * * ? *): minutes field: "
       "invalid increment '*/0'"},
      {"at(2026-02-30T10:00:00)",
       "Invalid Schedule Expression at(2026-02-30T10:00:00): no such "
       "date and time '2026-02-30T10:00:00'"},
      {"at(2026-02-03 10:00:00)",
       "Invalid Schedule Expression at(2026-02-03 10:00:00): an at "
       "expression is at(yyyy-mm-ddThh:mm:ss), not at(2026-02-03 "
       "10:00:00)"},
      {"every day",
       "Invalid Schedule Expression every day: expected rate(value unit), "
       "cron(fields) or at(yyyy-mm-ddThh:mm:ss)"},
  };
  for (const Bad& c : cases) {
    SCOPED_TRACE(c.expr);
    Result<ScheduleExpression> e = ScheduleExpression::parse(c.expr);
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(e.status().message(), c.message);
  }
}

TEST(ScheduleExpressionTest, UnknownTimeZonesAreRefused) {
  Result<ScheduleExpression> e = ScheduleExpression::parse("rate(1 hour)", "Mars/Olympus");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(e.status().message().rfind("Invalid time zone \"Mars/Olympus\": ", 0), 0u)
      << e.status().message();
}

}  // namespace
}  // namespace stepwise
