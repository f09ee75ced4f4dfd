// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Fuzz target: JSONPath and intrinsic-call parsing, and evaluation of what parses against a
// fixed document, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "intrinsics/intrinsics.h"
#include "path/json_path.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using stepwise::internal::IntrinsicCall;
  using stepwise::internal::JsonPath;
  static const nlohmann::json doc = nlohmann::json::parse(
      R"({"a":{"b":[1,2,{"c":"x"}],"d":null},"e":[{"f":1},{"f":2}],"s":"text"})");
  std::string_view text(reinterpret_cast<const char*>(data), size);
  stepwise::internal::PathRoots roots{&doc, &doc, nullptr};
  if (auto path = JsonPath::parse(text); path.ok()) {
    (void)path->evaluate(roots);
    nlohmann::json target = doc;
    if (path->root() == JsonPath::Root::kInput && path->is_definite()) {
      (void)path->assign(target, 1);
    }
  }
  if (auto call = IntrinsicCall::parse(text); call.ok()) {
    stepwise::internal::Random random(1);
    stepwise::internal::IntrinsicEnv env{&random};
    (void)call->evaluate(roots, env);
  }
  return 0;
}
