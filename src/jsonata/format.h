// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Built-ins driven by XPath/XSLT picture strings: $formatNumber, $formatBase,
// $formatInteger, $parseInteger (format.cc) and the date/time functions $now, $millis,
// $fromMillis, $toMillis (datetime.cc).
#ifndef STEPWISE_SRC_JSONATA_FORMAT_H_
#define STEPWISE_SRC_JSONATA_FORMAT_H_

#include <string>
#include <vector>

#include "jsonata/function.h"
#include "jsonata/value.h"

namespace stepwise::jsonata::internal {

Value fn_format_number(Evaluator& ev, std::vector<Value>& args, const Value& input, Frame* env);
Value fn_format_base(Evaluator& ev, std::vector<Value>& args, const Value& input, Frame* env);
Value fn_format_integer(Evaluator& ev, std::vector<Value>& args, const Value& input, Frame* env);
Value fn_parse_integer(Evaluator& ev, std::vector<Value>& args, const Value& input, Frame* env);
Value fn_now(Evaluator& ev, std::vector<Value>& args, const Value& input, Frame* env);
Value fn_millis(Evaluator& ev, std::vector<Value>& args, const Value& input, Frame* env);
Value fn_from_millis(Evaluator& ev, std::vector<Value>& args, const Value& input, Frame* env);
Value fn_to_millis(Evaluator& ev, std::vector<Value>& args, const Value& input, Frame* env);

// `value` rounded half to even at `precision` decimal places (a negative precision rounds to
// tens, hundreds, ...). The decimal point is moved in the number's shortest decimal text, as
// jsonata-js does, so that 2.675 at 2 places is 2.68. Never -0. Shared by $round,
// $formatNumber and $formatBase.
double round_half_even(double value, int precision);

// Integer formatting per an XPath picture ("1", "01", "a", "I", "w", "#,##0", ...), shared by
// $formatInteger and the date/time formatter.
std::string format_integer(double value, const std::string& picture);

}  // namespace stepwise::jsonata::internal

#endif  // STEPWISE_SRC_JSONATA_FORMAT_H_
