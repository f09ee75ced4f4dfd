// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// A host program that uses Stepwise as an outside project would: through the public headers
// and the stepwise::stepwise target only.
#include <iostream>

#include "stepwise/stepwise.h"

int main() {
  stepwise::ParseResult parsed = stepwise::parse_state_machine(
      R"({"StartAt":"Hello","States":{"Hello":{"Type":"Pass","Result":"world","End":true}}})");
  if (!parsed.ok()) {
    for (const auto& d : parsed.diagnostics()) std::cerr << d.to_string() << '\n';
    return 1;
  }
  std::cout << "consumer: loaded a machine of " << parsed.machine()->state_count()
            << " state(s)\n";
  return 0;
}
