// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Fuzz target: any text parses as a `States.*` intrinsic call or fails with a Status, and what
// parses evaluates against a fixed document to a value or a workflow failure, never a crash.
// `States.StringToJson` on deeply nested text must stop at the payload depth limit.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "intrinsics/intrinsics.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using stepwise::internal::IntrinsicCall;
  static const nlohmann::json doc = nlohmann::json::parse(
      R"({"a":[1,2,3,"x",{"b":null}],"n":7,"f":2.5,"s":"a,b,c","o":{"k":"v"},)"
      R"("t":"[[[1]]]","b64":"aGVsbG8=","u":"\u00e9\ud83d\ude00"})");
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (size > 4096) return 0;  // arguments are bounded by the definition size anyway
  auto call = IntrinsicCall::parse(text);
  if (!call.ok()) return 0;
  stepwise::internal::PathRoots roots{&doc, &doc, nullptr};
  stepwise::internal::Random random(7);
  stepwise::internal::IntrinsicEnv env{&random};
  env.max_payload_depth = 64;
  auto result = call->evaluate(roots, env);
  if (result.ok()) {
    (void)result.value().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return 0;
}
