// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Date/time built-ins: $now, $millis, $fromMillis and $toMillis with XPath F&O picture
// strings ([Y0001]-[M01]-[D01], names, ordinals, ISO weeks) and +hhmm time zones, following
// jsonata-js datetime.js. All calendar arithmetic is proleptic Gregorian in UTC.
#include <cmath>
#include <cstdlib>
#include <map>

#include "jsonata/evaluator.h"
#include "jsonata/format.h"
#include "jsonata/format_internal.h"
#include "jsonata/regex.h"
#include "util/utf8.h"

namespace stepwise::jsonata::internal {
namespace {
using stepwise::internal::utf8::from_u32;

constexpr double kMillisInDay = 86400000.0;
constexpr double kMillisInWeek = kMillisInDay * 7;

const char* kDays[] = {"",         "Monday", "Tuesday",  "Wednesday",
                       "Thursday", "Friday", "Saturday", "Sunday"};
const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                         "July",    "August",   "September", "October", "November", "December"};

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  auto yoe = static_cast<unsigned>(y - era * 400);
  unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  auto doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2 ? 1 : 0;
}

// Date.UTC with month overflow handling (month is 0-based).
double date_utc(double y, double mon, double d, double h = 0, double mi = 0, double s = 0,
                double ms = 0) {
  double ym = y + std::floor(mon / 12);
  double mn = std::fmod(mon, 12);
  if (mn < 0) mn += 12;
  double days = static_cast<double>(days_from_civil(static_cast<std::int64_t>(ym),
                                                    static_cast<unsigned>(mn) + 1, 1)) +
                d - 1;
  return days * kMillisInDay + h * 3600000.0 + mi * 60000.0 + s * 1000.0 + ms;
}

struct DateParts {
  double millis;
  std::int64_t year;
  unsigned month;  // 1..12
  unsigned day;
  int hour, minute, second, ms;
  int weekday;  // 1 = Monday .. 7 = Sunday
};

DateParts split(double millis) {
  DateParts p;
  p.millis = millis;
  double days = std::floor(millis / kMillisInDay);
  double rem = millis - days * kMillisInDay;
  civil_from_days(static_cast<std::int64_t>(days), p.year, p.month, p.day);
  auto r = static_cast<std::int64_t>(rem);
  p.hour = static_cast<int>(r / 3600000);
  p.minute = static_cast<int>(r / 60000 % 60);
  p.second = static_cast<int>(r / 1000 % 60);
  p.ms = static_cast<int>(r % 1000);
  auto wd = static_cast<int>((static_cast<std::int64_t>(days) % 7 + 7 + 3) %
                             7);  // 1970-01-01 was Thursday.
  p.weekday = wd + 1;
  return p;
}

double start_of_first_week(std::int64_t year, int month0) {
  double jan1 = date_utc(static_cast<double>(year), month0, 1);
  int day = split(jan1).weekday;
  return day > 4 ? jan1 + (8 - day) * kMillisInDay : jan1 - (day - 1) * kMillisInDay;
}

struct Marker {
  bool literal = true;
  std::string value;  // Literal text.
  char component = 0;
  std::string presentation1;
  std::string presentation2;
  int names = -1;  // -1 none, else IntegerFormat::Case.
  bool has_width = false;
  int width_min = -1;
  int width_max = -1;
  IntegerFormat integer_format;
  bool has_integer_format = false;
  int n = -1;
};

