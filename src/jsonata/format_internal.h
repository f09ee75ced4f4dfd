// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Shared pieces of the picture-string formatters: the analysed integer picture
// (`IntegerFormat`) and integer formatting/parsing with it.
#ifndef STEPWISE_SRC_JSONATA_FORMAT_INTERNAL_H_
#define STEPWISE_SRC_JSONATA_FORMAT_INTERNAL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stepwise::jsonata::internal {

struct GroupSep {
  int position = 0;
  char32_t character = 0;
};

struct IntegerFormat {
  enum Primary { kDecimal, kLetters, kRoman, kWords, kSequence };
  enum Case { kLower, kUpper, kTitle };
  Primary primary = kDecimal;
  Case letter_case = kLower;
  bool ordinal = false;
  char32_t zero_code = U'0';
  int mandatory_digits = 0;
  int optional_digits = 0;
  std::vector<GroupSep> separators;
  int regular = 0;  // Regular grouping interval, 0 when irregular.
  std::string token;
};

IntegerFormat analyse_integer_picture(const std::string& picture);
std::string format_integer_with(double value, const IntegerFormat& format);
double parse_integer_with(const std::string& value, const IntegerFormat& format);

}  // namespace stepwise::jsonata::internal

#endif  // STEPWISE_SRC_JSONATA_FORMAT_INTERNAL_H_
