// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `ScheduleExpression`: parsing `rate(...)`, `cron(...)` and `at(...)`, and the next
// occurrence in a time zone. Local times map to instants as EventBridge Scheduler documents
// for daylight saving time ("Schedule types on EventBridge Scheduler", section "Daylight
// saving time"): a cron time inside a gap is skipped, one inside an overlap fires once, at its
// first instant. An `at` time inside a gap (AWS does not say) fires at the instant the clocks
// jump; one inside an overlap at its first instant.
#include "schedule/expression.h"

#include <date/date.h>
#include <date/tz.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <limits>
#include <string>

namespace stepwise {
namespace internal {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

Status expression_error(std::string_view text, const std::string& why) {
  return invalid_argument_error("Invalid Schedule Expression " + std::string(text) + ": " + why);
}

Result<std::int64_t> parse_rate(std::string_view body) {
  const std::size_t space = body.find(' ');
  const std::size_t unit_start =
      space == std::string_view::npos ? space : body.find_first_not_of(' ', space);
  if (unit_start == std::string_view::npos) {
    return invalid_argument_error("a rate expression is rate(value unit), e.g. rate(5 minutes)");
  }
  std::string_view value_text = body.substr(0, space);
  std::string_view unit = body.substr(unit_start);
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(value_text.data(), value_text.data() + value_text.size(), value);
  if (value_text.empty() || ec != std::errc() || end != value_text.data() + value_text.size() ||
      value < 1) {
    return invalid_argument_error("the value must be a positive integer, not '" +
                                  std::string(value_text) + "'");
  }
  struct Unit {
    std::string_view singular, plural;
    std::int64_t nanos;
  };
  static constexpr Unit kUnits[] = {{"minute", "minutes", kNanosPerMinute},
                                    {"hour", "hours", 60 * kNanosPerMinute},
                                    {"day", "days", 24 * 60 * kNanosPerMinute}};
  for (const Unit& u : kUnits) {
    if (unit != u.singular && unit != u.plural) continue;
    // EventBridge: "If the value is equal to 1, then the unit must be singular. If the value
    // is greater than 1, the unit must be plural."
    if (value == 1 && unit != u.singular) {
      return invalid_argument_error("a value of 1 takes the singular unit '" +
                                    std::string(u.singular) + "', not '" + std::string(unit) + "'");
    }
    if (value > 1 && unit != u.plural) {
      return invalid_argument_error("a value greater than 1 takes the plural unit '" +
                                    std::string(u.plural) + "', not '" + std::string(unit) + "'");
    }
    if (value > std::numeric_limits<std::int64_t>::max() / u.nanos / 2) {
      return invalid_argument_error("the value '" + std::string(value_text) + "' is too large");
    }
    return value * u.nanos;
  }
  return invalid_argument_error("unknown unit '" + std::string(unit) +
                                "' (minute, minutes, hour, hours, day or days)");
}

// yyyy-mm-ddThh:mm:ss, local seconds since 1970-01-01T00:00.
Result<std::int64_t> parse_at(std::string_view body) {
  auto num = [&](std::size_t pos, std::size_t len, int& out) {
    if (pos + len > body.size()) return false;
    auto [end, ec] = std::from_chars(body.data() + pos, body.data() + pos + len, out);
    return ec == std::errc() && end == body.data() + pos + len && body[pos] != '-' &&
           body[pos] != '+';
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  bool shape = body.size() == 19 && body[4] == '-' && body[7] == '-' && body[10] == 'T' &&
               body[13] == ':' && body[16] == ':' && num(0, 4, y) && num(5, 2, mo) &&
               num(8, 2, d) && num(11, 2, h) && num(14, 2, mi) && num(17, 2, s);
  if (!shape) {
    return invalid_argument_error("an at expression is at(yyyy-mm-ddThh:mm:ss), not at(" +
                                  std::string(body) + ")");
  }
  date::year_month_day ymd{date::year(y), date::month(static_cast<unsigned>(mo)),
                           date::day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) {
    return invalid_argument_error("no such date and time '" + std::string(body) + "'");
  }
  if (y < kCronFirstYear || y > kCronLastYear) {
    return invalid_argument_error("the year must be 1970-2199, not '" + std::string(body) + "'");
  }
  // `date::days` counts in int: widen before scaling (years after 2038 overflow otherwise).
  const std::int64_t days = date::sys_days(ymd).time_since_epoch().count();
  return days * 86400 + h * 3600 + mi * 60 + s;
}

// The instant of local time `local` (seconds) by EventBridge's rules; nullopt for a gap when
// `skip_gap`.
std::optional<std::int64_t> local_to_sys(const date::time_zone* zone, std::int64_t local,
                                         bool skip_gap) {
  date::local_seconds ls{seconds{local}};
  date::local_info info = zone->get_info(ls);
  if (info.result == date::local_info::nonexistent) {
    if (skip_gap) return std::nullopt;
    return info.first.end.time_since_epoch().count();  // the instant the clocks jump
  }
  // unique, or ambiguous: the first of the two instants.
  return local - info.first.offset.count();
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

}  // namespace

std::string format_utc_seconds(std::int64_t nanos) {
  return date::format("%FT%TZ", date::sys_seconds{seconds{floor_div(nanos, kNanosPerSecond)}});
}

}  // namespace internal

using internal::CompiledSchedule;
using internal::kNanosPerSecond;

Result<ScheduleExpression> ScheduleExpression::parse(std::string_view text,
                                                     std::string_view time_zone) {
  auto c = std::make_shared<CompiledSchedule>();
  c->text = std::string(text);
  c->zone_name = std::string(time_zone);
  try {
    c->zone = date::locate_zone(c->zone_name);
  } catch (const std::exception& e) {
    return invalid_argument_error("Invalid time zone \"" + c->zone_name + "\": " + e.what());
  }
  auto body_of = [&](std::string_view prefix) -> std::optional<std::string_view> {
    if (text.size() < prefix.size() + 1 || text.substr(0, prefix.size()) != prefix ||
        text.back() != ')') {
      return std::nullopt;
    }
    return text.substr(prefix.size(), text.size() - prefix.size() - 1);
  };
  if (auto body = body_of("rate(")) {
    c->kind = Kind::kRate;
    Result<std::int64_t> r = internal::parse_rate(*body);
    if (!r.ok()) return internal::expression_error(text, r.status().message());
    c->rate = *r;
  } else if (auto body = body_of("cron(")) {
    c->kind = Kind::kCron;
    Result<internal::CronSpec> spec = internal::parse_cron_fields(*body);
    if (!spec.ok()) return internal::expression_error(text, spec.status().message());
    c->cron = *spec;
    if (!internal::next_cron_minute(c->cron, 0)) {
      return internal::expression_error(
          text,
          "no date from 1970 to 2199 matches its day-of-month, month, day-of-week and "
          "year fields");
    }
  } else if (auto body = body_of("at(")) {
    c->kind = Kind::kAt;
    Result<std::int64_t> at = internal::parse_at(*body);
    if (!at.ok()) return internal::expression_error(text, at.status().message());
    c->at_local = *at;
  } else {
    return internal::expression_error(
        text, "expected rate(value unit), cron(fields) or at(yyyy-mm-ddThh:mm:ss)");
  }
  return ScheduleExpression(std::move(c));
}

ScheduleExpression::Kind ScheduleExpression::kind() const { return impl_->kind; }
const std::string& ScheduleExpression::text() const { return impl_->text; }
const std::string& ScheduleExpression::time_zone() const { return impl_->zone_name; }
std::int64_t ScheduleExpression::rate_interval() const {
  return impl_->kind == Kind::kRate ? impl_->rate : 0;
}

std::optional<std::int64_t> ScheduleExpression::next_after(std::int64_t after,
                                                           std::int64_t anchor) const {
  const CompiledSchedule& c = *impl_;
  switch (c.kind) {
    case Kind::kRate: {
      if (after < anchor) return anchor;
      // In unsigned arithmetic, and nothing after 2199 (as for cron and at): a large rate must
      // not overflow.
      const std::uint64_t diff =
          static_cast<std::uint64_t>(after) - static_cast<std::uint64_t>(anchor);
      const std::uint64_t rate = static_cast<std::uint64_t>(c.rate);
      const std::uint64_t k = diff / rate + 1;
      if (anchor > internal::kLastInstant) return std::nullopt;
      const std::uint64_t room =
          static_cast<std::uint64_t>(internal::kLastInstant) - static_cast<std::uint64_t>(anchor);
      if (k > room / rate) return std::nullopt;
      return static_cast<std::int64_t>(static_cast<std::uint64_t>(anchor) + k * rate);
    }
    case Kind::kAt: {
      std::optional<std::int64_t> t = internal::local_to_sys(c.zone, c.at_local, false);
      if (t && *t * kNanosPerSecond > after) return *t * kNanosPerSecond;
      return std::nullopt;
    }
    case Kind::kCron:
      break;
  }
  const std::int64_t after_s = internal::floor_div(after, kNanosPerSecond);
  const date::sys_seconds after_sys{std::chrono::seconds{after_s}};
  const std::int64_t local_s = c.zone->to_local(after_sys).time_since_epoch().count();
  std::int64_t start = internal::floor_div(local_s, 60) + 1;
  for (;;) {
    std::optional<std::int64_t> m = internal::next_cron_minute(c.cron, start);
    if (!m) return std::nullopt;
    std::optional<std::int64_t> t = internal::local_to_sys(c.zone, *m * 60, true);
    // A repeated local time fires at its first instant only: if that is already past, the
    // occurrence happened.
    if (t && *t * kNanosPerSecond > after) return *t * kNanosPerSecond;
    start = *m + 1;
  }
}

std::string ScheduleExpression::format_local(std::int64_t t) const {
  const date::sys_seconds s{std::chrono::seconds{internal::floor_div(t, kNanosPerSecond)}};
  date::sys_info info = impl_->zone->get_info(s);
  std::string local = date::format("%FT%T", impl_->zone->to_local(s));
  std::int64_t off = info.offset.count();
  char sign = off < 0 ? '-' : '+';
  if (off < 0) off = -off;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, static_cast<int>(off / 3600),
                static_cast<int>(off / 60 % 60));
  return local + buf;
}

}  // namespace stepwise