std::vector<Marker> analyse_datetime_picture(const std::string& picture) {
  std::vector<Marker> spec;
  auto add_literal = [&](std::size_t start, std::size_t end) {
    if (end > start) {
      std::string lit = picture.substr(start, end - start);
      std::string out;
      for (std::size_t i = 0; i < lit.size(); ++i) {
        out.push_back(lit[i]);
        if (lit[i] == ']' && i + 1 < lit.size() && lit[i + 1] == ']') ++i;
      }
      Marker m;
      m.value = out;
      spec.push_back(m);
    }
  };
  std::size_t start = 0;
  std::size_t pos = 0;
  while (pos < picture.size()) {
    if (picture[pos] == '[') {
      if (pos + 1 < picture.size() && picture[pos + 1] == '[') {
        add_literal(start, pos);
        Marker m;
        m.value = "[";
        spec.push_back(m);
        pos += 2;
        start = pos;
        continue;
      }
      add_literal(start, pos);
      start = pos;
      pos = picture.find(']', start);
      if (pos == std::string::npos) throw_value_error("D3135");
      std::string raw = picture.substr(start + 1, pos - start - 1);
      std::string marker;
      for (char c : raw) {
        if (!std::isspace(static_cast<unsigned char>(c))) marker.push_back(c);
      }
      Marker def;
      def.literal = false;
      def.component = marker.empty() ? '\0' : marker[0];
      std::size_t comma = marker.rfind(',');
      std::string pres;
      if (comma != std::string::npos) {
        std::string width = marker.substr(comma + 1);
        std::size_t dash = width.find('-');
        auto parse_width = [](const std::string& w) {
          return (w.empty() || w == "*") ? -1 : std::atoi(w.c_str());
        };
        def.has_width = true;
        if (dash == std::string::npos) {
          def.width_min = parse_width(width);
        } else {
          def.width_min = parse_width(width.substr(0, dash));
          def.width_max = parse_width(width.substr(dash + 1));
        }
        pres = marker.substr(1, comma - 1);
      } else {
        pres = marker.size() > 1 ? marker.substr(1) : "";
      }
      if (pres.size() == 1) {
        def.presentation1 = pres;
      } else if (pres.size() > 1) {
        char last = pres.back();
        if (std::string("atco").find(last) != std::string::npos) {
          def.presentation2 = std::string(1, last);
          def.presentation1 = pres.substr(0, pres.size() - 1);
        } else {
          def.presentation1 = pres;
        }
      } else {
        static const std::map<char, std::string> kDefaults = {
            {'Y', "1"},     {'M', "1"},     {'D', "1"},  {'d', "1"},  {'F', "n"},
            {'W', "1"},     {'w', "1"},     {'X', "1"},  {'x', "1"},  {'H', "1"},
            {'h', "1"},     {'P', "n"},     {'m', "01"}, {'s', "01"}, {'f', "1"},
            {'Z', "01:01"}, {'z', "01:01"}, {'C', "n"},  {'E', "n"}};
        auto it = kDefaults.find(def.component);
        if (it == kDefaults.end()) throw_value_error("D3132", std::string(1, def.component));
        def.presentation1 = it->second;
      }
      if (def.presentation1[0] == 'n') {
        def.names = IntegerFormat::kLower;
      } else if (def.presentation1[0] == 'N') {
        def.names = def.presentation1.size() > 1 && def.presentation1[1] == 'n'
                        ? IntegerFormat::kTitle
                        : IntegerFormat::kUpper;
      } else if (std::string("YMDdFWwXxHhmsf").find(def.component) != std::string::npos) {
        std::string pattern = def.presentation1;
        if (!def.presentation2.empty()) pattern += ";" + def.presentation2;
        def.integer_format = analyse_integer_picture(pattern);
        def.has_integer_format = true;
        if (def.has_width && def.width_min > 0 &&
            def.integer_format.mandatory_digits < def.width_min) {
          def.integer_format.mandatory_digits = def.width_min;
        }
        if (def.component != 'Y') {
          int w = def.integer_format.mandatory_digits + def.integer_format.optional_digits;
          if (w >= 2 && def.integer_format.primary == IntegerFormat::kDecimal) def.n = w;
        } else {
          def.n = -1;
          if (def.has_width && def.width_max > 0) {
            def.n = def.width_max;
            def.integer_format.mandatory_digits = def.n;
          } else {
            int w = def.integer_format.mandatory_digits + def.integer_format.optional_digits;
            if (w >= 2) def.n = w;
          }
        }
      }
      if (def.component == 'Z' || def.component == 'z') {
        def.integer_format = analyse_integer_picture(def.presentation1);
        def.has_integer_format = true;
      }
      spec.push_back(def);
      start = pos + 1;
    }
    ++pos;
  }
  add_literal(start, pos);
  return spec;
}

