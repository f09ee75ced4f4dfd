// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Fuzz target: payloads and expressions. The first byte picks a mode. Even: the rest is JSON
// text, parsed with the depth limit; what parses passes the iterative depth and size checks,
// and then everything that recurses (dump, copy, compare, JSONata input conversion) runs on it
// safely. Odd: the rest is a JSONata expression evaluated with small step and depth limits,
// which must end (a value or a coded error) quickly and deterministically.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "stepwise/jsonata.h"
#include "util/json_limits.h"

namespace {

constexpr std::size_t kMaxDepth = 64;

void check_payload_text(std::string_view text) {
  using namespace stepwise::internal;  // NOLINT
  bool deep_text = text_depth_exceeds(text, kMaxDepth).has_value();
  stepwise::Result<nlohmann::json> parsed = parse_json_limited(text, kMaxDepth);
  if (!parsed.ok()) return;
  const nlohmann::json& v = parsed.value();
  // A document the text scan let through is within the limit, also by the value walk.
  if (deep_text || json_depth_exceeds(v, kMaxDepth)) __builtin_trap();
  if (check_payload(v, {256 * 1024, kMaxDepth}) == PayloadCheck::kTooDeep) __builtin_trap();
  nlohmann::json copy = v;
  if (!(copy == v)) __builtin_trap();
  (void)copy.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  auto compiled = stepwise::jsonata::Expression::compile("$string($)");
  stepwise::jsonata::EvaluateOptions options;
  options.max_steps = 10000;
  (void)compiled.expression().evaluate(&v, nullptr, options);
}

void check_expression(std::string_view text) {
  static const nlohmann::json doc =
      nlohmann::json::parse(R"({"a":[1,2,3],"b":{"c":"x","d":[{"e":1},{"e":2}]},"s":"hello"})");
  auto compiled = stepwise::jsonata::Expression::compile(text);
  if (!compiled.ok()) return;
  stepwise::jsonata::EvaluateOptions options;
  options.max_depth = 100;
  options.max_steps = 20000;
  stepwise::jsonata::Outcome out = compiled.expression().evaluate(&doc, nullptr, options);
  if (out.is_value()) {
    (void)out.value().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) == 0) {
    check_payload_text(rest);
  } else {
    check_expression(rest);
  }
  return 0;
}
