// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Fuzz target: any byte string given to the loader ends in a machine or diagnostics, never a
// crash, and a loaded machine serializes and loads again.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "stepwise/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  stepwise::ParseOptions options;
  options.warnings = true;
  stepwise::ParseResult parsed = stepwise::parse_state_machine(text, options);
  if (parsed.ok()) {
    stepwise::ParseResult again = stepwise::parse_state_machine(parsed.machine()->to_json());
    if (!again.ok()) __builtin_trap();
  }
  return 0;
}
