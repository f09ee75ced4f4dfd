// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Fuzz target: any JSONata expression compiles or fails with a coded error, the static analysis
// of what compiles (jsonata/analysis.h) ends, and evaluation of what compiles ends (within the
// depth and step limits) without crashing.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "jsonata/analysis.h"
#include "jsonata/ast.h"
#include "stepwise/jsonata.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const nlohmann::json doc =
      nlohmann::json::parse(R"({"a":[1,2,3],"b":{"c":"x","d":[{"e":1},{"e":2}]},"s":"hello"})");
  std::string_view text(reinterpret_cast<const char*>(data), size);
  stepwise::jsonata::CompileResult compiled = stepwise::jsonata::Expression::compile(text);
  if (compiled.ok()) {
    (void)stepwise::jsonata::internal::analyze(*compiled.expression().program()->root);
    stepwise::jsonata::EvaluateOptions options;
    options.max_depth = 200;
    options.max_steps = 20000;
    (void)compiled.expression().evaluate(&doc, nullptr, options);
  }
  return 0;
}
