// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// ASL intrinsic functions (`States.Format(...)` and the other 17, ASL-REFERENCE.md section 6):
// the call parser, which builds an argument tree at load time, and the function table.
//
// Call grammar: `States.Name(arg, ...)`, where an argument is a single-quoted string (escapes
// `\'`, `\{`, `\}`, `\\`), a number, `true`/`false`, `null`, a path (`$...`, `$$...`,
// `$var...`, compiled as `JsonPath`) or a nested call. Nesting is limited to 10 levels.
#ifndef STEPWISE_SRC_INTRINSICS_INTRINSICS_H_
#define STEPWISE_SRC_INTRINSICS_INTRINSICS_H_

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "path/json_path.h"
#include "stepwise/status.h"
#include "util/json_limits.h"
#include "util/outcome.h"
#include "util/random.h"

namespace stepwise::internal {

// Services an intrinsic evaluation may need. `random` is used by `States.MathRandom` without a
// seed and by `States.UUID`; it may be null, in which case a fixed-seed source is used.
struct IntrinsicEnv {
  Random* random = nullptr;
  // The deepest JSON `States.StringToJson` builds (States.DataLimitExceeded beyond it).
  std::size_t max_payload_depth = kDefaultMaxPayloadDepth;
};

// A parsed intrinsic call. Immutable after construction; safe to use from any number of
// threads.
class IntrinsicCall {
 public:
  // True when `text` has the shape of a call (`Name(` after optional spaces), i.e. when a `.$`
  // value that is not a path should be parsed as an intrinsic.
  static bool looks_like_call(std::string_view text);

  // Parses `text`. Fails with kInvalidArgument and a message such as
  // "unknown intrinsic function 'States.Foo'", "States.MathAdd takes 2 arguments but 3 were
  // given", "unterminated string at offset 14", "intrinsic functions nest at most 10 deep".
  static Result<IntrinsicCall> parse(std::string_view text);

  IntrinsicCall();
  ~IntrinsicCall();
  IntrinsicCall(const IntrinsicCall&);
  IntrinsicCall& operator=(const IntrinsicCall&);
  IntrinsicCall(IntrinsicCall&&) noexcept;
  IntrinsicCall& operator=(IntrinsicCall&&) noexcept;

  // The function name, e.g. "States.Format".
  const std::string& name() const;
  const std::string& text() const;
  // True for the functions allowed in Fail's ErrorPath/CausePath (they return strings):
  // Format, JsonToString, ArrayGetItem, Base64Encode, Base64Decode, Hash, UUID.
  bool returns_string() const;

  // Evaluates the call. Failures are States.IntrinsicFailure (bad argument types or values,
  // limits exceeded) or States.Runtime (a path argument that matches nothing), with AWS's
  // cause texts where known.
  Outcome<nlohmann::json> evaluate(const PathRoots& roots, IntrinsicEnv& env) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_INTRINSICS_INTRINSICS_H_