// Returns the component value; strings for names/'P'/'C'/'E' go to `text`.
double fragment(const DateParts& d, char component, std::string& text) {
  switch (component) {
    case 'Y':
      return static_cast<double>(d.year);
    case 'M':
      return d.month;
    case 'D':
      return d.day;
    case 'd':
      return (date_utc(static_cast<double>(d.year), d.month - 1, d.day) -
              date_utc(static_cast<double>(d.year), 0, 1)) /
                 kMillisInDay +
             1;
    case 'F':
      return d.weekday;
    case 'W': {
      double start1 = start_of_first_week(d.year, 0);
      double next = start_of_first_week(d.year + 1, 0);
      if (d.millis < start1)
        return std::floor((d.millis - start_of_first_week(d.year - 1, 0)) / kMillisInWeek) + 1;
      if (d.millis >= next) return std::floor((d.millis - next) / kMillisInWeek) + 1;
      return std::floor((d.millis - start1) / kMillisInWeek) + 1;
    }
    case 'w': {
      int m0 = static_cast<int>(d.month) - 1;
      double start1 = start_of_first_week(d.year, m0);
      std::int64_t ny = m0 == 11 ? d.year + 1 : d.year;
      double next = start_of_first_week(ny, (m0 + 1) % 12);
      if (d.millis < start1) {
        std::int64_t py = m0 == 0 ? d.year - 1 : d.year;
        return std::floor((d.millis - start_of_first_week(py, (m0 + 11) % 12)) / kMillisInWeek) + 1;
      }
      if (d.millis >= next) return 1;
      return std::floor((d.millis - start1) / kMillisInWeek) + 1;
    }
    case 'X': {
      double start1 = start_of_first_week(d.year, 0);
      double next = start_of_first_week(d.year + 1, 0);
      if (d.millis < start1) return static_cast<double>(d.year - 1);
      if (d.millis >= next) return static_cast<double>(d.year + 1);
      return static_cast<double>(d.year);
    }
    case 'x': {
      int m0 = static_cast<int>(d.month) - 1;
      double start1 = start_of_first_week(d.year, m0);
      std::int64_t ny = m0 == 11 ? d.year + 1 : d.year;
      double next = start_of_first_week(ny, (m0 + 1) % 12);
      if (d.millis < start1) return ((m0 + 11) % 12) + 1;
      if (d.millis >= next) return ((m0 + 1) % 12) + 1;
      return m0 + 1;
    }
    case 'H':
      return d.hour;
    case 'h': {
      int h = d.hour % 12;
      return h == 0 ? 12 : h;
    }
    case 'P':
      text = d.hour >= 12 ? "pm" : "am";
      return 0;
    case 'm':
      return d.minute;
    case 's':
      return d.second;
    case 'f':
      return d.ms;
    case 'C':
    case 'E':
      text = "ISO";
      return 0;
    default:
      return 0;
  }
}

