// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Number formatting with XPath F&O 3.1 picture strings: $formatNumber (decimal formats),
// $formatInteger / $parseInteger (integer pictures, words, roman numerals, letters) and
// $formatBase. Pictures are processed as code points so non-ASCII digit families work.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <string>

#include "jsonata/evaluator.h"
#include "jsonata/format.h"
#include "jsonata/format_internal.h"
#include "util/utf8.h"

namespace stepwise::jsonata::internal {

using stepwise::internal::utf8::from_u32;
using stepwise::internal::utf8::to_u32;

namespace {

const char32_t kDecimalGroups[] = {0x30,   0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6,
                                   0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0,
                                   0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
                                   0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900,
                                   0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10};

const char* kFew[] = {"Zero",    "One",     "Two",       "Three",    "Four",
                      "Five",    "Six",     "Seven",     "Eight",    "Nine",
                      "Ten",     "Eleven",  "Twelve",    "Thirteen", "Fourteen",
                      "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"};
const char* kOrdinals[] = {"Zeroth",    "First",     "Second",      "Third",      "Fourth",
                           "Fifth",     "Sixth",     "Seventh",     "Eighth",     "Ninth",
                           "Tenth",     "Eleventh",  "Twelfth",     "Thirteenth", "Fourteenth",
                           "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth"};
const char* kDecades[] = {"Twenty",  "Thirty", "Forty",  "Fifty",  "Sixty",
                          "Seventy", "Eighty", "Ninety", "Hundred"};
const char* kMagnitudes[] = {"Thousand", "Million", "Billion", "Trillion"};

std::string number_to_words(double num, bool prev, bool ord) {
  std::string words;
  if (num <= 19) {
    words = std::string(prev ? " and " : "") +
            (ord ? kOrdinals[static_cast<int>(num)] : kFew[static_cast<int>(num)]);
  } else if (num < 100) {
    int tens = static_cast<int>(num / 10);
    int rem = static_cast<int>(std::fmod(num, 10));
    words = std::string(prev ? " and " : "") + kDecades[tens - 2];
    if (rem > 0) {
      words += "-" + number_to_words(rem, false, ord);
    } else if (ord) {
      words = words.substr(0, words.size() - 1) + "ieth";
    }
  } else if (num < 1000) {
    int hundreds = static_cast<int>(num / 100);
    double rem = std::fmod(num, 100);
    words = std::string(prev ? ", " : "") + kFew[hundreds] + " Hundred";
    if (rem > 0) {
      words += number_to_words(rem, true, ord);
    } else if (ord) {
      words += "th";
    }
  } else {
    int mag = static_cast<int>(std::floor(std::log10(num) / 3));
    if (mag > 4) mag = 4;
    double factor = std::pow(10, mag * 3);
    double mant = std::floor(num / factor);
    double rem = num - mant * factor;
    words = std::string(prev ? ", " : "") + number_to_words(mant, false, false) + " " +
            kMagnitudes[mag - 1];
    if (rem > 0) {
      words += number_to_words(rem, true, ord);
    } else if (ord) {
      words += "th";
    }
  }
  return words;
}

std::string to_roman(double value) {
  static const std::pair<int, const char*> kRoman[] = {
      {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
      {40, "xl"},  {10, "x"},   {9, "ix"},  {5, "v"},    {4, "iv"},  {1, "i"}};
  std::string out;
  for (;;) {
    bool found = false;
    for (const auto& [v, s] : kRoman) {
      if (value >= v) {
        out += s;
        value -= v;
        found = true;
        break;
      }
    }
    if (!found) break;
  }
  return out;
}

std::string to_letters(double value, char a) {
  std::string out;
  while (value > 0) {
    out.insert(out.begin(), static_cast<char>(std::fmod(value - 1, 26) + a));
    value = std::floor((value - 1) / 26);
  }
  return out;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}
std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

IntegerFormat analyse_integer_picture(const std::string& picture) {
  IntegerFormat f;
  std::string primary = picture;
  std::size_t semicolon = picture.rfind(';');
  if (semicolon != std::string::npos) {
    primary = picture.substr(0, semicolon);
    std::string modifier = picture.substr(semicolon + 1);
    if (!modifier.empty() && modifier[0] == 'o') f.ordinal = true;
  }
  if (primary == "A") {
    f.primary = IntegerFormat::kLetters;
    f.letter_case = IntegerFormat::kUpper;
  } else if (primary == "a") {
    f.primary = IntegerFormat::kLetters;
  } else if (primary == "I") {
    f.primary = IntegerFormat::kRoman;
    f.letter_case = IntegerFormat::kUpper;
  } else if (primary == "i") {
    f.primary = IntegerFormat::kRoman;
  } else if (primary == "W") {
    f.primary = IntegerFormat::kWords;
    f.letter_case = IntegerFormat::kUpper;
  } else if (primary == "Ww") {
    f.primary = IntegerFormat::kWords;
    f.letter_case = IntegerFormat::kTitle;
  } else if (primary == "w") {
    f.primary = IntegerFormat::kWords;
  } else {
    std::u32string cps = to_u32(primary);
    std::reverse(cps.begin(), cps.end());
    bool have_zero = false;
    int separator_position = 0;
    std::vector<GroupSep> seps;
    for (char32_t cp : cps) {
      bool digit = false;
      for (char32_t group : kDecimalGroups) {
        if (cp >= group && cp <= group + 9) {
          digit = true;
          f.mandatory_digits++;
          separator_position++;
          if (!have_zero) {
            f.zero_code = group;
            have_zero = true;
          } else if (group != f.zero_code) {
            throw_value_error("D3131");
          }
          break;
        }
      }
      if (!digit) {
        if (cp == U'#') {
          separator_position++;
          f.optional_digits++;
        } else {
          seps.push_back(GroupSep{separator_position, cp});
        }
      }
    }
    if (f.mandatory_digits > 0) {
      f.primary = IntegerFormat::kDecimal;
      f.separators = seps;
      // Regular grouping: one separator character at multiples of a fixed position.
      if (!seps.empty()) {
        bool same = std::all_of(seps.begin(), seps.end(), [&](const GroupSep& s) {
          return s.character == seps[0].character;
        });
        if (same) {
          int factor = 0;
          for (const auto& s : seps) factor = std::gcd(factor, s.position);
          bool regular = true;
          for (std::size_t k = 1; k <= seps.size(); ++k) {
            bool found = std::any_of(seps.begin(), seps.end(), [&](const GroupSep& s) {
              return s.position == static_cast<int>(k) * factor;
            });
            if (!found) regular = false;
          }
          if (regular) f.regular = factor;
        }
      }
    } else {
      f.primary = IntegerFormat::kSequence;
      f.token = primary;
    }
  }
  return f;
}

std::string format_integer_with(double value, const IntegerFormat& f) {
  bool negative = value < 0;
  value = std::fabs(value);
  std::string out;
  switch (f.primary) {
    case IntegerFormat::kLetters:
      out = to_letters(value, f.letter_case == IntegerFormat::kUpper ? 'A' : 'a');
      break;
    case IntegerFormat::kRoman:
      out = to_roman(value);
      if (f.letter_case == IntegerFormat::kUpper) out = upper(out);
      break;
    case IntegerFormat::kWords:
      out = number_to_words(value, false, f.ordinal);
      if (f.letter_case == IntegerFormat::kUpper) out = upper(out);
      if (f.letter_case == IntegerFormat::kLower) out = lower(out);
      break;
    case IntegerFormat::kDecimal: {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%.0f", value);
      std::u32string digits = to_u32(buf);
      if (static_cast<int>(digits.size()) < f.mandatory_digits) {
        digits.insert(0, static_cast<std::size_t>(f.mandatory_digits) - digits.size(), U'0');
      }
      if (f.zero_code != U'0') {
        for (auto& c : digits) c = c - U'0' + f.zero_code;
      }
      if (f.regular > 0) {
        char32_t sep = f.separators[0].character;
        int n = (static_cast<int>(digits.size()) - 1) / f.regular;
        for (int ii = n; ii > 0; --ii) {
          std::size_t pos = digits.size() - static_cast<std::size_t>(ii * f.regular);
          digits.insert(pos, 1, sep);
        }
      } else {
        std::vector<GroupSep> rev(f.separators.rbegin(), f.separators.rend());
        for (const auto& s : rev) {
          if (static_cast<std::size_t>(s.position) > digits.size()) continue;
          std::size_t pos = digits.size() - static_cast<std::size_t>(s.position);
          digits.insert(pos, 1, s.character);
        }
      }
      out = from_u32(digits);
      if (f.ordinal) {
        char last = out.empty() ? '0' : out.back();
        const char* suffix = last == '1' ? "st" : last == '2' ? "nd" : last == '3' ? "rd" : "th";
        if (out.size() > 1 && out[out.size() - 2] == '1') suffix = "th";
        out += suffix;
      }
      break;
    }
    case IntegerFormat::kSequence:
      throw_value_error("D3130", f.token);
  }
  if (negative) out = "-" + out;
  return out;
}

std::string format_integer(double value, const std::string& picture) {
  return format_integer_with(std::floor(value), analyse_integer_picture(picture));
}

namespace {

double words_to_number(const std::string& text) {
  static const std::unordered_map<std::string, double> kValues = [] {
    std::unordered_map<std::string, double> m;
    for (int i = 0; i < 20; ++i) {
      m[lower(kFew[i])] = i;
      m[lower(kOrdinals[i])] = i;
    }
    for (int i = 0; i < 9; ++i) {
      std::string w = lower(kDecades[i]);
      m[w] = (i + 2) * 10;
      m[w.substr(0, w.size() - 1) + "ieth"] = (i + 2) * 10;
    }
    m["hundredth"] = 100;
    for (int i = 0; i < 4; ++i) {
      std::string w = lower(kMagnitudes[i]);
      m[w] = std::pow(10, (i + 1) * 3);
      m[w + "th"] = std::pow(10, (i + 1) * 3);
    }
    return m;
  }();
  // Split on ", ", " and ", whitespace and '-'.
  std::vector<std::string> parts;
  std::string cur;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ',' && i + 1 < text.size() && std::isspace(static_cast<unsigned char>(text[i + 1]))) {
      parts.push_back(cur);
      cur.clear();
      ++i;
    } else if (std::isspace(static_cast<unsigned char>(c)) && text.compare(i, 5, " and ") == 0) {
      parts.push_back(cur);
      cur.clear();
      i += 4;
    } else if (std::isspace(static_cast<unsigned char>(c)) || c == '-' || c == '\\') {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  parts.push_back(cur);
  std::vector<double> segs{0};
  for (const auto& p : parts) {
    auto it = kValues.find(p);
    double value = it == kValues.end() ? NAN : it->second;
    if (value < 100) {
      double top = segs.back();
      segs.pop_back();
      if (top >= 1000) {
        segs.push_back(top);
        top = 0;
      }
      segs.push_back(top + value);
    } else {
      double top = segs.back();
      segs.pop_back();
      segs.push_back(top * value);
    }
  }
  double total = 0;
  for (double s : segs) total += s;
  return total;
}

}  // namespace

double parse_integer_with(const std::string& value, const IntegerFormat& f) {
  switch (f.primary) {
    case IntegerFormat::kLetters: {
      char a = f.letter_case == IntegerFormat::kUpper ? 'A' : 'a';
      double d = 0;
      for (std::size_t i = 0; i < value.size(); ++i) {
        d += (value[value.size() - i - 1] - a + 1) * std::pow(26, static_cast<double>(i));
      }
      return d;
    }
    case IntegerFormat::kRoman: {
      std::string r = upper(value);
      double decimal = 0;
      double max = 1;
      for (std::size_t i = r.size(); i-- > 0;) {
        double v = 0;
        switch (r[i]) {
          case 'M':
            v = 1000;
            break;
          case 'D':
            v = 500;
            break;
          case 'C':
            v = 100;
            break;
          case 'L':
            v = 50;
            break;
          case 'X':
            v = 10;
            break;
          case 'V':
            v = 5;
            break;
          case 'I':
            v = 1;
            break;
          default:
            v = NAN;
        }
        if (v < max) {
          decimal -= v;
        } else {
          max = v;
          decimal += v;
        }
      }
      return decimal;
    }
    case IntegerFormat::kWords:
      return words_to_number(lower(value));
    case IntegerFormat::kDecimal: {
      std::u32string digits = to_u32(value);
      if (f.ordinal && digits.size() >= 2) digits.resize(digits.size() - 2);
      std::u32string clean;
      for (char32_t c : digits) {
        bool sep = std::any_of(f.separators.begin(), f.separators.end(),
                               [&](const GroupSep& s) { return s.character == c; });
        if (!sep)
          clean.push_back(f.zero_code != U'0' && c >= f.zero_code && c <= f.zero_code + 9
                              ? c - f.zero_code + U'0'
                              : c);
      }
      std::string ascii = from_u32(clean);
      if (ascii.empty() || !std::isdigit(static_cast<unsigned char>(ascii[0]))) return NAN;
      return std::strtod(ascii.c_str(), nullptr);
    }
    case IntegerFormat::kSequence:
      throw_value_error("D3130", f.token);
  }
  return NAN;
}

namespace {

// The picture string, argument `i`. The signatures declare it a string, but (as in jsonata-js,
// where any argument may be undefined) an undefined value gets through them, and jsonata-js
// then fails with an uncoded JavaScript TypeError; this reports T0410 for that argument.
const std::string& picture_arg(const std::vector<Value>& a, std::size_t i) {
  if (i >= a.size() || !a[i].is_string()) throw_value_error("T0410", "", std::to_string(i + 1));
  return a[i].str();
}

}  // namespace

Value fn_format_integer(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  if (a.empty() || a[0].is_undefined()) return Value();
  return Value::string(format_integer(a[0].num(), picture_arg(a, 1)));
}

Value fn_parse_integer(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  if (a.empty() || a[0].is_undefined()) return Value();
  return Value::number(parse_integer_with(a[0].str(), analyse_integer_picture(picture_arg(a, 1))));
}

namespace {

// `v` times 10^places, by moving the decimal point in its shortest decimal text.
double shift_decimal(double v, int places) {
  std::string s = js_number_to_string(v);
  std::size_t e = s.find('e');
  int exp = places;
  std::string mant = s;
  if (e != std::string::npos) {
    mant = s.substr(0, e);
    exp += std::atoi(s.c_str() + e + 1);
  }
  return std::strtod((mant + "e" + std::to_string(exp)).c_str(), nullptr);
}

}  // namespace

double round_half_even(double value, int precision) {
  double x = precision != 0 ? shift_decimal(value, precision) : value;
  double r = std::floor(x + 0.5);
  if (std::fabs(r - x) == 0.5 && std::fabs(std::fmod(r, 2)) == 1) r -= 1;
  if (precision != 0) r = shift_decimal(r, -precision);
  return r == 0 ? 0 : r;
}

Value fn_format_base(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  if (a.empty() || a[0].is_undefined()) return Value();
  double value = round_half_even(a[0].num(), 0);
  double radix = a.size() > 1 && a[1].is_number() ? round_half_even(a[1].num(), 0) : 10;
  if (radix < 2 || radix > 36) throw_value_error("D3100", js_number_to_string(radix));
  bool neg = value < 0;
  double v = std::fabs(value);
  std::string out;
  const char* digits = "0123456789abcdefghijklmnopqrstuvwxyz";
  if (v == 0) out = "0";
  while (v >= 1) {
    double d = std::fmod(v, radix);
    out.insert(out.begin(), digits[static_cast<int>(d)]);
    v = std::floor(v / radix);
  }
  if (neg) out = "-" + out;
  return Value::string(out);
}

// ---- $formatNumber ----

namespace {

struct PictureParts {
  std::u32string prefix, suffix, active, mantissa, integer, fractional, subpicture;
  bool has_exponent = false;
  std::u32string exponent;
};

struct PictureVars {
  std::vector<int> integer_grouping;
  int regular_grouping = 0;
  int min_integer = 0;
  int scaling = 0;
  std::u32string prefix, suffix, picture, fractional;
  std::vector<int> fractional_grouping;
  int min_fraction = 0;
  int max_fraction = 0;
  int min_exponent = 0;
};

}  // namespace

namespace {

// The decimal-format properties that matter here (others, such as "infinity", are accepted
// and ignored). Plain fields: building a map per call dominated short evaluations.
struct DecimalFormat {
  char32_t zero = U'0';
  char32_t decimal_sep = U'.';
  char32_t group_sep = U',';
  char32_t exp_sep = U'e';
  char32_t digit = U'#';
  char32_t pattern_sep = U';';
  char32_t percent = U'%';
  char32_t permille = U'\u2030';
  std::u32string minus = U"-";

  bool is_digit_family(char32_t c) const { return c >= zero && c < zero + 10; }
  bool is_digit_or_optional(char32_t c) const { return is_digit_family(c) || c == digit; }
  bool is_active(char32_t c) const {
    return is_digit_family(c) || c == decimal_sep || c == exp_sep || c == group_sep || c == digit ||
           c == pattern_sep;
  }
};

// The third argument of $formatNumber over the defaults.
DecimalFormat read_decimal_format(const std::vector<Value>& a) {
  DecimalFormat f;
  if (a.size() <= 2 || !a[2].is_object()) return f;
  for (const auto& e : a[2].obj().entries) {
    if (!e.second.is_string()) continue;
    std::u32string v = to_u32(e.second.str());
    char32_t c = v.empty() ? U'\0' : v[0];
    const std::string& k = e.first;
    if (k == "zero-digit")
      f.zero = c;
    else if (k == "decimal-separator")
      f.decimal_sep = c;
    else if (k == "grouping-separator")
      f.group_sep = c;
    else if (k == "exponent-separator")
      f.exp_sep = c;
    else if (k == "digit")
      f.digit = c;
    else if (k == "pattern-separator")
      f.pattern_sep = c;
    else if (k == "percent")
      f.percent = c;
    else if (k == "per-mille")
      f.permille = c;
    else if (k == "minus-sign")
      f.minus = std::move(v);
  }
  return f;
}

template <typename Pred>
int count_where(const std::u32string& s, Pred pred) {
  return static_cast<int>(std::count_if(s.begin(), s.end(), pred));
}

// The picture split at the pattern separator (a positive and an optional negative part).
std::vector<std::u32string> split_picture(const std::u32string& picture, char32_t pattern_sep) {
  std::vector<std::u32string> subs;
  std::u32string cur;
  for (char32_t c : picture) {
    if (c == pattern_sep) {
      subs.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  subs.push_back(cur);
  if (subs.size() > 2) throw_value_error("D3080");
  return subs;
}

// The error code a sub-picture breaks (F&O 4.7.3), or nullptr; the last rule broken wins.
const char* sub_picture_error(const PictureParts& p, const DecimalFormat& f) {
  const std::u32string& sub = p.subpicture;
  const char* error = nullptr;
  auto occurrences = [&](char32_t c) { return std::count(sub.begin(), sub.end(), c); };
  auto is_digit_family = [&](char32_t c) { return f.is_digit_family(c); };
  if (occurrences(f.decimal_sep) > 1) error = "D3081";
  if (occurrences(f.percent) > 1) error = "D3082";
  if (occurrences(f.permille) > 1) error = "D3083";
  if (occurrences(f.percent) > 0 && occurrences(f.permille) > 0) error = "D3084";
  if (std::none_of(p.mantissa.begin(), p.mantissa.end(),
                   [&](char32_t c) { return f.is_digit_or_optional(c); })) {
    error = "D3085";
  }
  if (std::any_of(p.active.begin(), p.active.end(), [&](char32_t c) { return !f.is_active(c); })) {
    error = "D3086";
  }
  std::size_t sub_dpos = sub.find(f.decimal_sep);
  if (sub_dpos != std::u32string::npos) {
    if ((sub_dpos > 0 && sub[sub_dpos - 1] == f.group_sep) ||
        (sub_dpos + 1 < sub.size() && sub[sub_dpos + 1] == f.group_sep)) {
      error = "D3087";
    }
  } else if (!p.integer.empty() && p.integer.back() == f.group_sep) {
    error = "D3088";
  }
  if (sub.find(std::u32string{f.group_sep, f.group_sep}) != std::u32string::npos) error = "D3089";
  std::size_t opt = p.integer.find(f.digit);
  if (opt != std::u32string::npos && count_where(p.integer.substr(0, opt), is_digit_family) > 0) {
    error = "D3090";
  }
  opt = p.fractional.rfind(f.digit);
  if (opt != std::u32string::npos && count_where(p.fractional.substr(opt), is_digit_family) > 0) {
    error = "D3091";
  }
  if (p.has_exponent && !p.exponent.empty() &&
      (occurrences(f.percent) > 0 || occurrences(f.permille) > 0)) {
    error = "D3092";
  }
  if (p.has_exponent && (p.exponent.empty() || count_where(p.exponent, [&](char32_t c) {
                                                 return !f.is_digit_family(c);
                                               }) > 0)) {
    error = "D3093";
  }
  if (std::none_of(sub.begin(), sub.end(),
                   [&](char32_t c) { return f.is_active(c) && c != f.exp_sep; })) {
    error = "D3086";  // Only passive characters.
  }
  return error;
}

// One sub-picture cut into prefix, integer and fractional parts, exponent and suffix; throws
// the error of the first invalid one.
PictureParts analyse_sub_picture(const std::u32string& sub, const DecimalFormat& f) {
  PictureParts p;
  p.subpicture = sub;
  std::size_t pre = sub.size();
  for (std::size_t i = 0; i < sub.size(); ++i) {
    if (f.is_active(sub[i]) && sub[i] != f.exp_sep) {
      pre = i;
      break;
    }
  }
  p.prefix = sub.substr(0, pre);
  std::size_t suf = sub.size();
  for (std::size_t i = sub.size(); i-- > 0;) {
    if (f.is_active(sub[i]) && sub[i] != f.exp_sep) {
      suf = i + 1;
      break;
    }
  }
  if (pre == sub.size()) suf = sub.size();
  p.suffix = sub.substr(suf);
  p.active = sub.substr(p.prefix.size(), sub.size() - p.prefix.size() - p.suffix.size());
  std::size_t exp_pos = sub.find(f.exp_sep, p.prefix.size());
  // An exponent separator at the start of the suffix belongs to the suffix.
  if (exp_pos == std::u32string::npos || exp_pos >= sub.size() - p.suffix.size()) {
    p.mantissa = p.active;
  } else {
    p.mantissa = p.active.substr(0, exp_pos - p.prefix.size());
    p.exponent = p.active.substr(exp_pos - p.prefix.size() + 1);
    p.has_exponent = true;
  }
  std::size_t dpos = p.mantissa.find(f.decimal_sep);
  if (dpos == std::u32string::npos) {
    p.integer = p.mantissa;
    p.fractional = p.suffix;
  } else {
    p.integer = p.mantissa.substr(0, dpos);
    p.fractional = p.mantissa.substr(dpos + 1);
  }
  if (const char* error = sub_picture_error(p, f)) throw_value_error(error);
  return p;
}

// Digit counts before each grouping separator of `part`, counted from the decimal point side.
std::vector<int> grouping_positions(const std::u32string& part, bool to_left,
                                    const DecimalFormat& f) {
  std::vector<int> positions;
  std::size_t g = part.find(f.group_sep);
  while (g != std::u32string::npos) {
    std::u32string side = to_left ? part.substr(0, g) : part.substr(g);
    positions.push_back(count_where(side, [&](char32_t c) { return f.is_digit_or_optional(c); }));
    g = part.find(f.group_sep, g + 1);
  }
  return positions;
}

// The grouping size when the integer part's separators are evenly spaced, else 0.
int regular_grouping_of(const std::vector<int>& integer_grouping) {
  if (integer_grouping.empty()) return 0;
  int factor = 0;
  for (int x : integer_grouping) factor = std::gcd(factor, x);
  for (std::size_t k = 1; k <= integer_grouping.size(); ++k) {
    if (std::find(integer_grouping.begin(), integer_grouping.end(), static_cast<int>(k) * factor) ==
        integer_grouping.end()) {
      return 0;
    }
  }
  return factor;
}

// The formatting variables of one analysed sub-picture (F&O 4.7.4).
PictureVars picture_vars(const PictureParts& p, const DecimalFormat& f) {
  PictureVars v;
  auto is_digit_family = [&](char32_t c) { return f.is_digit_family(c); };
  v.integer_grouping = grouping_positions(p.integer, false, f);
  v.regular_grouping = regular_grouping_of(v.integer_grouping);
  v.fractional_grouping = grouping_positions(p.fractional, true, f);
  v.min_integer = count_where(p.integer, is_digit_family);
  v.scaling = v.min_integer;
  v.min_fraction = count_where(p.fractional, is_digit_family);
  v.max_fraction = count_where(p.fractional, [&](char32_t c) { return f.is_digit_or_optional(c); });
  if (v.min_integer == 0 && v.max_fraction == 0) {
    if (p.has_exponent) {
      v.min_fraction = 1;
      v.max_fraction = 1;
    } else {
      v.min_integer = 1;
    }
  }
  if (p.has_exponent && v.min_integer == 0 && p.integer.find(f.digit) != std::u32string::npos) {
    v.min_integer = 1;
  }
  if (v.min_integer == 0 && v.min_fraction == 0) v.min_fraction = 1;
  if (p.has_exponent) v.min_exponent = count_where(p.exponent, is_digit_family);
  v.prefix = p.prefix;
  v.suffix = p.suffix;
  v.picture = p.subpicture;
  v.fractional = p.fractional;
  return v;
}

// |v| with `dp` decimals, in the format's digits.
std::u32string digits_of(double v, int dp, const DecimalFormat& f) {
  char buf[512];
  std::snprintf(buf, sizeof(buf), "%.*f", dp, std::fabs(v));
  std::u32string s = to_u32(buf);
  if (f.zero != U'0') {
    for (auto& c : s) {
      if (c >= U'0' && c <= U'9') c = c - U'0' + f.zero;
    }
  }
  return s;
}

// Scales `mantissa` into [10^(scaling-1), 10^scaling], counting the shifts in `exponent`.
void scale_to_exponent(double& mantissa, int& exponent, int scaling) {
  double max_m = std::pow(10, scaling);
  double min_m = std::pow(10, scaling - 1);
  double sign = mantissa < 0 ? -1 : 1;
  mantissa = std::fabs(mantissa);
  while (mantissa != 0 && std::isfinite(mantissa) && mantissa < min_m) {
    mantissa *= 10;
    exponent -= 1;
  }
  while (std::isfinite(mantissa) && mantissa > max_m) {
    mantissa /= 10;
    exponent += 1;
  }
  mantissa *= sign;
}

// Inserts the grouping separators of `pic` into the digits `sv` (which hold a decimal separator).
void insert_grouping(std::u32string& sv, const PictureVars& pic, const DecimalFormat& f) {
  std::size_t decimal_pos = sv.find(f.decimal_sep);
  if (pic.regular_grouping > 0) {
    int group_count = (static_cast<int>(decimal_pos) - 1) / pic.regular_grouping;
    for (int g = 1; g <= group_count; ++g) {
      sv.insert(decimal_pos - static_cast<std::size_t>(g * pic.regular_grouping), 1, f.group_sep);
    }
  } else {
    for (int pos : pic.integer_grouping) {
      if (static_cast<std::size_t>(pos) > decimal_pos) continue;
      sv.insert(decimal_pos - static_cast<std::size_t>(pos), 1, f.group_sep);
      ++decimal_pos;
    }
  }
  decimal_pos = sv.find(f.decimal_sep);
  for (int pos : pic.fractional_grouping) {
    std::size_t at = static_cast<std::size_t>(pos) + decimal_pos + 1;
    if (at <= sv.size()) sv.insert(at, 1, f.group_sep);
  }
}

// The mantissa's digits: rounded, padded to the minimum integer and fraction digits, grouped.
std::u32string mantissa_digits(double mantissa, const PictureVars& pic, const DecimalFormat& f) {
  double rounded = round_half_even(mantissa, pic.max_fraction);
  std::u32string sv = digits_of(rounded, pic.max_fraction, f);
  std::size_t dp = sv.find(U'.');
  if (dp == std::u32string::npos) {
    sv.push_back(f.decimal_sep);
  } else {
    sv[dp] = f.decimal_sep;
  }
  while (!sv.empty() && sv.front() == f.zero) sv.erase(0, 1);
  while (!sv.empty() && sv.back() == f.zero) sv.pop_back();
  std::size_t decimal_pos = sv.find(f.decimal_sep);
  int pad_left = pic.min_integer - static_cast<int>(decimal_pos);
  int pad_right = pic.min_fraction - static_cast<int>(sv.size() - decimal_pos - 1);
  if (pad_left > 0) sv.insert(0, static_cast<std::size_t>(pad_left), f.zero);
  if (pad_right > 0) sv.append(static_cast<std::size_t>(pad_right), f.zero);
  insert_grouping(sv, pic, f);
  decimal_pos = sv.find(f.decimal_sep);
  if (decimal_pos == sv.size() - 1) sv.erase(sv.size() - 1);
  return sv;
}

}  // namespace

Value fn_format_number(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  if (a.empty() || a[0].is_undefined()) return Value();
  double value = a[0].num();
  DecimalFormat f = read_decimal_format(a);
  std::vector<PictureVars> vars;
  for (const std::u32string& sub : split_picture(to_u32(picture_arg(a, 1)), f.pattern_sep)) {
    PictureParts p = analyse_sub_picture(sub, f);
    vars.push_back(picture_vars(p, f));
  }
  if (vars.size() == 1) {
    vars.push_back(vars[0]);
    vars[1].prefix = f.minus + vars[1].prefix;
  }
  const PictureVars& pic = value >= 0 ? vars[0] : vars[1];
  double mantissa = value;
  if (pic.picture.find(f.percent) != std::u32string::npos) {
    mantissa = value * 100;
  } else if (pic.picture.find(f.permille) != std::u32string::npos) {
    mantissa = value * 1000;
  }
  bool has_exp = pic.min_exponent != 0;
  int exponent = 0;
  if (has_exp) scale_to_exponent(mantissa, exponent, pic.scaling);
  std::u32string sv = mantissa_digits(mantissa, pic, f);
  if (has_exp) {
    std::u32string se = digits_of(exponent, 0, f);
    int pad = pic.min_exponent - static_cast<int>(se.size());
    if (pad > 0) se.insert(0, static_cast<std::size_t>(pad), f.zero);
    sv += f.exp_sep;
    if (exponent < 0) sv += f.minus;
    sv += se;
  }
  return Value::string(from_u32(pic.prefix + sv + pic.suffix));
}

}  // namespace stepwise::jsonata::internal
