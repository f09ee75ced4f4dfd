// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// JSONPath Choice rules (ASL-REFERENCE.md section 7.1): comparison operators, type tests and
// And/Or/Not, evaluated against the effective input.
#ifndef STEPWISE_SRC_INTERP_CHOICE_H_
#define STEPWISE_SRC_INTERP_CHOICE_H_

#include <string_view>

#include <nlohmann/json.hpp>

#include "parse/model.h"
#include "util/outcome.h"

namespace stepwise::internal {

// True when `rule` matches. A data-test rule whose Variable matches nothing fails with
// States.Runtime, except IsPresent (false). Operands of the wrong type compare false.
Outcome<bool> evaluate_choice_rule(const ChoiceRule& rule, const nlohmann::json& input,
                                   ContextRef context, const VariableScope* variables);

// `StringMatches`: `*` matches any run of characters, `\*` a literal `*`, `\\` a `\`.
bool string_matches(std::string_view text, std::string_view pattern);

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_INTERP_CHOICE_H_