std::string change_case(std::string s, bool up) {
  for (auto& c : s)
    c = static_cast<char>(up ? std::toupper(static_cast<unsigned char>(c))
                             : std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string format_datetime(double millis, const std::string* picture,
                            const std::string* timezone) {
  int offset_hours = 0;
  int offset_minutes = 0;
  if (timezone != nullptr) {
    int offset = std::atoi(timezone->c_str());
    offset_hours = static_cast<int>(std::floor(offset / 100.0));
    offset_minutes = offset % 100;
  }
  std::vector<Marker> spec = analyse_datetime_picture(
      picture != nullptr ? *picture : "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]");
  double offset_millis = (60.0 * offset_hours + offset_minutes) * 60000.0;
  DateParts d = split(millis + offset_millis);
  std::string result;
  for (const Marker& m : spec) {
    if (m.literal) {
      result += m.value;
      continue;
    }
    std::string text;
    double value = fragment(d, m.component, text);
    std::string out;
    if (std::string("YMDdFWwXxHhms").find(m.component) != std::string::npos) {
      if (m.component == 'Y' && m.n != -1) value = std::fmod(value, std::pow(10, m.n));
      if (m.names >= 0) {
        if (m.component == 'M' || m.component == 'x') {
          out = kMonths[static_cast<int>(value) - 1];
        } else if (m.component == 'F') {
          out = kDays[static_cast<int>(value)];
        } else {
          throw_value_error("D3133", std::string(1, m.component));
        }
        if (m.names == IntegerFormat::kUpper) out = change_case(out, true);
        if (m.names == IntegerFormat::kLower) out = change_case(out, false);
        if (m.has_width && m.width_max > 0 && static_cast<int>(out.size()) > m.width_max) {
          out = out.substr(0, static_cast<std::size_t>(m.width_max));
        }
      } else {
        out = format_integer_with(value, m.integer_format);
      }
    } else if (m.component == 'f') {
      out = format_integer_with(value, m.integer_format);
    } else if (m.component == 'Z' || m.component == 'z') {
      int offset = offset_hours * 100 + offset_minutes;
      if (m.integer_format.regular > 0) {
        out = format_integer_with(offset, m.integer_format);
      } else {
        int digits = m.integer_format.mandatory_digits;
        if (digits == 1 || digits == 2) {
          out = format_integer_with(offset_hours, m.integer_format);
          if (offset_minutes != 0) out += ":" + format_integer(offset_minutes, "00");
        } else if (digits == 3 || digits == 4) {
          out = format_integer_with(offset, m.integer_format);
        } else {
          throw_value_error("D3134", std::to_string(digits));
        }
      }
      if (offset >= 0) out = "+" + out;
      if (m.component == 'z') out = "GMT" + out;
      if (offset == 0 && m.presentation2 == "t") out = "Z";
    } else if (m.component == 'P') {
      out = text;
      if (m.names == IntegerFormat::kUpper) out = change_case(out, true);
    } else {
      out = text;
    }
    result += out;
  }
  return result;
}

std::string escape_regex(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::string(".*+?^${}()|[]\\/").find(c) != std::string::npos) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string integer_regex(const IntegerFormat& f, int n) {
  switch (f.primary) {
    case IntegerFormat::kLetters:
      return f.letter_case == IntegerFormat::kUpper ? "[A-Z]+" : "[a-z]+";
    case IntegerFormat::kRoman:
      return f.letter_case == IntegerFormat::kUpper ? "[MDCLXVI]+" : "[mdclxvi]+";
    case IntegerFormat::kWords: {
      static const char* kWords[] = {
          "zero",      "one",         "two",        "three",      "four",       "five",
          "six",       "seven",       "eight",      "nine",       "ten",        "eleven",
          "twelve",    "thirteen",    "fourteen",   "fifteen",    "sixteen",    "seventeen",
          "eighteen",  "nineteen",    "zeroth",     "first",      "second",     "third",
          "fourth",    "fifth",       "sixth",      "seventh",    "eighth",     "ninth",
          "tenth",     "eleventh",    "twelfth",    "thirteenth", "fourteenth", "fifteenth",
          "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twenty",     "twentieth",
          "thirty",    "thirtieth",   "forty",      "fortieth",   "fifty",      "fiftieth",
          "sixty",     "sixtieth",    "seventy",    "seventieth", "eighty",     "eightieth",
          "ninety",    "ninetieth",   "hundred",    "hundredth",  "thousand",   "thousandth",
          "million",   "millionth",   "billion",    "billionth",  "trillion",   "trillionth",
          "and"};
      std::string r = "(?:";
      for (const char* w : kWords) r += std::string(w) + "|";
      return r + "[\\-, ])+";
    }
    case IntegerFormat::kDecimal: {
      std::string occ = "+";
      if (n > 0) {
        occ = f.optional_digits == 0
                  ? "{" + std::to_string(n) + "}"
                  : "{" + std::to_string(n - f.optional_digits) + "," + std::to_string(n) + "}";
      }
      std::string r = "[0-9]" + occ;
      if (f.ordinal) r += "(?:th|st|nd|rd)";
      return r;
    }
    case IntegerFormat::kSequence:
      throw_value_error("D3130", f.token);
  }
  return "";
}

// The regular expression matching a timestamp written with `spec`: one group per marker.
std::string datetime_regex(const std::vector<Marker>& spec) {
  std::string regex = "^";
  for (const Marker& m : spec) {
    std::string r;
    if (m.literal) {
      r = escape_regex(m.value);
    } else if (m.component == 'Z' || m.component == 'z') {
      r = m.component == 'z' ? "GMT" : "";
      r += "[-+][0-9]+";
      if (m.integer_format.regular > 0) {
        r += escape_regex(from_u32(std::u32string(1, m.integer_format.separators[0].character))) +
             "[0-9]+";
      }
    } else if (m.has_integer_format) {
      r = integer_regex(m.integer_format, m.n);
    } else {
      if (m.component != 'M' && m.component != 'x' && m.component != 'F' && m.component != 'P') {
        throw_value_error("D3133", std::string(1, m.component));
      }
      r = "[a-zA-Z]+";
    }
    regex += "(" + r + ")";
  }
  return regex + "$";
}

// A time-zone offset as matched by `m` (e.g. "+0130", "GMT-05:00") in minutes.
double zone_offset_minutes(const Marker& m, const std::string& text) {
  std::string t = m.component == 'z' ? text.substr(3) : text;
  double oh = 0;
  double om = 0;
  if (m.integer_format.regular > 0) {
    std::string sep = from_u32(std::u32string(1, m.integer_format.separators[0].character));
    std::size_t p = t.find(sep);
    oh = std::atoi(t.substr(0, p).c_str());
    om = std::atoi(t.substr(p + sep.size()).c_str());
  } else if (t.size() - 1 <= 2) {
    oh = std::atoi(t.c_str());
  } else {
    oh = std::atoi(t.substr(0, 3).c_str());
    om = std::atoi(t.substr(3).c_str());
  }
  return oh * 60 + om;
}

// A month, day or AM/PM name as matched by `m`: its number, or NaN when it names none.
double name_component_value(const Marker& m, const std::string& text) {
  std::map<std::string, double> lookup;
  if (m.component == 'M' || m.component == 'x') {
    for (int k = 0; k < 12; ++k) {
      std::string name = kMonths[k];
      if (m.has_width && m.width_max > 0) {
        name = name.substr(0, static_cast<std::size_t>(m.width_max));
      }
      lookup[name] = k + 1;
    }
  } else if (m.component == 'F') {
    for (int k = 1; k < 8; ++k) {
      std::string name = kDays[k];
      if (m.has_width && m.width_max > 0) {
        name = name.substr(0, static_cast<std::size_t>(m.width_max));
      }
      lookup[name] = k;
    }
  } else if (m.component == 'P') {
    lookup = {{"am", 0}, {"AM", 0}, {"pm", 1}, {"PM", 1}};
  }
  auto it = lookup.find(text);
  return it == lookup.end() ? NAN : it->second;
}

// The value of one matched component.
double component_value(const Marker& m, const std::string& text) {
  if (m.component == 'Z' || m.component == 'z') return zone_offset_minutes(m, text);
  if (m.component == 'f' && m.has_integer_format &&
      m.integer_format.primary == IntegerFormat::kDecimal) {
    // Fractional seconds: the digits are a decimal fraction of a second.
    std::string ms = text.substr(0, 3);
    while (ms.size() < 3) ms.push_back('0');
    return std::atoi(ms.c_str());
  }
  if (m.has_integer_format) return parse_integer_with(text, m.integer_format);
  return name_component_value(m, text);
}

// Epoch milliseconds of the parsed components: the ones not given are taken from `now_millis`
// (before the first given one) or are the lowest value (after it).
double millis_from_components(std::map<char, double>& comps, double now_millis) {
  auto has = [&](char c) {
    auto it = comps.find(c);
    return it != comps.end() && it->second != 0 && !std::isnan(it->second);
  };
  int mask = 0;
  for (char c : std::string("YXMxWwdD")) mask = (mask << 1) | (has(c) ? 1 : 0);
  auto is_type = [&](int type) { return (~type & mask) == 0 && (type & mask) != 0; };
  bool date_a = is_type(161);
  bool date_b = !date_a && is_type(130);
  bool date_c = is_type(84);
  bool date_d = !date_c && is_type(72);
  mask = 0;
  for (char c : std::string("PHhmsf")) mask = (mask << 1) | (has(c) ? 1 : 0);
  bool time_a = is_type(23);
  bool time_b = !time_a && is_type(47);
  std::string date_comps = date_b ? "YD" : date_c ? "XxwF" : date_d ? "XWF" : "YMD";
  std::string time_comps = time_b ? "Phmsf" : "Hmsf";
  DateParts now = split(now_millis);
  bool start_specified = false;
  bool end_specified = false;
  for (char part : date_comps + time_comps) {
    if (comps.find(part) == comps.end()) {
      if (start_specified) {
        comps[part] = std::string("MDd").find(part) != std::string::npos ? 1 : 0;
        end_specified = true;
      } else {
        std::string text;
        comps[part] = fragment(now, part, text);
      }
    } else {
      start_specified = true;
      if (end_specified) throw_value_error("D3136");
    }
  }
  if (comps['M'] > 0) {
    comps['M'] -= 1;
  } else {
    comps['M'] = 0;
  }
  if (date_b) {
    double first = date_utc(comps['Y'], 0, 1);
    DateParts dd = split(first + (comps['d'] - 1) * kMillisInDay);
    comps['M'] = dd.month - 1;
    comps['D'] = dd.day;
  }
  if (date_c || date_d) throw_value_error("D3136");
  if (time_b) {
    comps['H'] = comps['h'] == 12 ? 0 : comps['h'];
    if (comps['P'] == 1) comps['H'] += 12;
  }
  double millis =
      date_utc(comps['Y'], comps['M'], comps['D'], comps['H'], comps['m'], comps['s'], comps['f']);
  double tz = 0;
  if (comps.count('Z') && comps['Z'] != 0)
    tz = comps['Z'];
  else if (comps.count('z') && comps['z'] != 0)
    tz = comps['z'];
  return millis - tz * 60000;
}

Value parse_datetime(const std::string& timestamp, const std::string& picture, double now_millis) {
  std::vector<Marker> spec = analyse_datetime_picture(picture);
  auto re = Regex::compile(datetime_regex(spec), "i", 0);
  Regex::Match match;
  if (!re->exec(timestamp, 0, match)) return Value();
  std::map<char, double> comps;
  for (std::size_t i = 0; i < spec.size(); ++i) {
    const Marker& m = spec[i];
    if (m.literal) continue;
    auto [gs, ge] = match.groups[i];
    std::string text = gs == std::string::npos ? "" : timestamp.substr(gs, ge - gs);
    comps[m.component] = component_value(m, text);
  }
  if (comps.empty()) return Value();
  return Value::number(millis_from_components(comps, now_millis));
}

// ISO 8601 timestamp → epoch millis (NaN when invalid).
bool parse_iso8601(const std::string& s, double& out) {
  std::size_t i = 0;
  auto digits = [&](std::size_t n, int& v) {
    if (i + n > s.size()) return false;
    v = 0;
    for (std::size_t k = 0; k < n; ++k) {
      if (!std::isdigit(static_cast<unsigned char>(s[i + k]))) return false;
      v = v * 10 + (s[i + k] - '0');
    }
    i += n;
    return true;
  };
  int y = 0, mo = 1, d = 1, h = 0, mi = 0, se = 0;
  double ms = 0;
  if (!digits(4, y)) return false;
  if (i < s.size() && s[i] == '-') {
    ++i;
    if (!digits(2, mo)) return false;
    if (i < s.size() && s[i] == '-') {
      ++i;
      if (!digits(2, d)) return false;
    }
  }
  if (i < s.size() && s[i] == 'T') {
    ++i;
    if (!digits(2, h) || i >= s.size() || s[i++] != ':' || !digits(2, mi)) return false;
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!digits(2, se)) return false;
    }
    if (i < s.size() && s[i] == '.') {
      ++i;
      std::size_t start = i;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      if (i == start) return false;
      ms = std::floor(std::strtod(("0." + s.substr(start, i - start)).c_str(), nullptr) * 1000 +
                      1e-9);
    }
  }
  double tz = 0;
  if (i < s.size()) {
    if (s[i] == 'Z') {
      ++i;
    } else if (s[i] == '+' || s[i] == '-') {
      int sign = s[i] == '-' ? -1 : 1;
      ++i;
      int th = 0, tm = 0;
      if (!digits(2, th)) return false;
      if (i < s.size() && s[i] == ':') ++i;
      if (!digits(2, tm)) return false;
      tz = sign * (th * 60 + tm);
    } else {
      return false;
    }
  }
  if (i != s.size()) return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || se > 59) {
    out = NAN;
    return true;
  }
  out = date_utc(y, mo - 1, d, h, mi, se, ms) - tz * 60000;
  return true;
}

}  // namespace

