// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// JSONata regular expressions on PCRE2. Patterns use ECMAScript syntax, which PCRE2 accepts
// with a few options (\uXXXX escapes, `$` only at the end unless multiline); `[^]` is
// rewritten. A match limit makes catastrophic backtracking fail with D1005 instead of hanging.
// A compiled `Regex` is immutable and shared by all evaluations of its expression.
#ifndef STEPWISE_SRC_JSONATA_REGEX_H_
#define STEPWISE_SRC_JSONATA_REGEX_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stepwise::jsonata::internal {

// Immutable after construction; safe to use from any number of threads.
class Regex {
 public:
  struct Match {
    std::size_t start = 0;  // Byte offsets into the subject.
    std::size_t end = 0;
    // Capture groups 1..n as byte ranges; {npos, npos} when a group did not participate.
    std::vector<std::pair<std::size_t, std::size_t>> groups;
  };

  // Compiles `pattern` with JSONata flags ("i", "m"). Throws JsonataError S0303 on bad syntax.
  static std::shared_ptr<const Regex> compile(const std::string& pattern, const std::string& flags,
                                              std::size_t position);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // Finds the first match at or after byte offset `start`. Throws JsonataError D1005 when the
  // backtracking limit is reached.
  bool exec(std::string_view subject, std::size_t start, Match& m) const;
  const std::string& pattern() const { return pattern_; }

 private:
  Regex() = default;
  std::string pattern_;
  void* code_ = nullptr;  // pcre2_code*
  void* mctx_ = nullptr;  // pcre2_match_context*
};

}  // namespace stepwise::jsonata::internal

#endif  // STEPWISE_SRC_JSONATA_REGEX_H_
