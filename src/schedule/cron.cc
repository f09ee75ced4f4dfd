// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// EventBridge cron fields (cron.h). The wildcards each field accepts follow the table of
// AWS's "Cron expressions reference" (EventBridge user guide): minutes and hours `, - * /`,
// day-of-month `, - * ? / L W`, month `, - * /`, day-of-week `, - * ? L #`, year `, - * /`.
// `L`, `LW`, `nW`, `nL` and `n#k` stand alone in their field (as in Quartz, whose syntax AWS
// follows); a range must go upwards.
#include "schedule/cron.h"

#include <date/date.h>

#include <array>
#include <cctype>
#include <charconv>
#include <string>
#include <vector>

namespace stepwise::internal {
namespace {

constexpr std::array<std::string_view, 12> kMonthNames = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<std::string_view, 7> kDayNames = {"SUN", "MON", "TUE", "WED",
                                                       "THU", "FRI", "SAT"};

struct FieldInfo {
  const char* name;
  int min;
  int max;
  bool allow_step;
  const std::string_view* names;  // value `min + i` is names[i]; null when the field has none
  std::size_t name_count;
};

Status field_error(const FieldInfo& f, std::string what, std::string_view token) {
  return invalid_argument_error(std::string(f.name) + " field: " + what + " '" +
                                std::string(token) + "'");
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// One value: a number in range or a name.
Result<int> parse_value(const FieldInfo& f, std::string_view text, std::string_view token) {
  if (text.empty()) return field_error(f, "missing value in", token);
  if (std::isdigit(static_cast<unsigned char>(text[0]))) {
    int v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size()) {
      return field_error(f, "invalid number", token);
    }
    if (v < f.min || v > f.max) {
      return field_error(f,
                         "value " + std::string(text) + " is out of range " +
                             std::to_string(f.min) + "-" + std::to_string(f.max) + " in",
                         token);
    }
    return v;
  }
  if (f.names != nullptr) {
    std::string u = upper(text);
    for (std::size_t i = 0; i < f.name_count; ++i) {
      if (f.names[i] == u) return f.min + static_cast<int>(i);
    }
    return field_error(
        f, std::string(f.names == kDayNames.data() ? "unknown day name" : "unknown month name"),
        token);
  }
  return field_error(f, "invalid value", token);
}

// A list of items `*`, `v`, `a-b`, each optionally `/step`. Sets bits `value - min` of `out`.
Status parse_list(const FieldInfo& f, std::string_view field, std::vector<bool>& out) {
  out.assign(static_cast<std::size_t>(f.max - f.min + 1), false);
  std::size_t pos = 0;
  while (pos <= field.size()) {
    std::size_t comma = field.find(',', pos);
    std::string_view item =
        field.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    if (item.empty()) return field_error(f, "empty list item in", field);
    std::string_view base = item;
    int step = 0;
    if (std::size_t slash = item.find('/'); slash != std::string_view::npos) {
      if (!f.allow_step) return field_error(f, "'/' is not allowed in", item);
      base = item.substr(0, slash);
      std::string_view s = item.substr(slash + 1);
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), step);
      if (s.empty() || ec != std::errc() || end != s.data() + s.size() || step < 1 ||
          step > f.max) {
        return field_error(f, "invalid increment", item);
      }
    }
    int lo = f.min, hi = f.max;
    if (base != "*") {
      std::size_t dash = base.find('-');
      Result<int> a = parse_value(f, base.substr(0, dash), item);
      if (!a.ok()) return a.status();
      lo = *a;
      hi = step > 0 ? f.max : lo;
      if (dash != std::string_view::npos) {
        Result<int> b = parse_value(f, base.substr(dash + 1), item);
        if (!b.ok()) return b.status();
        if (*b < lo) return field_error(f, "range goes downwards in", item);
        hi = *b;
      }
    }
    for (int v = lo; v <= hi; v += step > 0 ? step : 1)
      out[static_cast<std::size_t>(v - f.min)] = true;
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return {};
}

template <std::size_t N>
Status parse_into(const FieldInfo& f, std::string_view field, std::bitset<N>& bits, int offset) {
  std::vector<bool> values;
  STEPWISE_RETURN_IF_ERROR(parse_list(f, field, values));
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i]) bits.set(i + static_cast<std::size_t>(offset));
  }
  return {};
}

