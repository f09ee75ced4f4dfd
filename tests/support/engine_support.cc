// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#include "support/engine_support.h"

#include <utility>

#include <gtest/gtest.h>

#include "stepwise/testing/matchers.h"

namespace stepwise::testing_support {

std::shared_ptr<const StateMachine> compile(std::string_view definition) {
  ParseResult r = parse_state_machine(definition);
  if (!r.ok()) {
    std::string text;
    for (const Diagnostic& d : r.diagnostics()) text += d.to_string() + "\n";
    ADD_FAILURE() << "definition does not compile:\n" << text << definition;
  }
  return r.machine();
}

std::vector<std::string> event_types(const std::vector<HistoryEvent>& events) {
  return ::stepwise::testing::event_types(events);
}

}  // namespace stepwise::testing_support
