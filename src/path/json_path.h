// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// JSONPath as ASL uses it (the Jayway JsonPath dialect, ASL-REFERENCE.md section 3.3),
// compiled once at load time and evaluated many times.
//
// A path starts at one of three roots: `$` (the input document), `$$` (the context object) or
// `$name` (the workflow variable `name`, ASL-REFERENCE.md section 4). After the root come
// segments: `.name`, `['name']` / `["name"]`, `[0]`, `[-1]`, `[*]`, `.*`, `[0,1]`,
// `['a','b']`, slices `[1:3]`, `[-2:]`, `[::2]`, deep scan `..name` / `..*`, and filters
// `[?(@.a >= 5)]` (comparisons `== != < <= > >=` against numbers, strings, booleans, null and
// other `@`/`$` paths, combined with `&&`, `||` and `!`; `[?(@.a)]` tests existence).
//
// A *definite* path (only names and single indexes) names at most one node; any other path
// collects its matches into an array, as Jayway does.
#ifndef STEPWISE_SRC_PATH_JSON_PATH_H_
#define STEPWISE_SRC_PATH_JSON_PATH_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "stepwise/status.h"
#include "util/outcome.h"

namespace stepwise::internal {

using nlohmann::json;

// Workflow variables visible to an evaluation. The interpreter implements it over its scope
// chain. Not thread-safe: use from one thread at a time.
class VariableScope {
 public:
  virtual ~VariableScope() = default;
  // The value of variable `name`, or nullptr when it was never assigned.
  virtual const json* find(std::string_view name) const = 0;
};

// What a path (or template, or intrinsic argument) is evaluated against. Each pointer may be
// null, meaning that root is unavailable (an evaluation that needs it fails).
// Supplies `$$` when a path first reads it: the engine builds its context object only then.
class ContextSource {
 public:
  virtual const json& context() const = 0;

 protected:
  ~ContextSource() = default;
};

// `$$`: an object at hand, a source that builds one on first read, or nothing.
class ContextRef {
 public:
  // Implicit by design: a PathRoots is written `{&input, &context, scope}` with either kind.
  ContextRef() = default;
  ContextRef(std::nullptr_t) {}                                 // NOLINT
  ContextRef(const json* value) : value_(value) {}              // NOLINT
  ContextRef(const ContextSource* source) : source_(source) {}  // NOLINT
  const json* get() const {
    if (value_ != nullptr) return value_;
    return source_ != nullptr ? &source_->context() : nullptr;
  }

 private:
  const json* value_ = nullptr;
  const ContextSource* source_ = nullptr;
};

struct PathRoots {
  const json* input = nullptr;               // `$`
  ContextRef context;                        // `$$`
  const VariableScope* variables = nullptr;  // `$name`
};

// A compiled JSONPath. Immutable after construction; safe to use from any number of threads.
class JsonPath {
 public:
  enum class Root : std::uint8_t { kInput, kContext, kVariable };

  // Compiles `text`. Fails with kInvalidArgument and a message naming the problem and its
  // offset, e.g. "unexpected character ')' at offset 4 in '$.a.)'". An empty variable name,
  // an unterminated bracket or quote, or trailing garbage are errors.
  static Result<JsonPath> parse(std::string_view text);

  JsonPath();
  ~JsonPath();
  JsonPath(const JsonPath&);
  JsonPath& operator=(const JsonPath&);
  JsonPath(JsonPath&&) noexcept;
  JsonPath& operator=(JsonPath&&) noexcept;

  Root root() const;
  // The variable name for Root::kVariable (without `$`), e.g. "counter" for `$counter.x`.
  const std::string& variable_name() const;
  // The text as written.
  const std::string& text() const;
  // True when the path has no segments (`$`, `$$`, `$name`).
  bool is_root_only() const;
  // True when the path can match at most one node (names and single indexes only).
  bool is_definite() const;
  // Jayway's normalized form, used inside AWS's error texts, e.g. `$['a']['b'][0]`.
  std::string normalized() const;

  // Evaluates the path. A definite path yields a copy of its node; an indefinite one yields an
  // array of every match (possibly empty). A definite path that matches nothing fails with
  // States.Runtime and Jayway's text, which AWS embeds in its causes:
  //   "No results for path: $['a']['x']"     (the last segment is missing)
  //   "Missing property in path $['a']"      (an intermediate node is missing)
  // An unassigned variable or a null root fails likewise.
  Outcome<json> evaluate(const PathRoots& roots) const;

  // The node a definite path names, without copying; nullptr when nothing matches.
  // REQUIRES: is_definite().
  const json* find(const PathRoots& roots) const;

  // Writes `value` at this path inside `target` (ResultPath semantics, ASL-REFERENCE.md 3.1):
  // `$` replaces `target`; missing intermediate objects are created; an intermediate that is
  // not an object (or an array index out of range) fails with the States.Runtime cause text
  // AWS gives, e.g. "Invalid path '$.a.b' : Missing property in path $['a']".
  // REQUIRES: root() == Root::kInput and is_definite().
  Outcome<std::monostate> assign(json& target, json value) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_PATH_JSON_PATH_H_