const FieldInfo kMinutes{"minutes", 0, 59, true, nullptr, 0};
const FieldInfo kHours{"hours", 0, 23, true, nullptr, 0};
const FieldInfo kDayOfMonth{"day-of-month", 1, 31, true, nullptr, 0};
const FieldInfo kMonth{"month", 1, 12, true, kMonthNames.data(), kMonthNames.size()};
const FieldInfo kDayOfWeek{"day-of-week", 1, 7, false, kDayNames.data(), kDayNames.size()};
const FieldInfo kYear{"year", kCronFirstYear, kCronLastYear, true, nullptr, 0};

Status parse_day_of_month(std::string_view field, CronSpec& spec) {
  const FieldInfo& f = kDayOfMonth;
  std::string u = upper(field);
  if (u == "?") {
    spec.dom_any = true;
  } else if (u == "L") {
    spec.dom_last = true;
  } else if (u == "LW") {
    spec.dom_last_weekday = true;
  } else if (u.size() > 1 && u.back() == 'W') {
    Result<int> v = parse_value(f, std::string_view(field).substr(0, field.size() - 1), field);
    if (!v.ok()) return v.status();
    spec.dom_nearest_weekday = *v;
  } else if (u.find_first_of("LW?") != std::string::npos) {
    return field_error(f, "L, W and ? must stand alone (L, LW, nW or ?), not in", field);
  } else {
    return parse_into(f, field, spec.dom, 1);
  }
  return {};
}

Status parse_day_of_week(std::string_view field, CronSpec& spec) {
  const FieldInfo& f = kDayOfWeek;
  std::string u = upper(field);
  if (u == "?") {
    spec.dow_any = true;
    return {};
  }
  if (u == "L") {  // the last day of the week: Saturday
    spec.dow.set(7);
    return {};
  }
  if (std::size_t hash = u.find('#'); hash != std::string::npos) {
    if (u.find(',') != std::string::npos) {
      return field_error(f, "only one expression is allowed with '#', not", field);
    }
    Result<int> day = parse_value(f, field.substr(0, hash), field);
    if (!day.ok()) return day.status();
    std::string_view k = field.substr(hash + 1);
    if (k.size() != 1 || k[0] < '1' || k[0] > '5') {
      return field_error(f, "the week number after '#' must be 1-5 in", field);
    }
    spec.dow_nth_day = *day;
    spec.dow_nth = k[0] - '0';
    return {};
  }
  if (u.size() > 1 && u.back() == 'L') {
    if (u.find_first_of(",-*") != std::string::npos) {
      return field_error(f, "nL must stand alone, not in", field);
    }
    Result<int> day = parse_value(f, field.substr(0, field.size() - 1), field);
    if (!day.ok()) return day.status();
    spec.dow_last = *day;
    return {};
  }
  if (u.find_first_of("?") != std::string::npos) {
    return field_error(f, "? must stand alone, not in", field);
  }
  return parse_into(f, field, spec.dow, 1);
}

unsigned last_day(int y, unsigned m) {
  return static_cast<unsigned>((date::year(y) / date::month(m) / date::last).day());
}

// 1 = Sunday ... 7 = Saturday.
unsigned weekday_of(int y, unsigned m, unsigned d) {
  return date::weekday(date::sys_days(date::year(y) / date::month(m) / date::day(d))).c_encoding() +
         1;
}

// The weekday (Monday-Friday) nearest to day `n`, within the month.
unsigned nearest_weekday(int y, unsigned m, unsigned n, unsigned last) {
  unsigned w = weekday_of(y, m, n);
  if (w == 7) return n == 1 ? 3 : n - 1;         // Saturday: Friday, or Monday the 3rd
  if (w == 1) return n == last ? n - 2 : n + 1;  // Sunday: Monday, or Friday before the end
  return n;
}

}  // namespace