Value fn_millis(Evaluator& ev, std::vector<Value>&, const Value&, Frame*) {
  return Value::number(ev.ctx().now_millis);
}

Value fn_now(Evaluator& ev, std::vector<Value>& args, const Value&, Frame*) {
  const Value* pic = !args.empty() && args[0].is_string() ? &args[0] : nullptr;
  const Value* tz = args.size() > 1 && args[1].is_string() ? &args[1] : nullptr;
  return Value::string(
      format_datetime(ev.ctx().now_millis, pic ? &pic->str() : nullptr, tz ? &tz->str() : nullptr));
}

Value fn_from_millis(Evaluator&, std::vector<Value>& args, const Value&, Frame*) {
  if (args.empty() || args[0].is_undefined()) return Value();
  const Value* pic = args.size() > 1 && args[1].is_string() ? &args[1] : nullptr;
  const Value* tz = args.size() > 2 && args[2].is_string() ? &args[2] : nullptr;
  return Value::string(
      format_datetime(args[0].num(), pic ? &pic->str() : nullptr, tz ? &tz->str() : nullptr));
}

Value fn_to_millis(Evaluator& ev, std::vector<Value>& args, const Value&, Frame*) {
  if (args.empty() || args[0].is_undefined()) return Value();
  const std::string& ts = args[0].str();
  if (args.size() > 1 && args[1].is_string())
    return parse_datetime(ts, args[1].str(), ev.ctx().now_millis);
  double out = 0;
  if (!parse_iso8601(ts, out)) throw_value_error("D3110", "\"" + ts + "\"");
  if (std::isnan(out)) return Value();
  return Value::number(out);
}

}  // namespace stepwise::jsonata::internal