Result<CronSpec> parse_cron_fields(std::string_view fields) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i < fields.size()) {
    while (i < fields.size() && fields[i] == ' ') ++i;
    if (i >= fields.size()) break;
    std::size_t j = fields.find(' ', i);
    if (j == std::string_view::npos) j = fields.size();
    parts.push_back(fields.substr(i, j - i));
    i = j;
  }
  if (parts.size() != 6) {
    return invalid_argument_error(
        "a cron expression has six fields (minutes hours day-of-month month day-of-week year), "
        "not " +
        std::to_string(parts.size()));
  }
  CronSpec spec;
  STEPWISE_RETURN_IF_ERROR(parse_into(kMinutes, parts[0], spec.minutes, 0));
  STEPWISE_RETURN_IF_ERROR(parse_into(kHours, parts[1], spec.hours, 0));
  STEPWISE_RETURN_IF_ERROR(parse_day_of_month(parts[2], spec));
  STEPWISE_RETURN_IF_ERROR(parse_into(kMonth, parts[3], spec.months, 1));
  STEPWISE_RETURN_IF_ERROR(parse_day_of_week(parts[4], spec));
  STEPWISE_RETURN_IF_ERROR(parse_into(kYear, parts[5], spec.years, 0));
  if (spec.dom_any == spec.dow_any) {
    return invalid_argument_error(
        spec.dom_any ? "day-of-month and day-of-week cannot both be ?; set one of them"
                     : "day-of-month and day-of-week cannot both be set; use ? in one of them");
  }
  return spec;
}

bool cron_date_matches(const CronSpec& spec, int year, unsigned month, unsigned day) {
  if (year < kCronFirstYear || year > kCronLastYear) return false;
  if (!spec.years.test(static_cast<std::size_t>(year - kCronFirstYear))) return false;
  if (!spec.months.test(month)) return false;
  const unsigned last = last_day(year, month);
  if (day > last) return false;
  if (spec.dow_any) {  // the day-of-month field decides
    if (spec.dom_last) return day == last;
    if (spec.dom_last_weekday) return day == nearest_weekday(year, month, last, last);
    if (spec.dom_nearest_weekday > 0) {
      const unsigned n = static_cast<unsigned>(spec.dom_nearest_weekday);
      return n <= last && day == nearest_weekday(year, month, n, last);
    }
    return spec.dom.test(day);
  }
  const unsigned w = weekday_of(year, month, day);
  if (spec.dow_last > 0) return w == static_cast<unsigned>(spec.dow_last) && day + 7 > last;
  if (spec.dow_nth > 0) {
    return w == static_cast<unsigned>(spec.dow_nth_day) &&
           (day - 1) / 7 + 1 == static_cast<unsigned>(spec.dow_nth);
  }
  return spec.dow.test(w);
}

std::optional<std::int64_t> next_cron_minute(const CronSpec& spec, std::int64_t start) {
  std::int64_t days = start >= 0 ? start / 1440 : -((-start + 1439) / 1440);
  int minute_of_day = static_cast<int>(start - days * 1440);
  if (days < 0) {  // before 1970: start at the first minute of 1970
    days = 0;
    minute_of_day = 0;
  }
  int h = minute_of_day / 60, mi = minute_of_day % 60;
  date::year_month_day ymd{date::sys_days{date::days{days}}};
  int y = static_cast<int>(ymd.year());
  unsigned m = static_cast<unsigned>(ymd.month()), d = static_cast<unsigned>(ymd.day());
  auto next_day = [&] {
    h = 0;
    mi = 0;
    if (++d > last_day(y, m)) {
      d = 1;
      if (++m > 12) {
        m = 1;
        ++y;
      }
    }
  };
  while (y <= kCronLastYear) {
    if (y < kCronFirstYear || !cron_date_matches(spec, y, m, d)) {
      // Whole years and months are skipped at once when their field excludes them.
      if (y >= kCronFirstYear && !spec.years.test(static_cast<std::size_t>(y - kCronFirstYear))) {
        ++y;
        m = 1;
        d = 1;
        h = mi = 0;
      } else if (!spec.months.test(m)) {
        d = last_day(y, m);
        next_day();
      } else {
        next_day();
      }
      continue;
    }
    while (h < 24 && !spec.hours.test(static_cast<std::size_t>(h))) {
      ++h;
      mi = 0;
    }
    while (h < 24 && mi < 60 && !spec.minutes.test(static_cast<std::size_t>(mi))) ++mi;
    if (h >= 24) {
      next_day();
      continue;
    }
    if (mi >= 60) {
      ++h;
      mi = 0;
      if (h >= 24) next_day();
      continue;
    }
    std::int64_t day_number =
        date::sys_days(date::year(y) / date::month(m) / date::day(d)).time_since_epoch().count();
    return day_number * 1440 + h * 60 + mi;
  }
  return std::nullopt;
}

}  // namespace stepwise::internal
