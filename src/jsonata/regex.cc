// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// PCRE2-backed implementation of JSONata regular expressions (see regex.h).
#include "jsonata/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "jsonata/ast.h"

namespace stepwise::jsonata::internal {
namespace {
constexpr std::uint32_t kMatchLimit = 2'000'000;
constexpr std::uint32_t kDepthLimit = 10'000;

std::string translate(const std::string& p) {
  std::string out;
  out.reserve(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '\\' && i + 1 < p.size()) {
      out.push_back(p[i]);
      out.push_back(p[++i]);
      continue;
    }
    if (p.compare(i, 3, "[^]") == 0) {
      out += "[\\s\\S]";
      i += 2;
      continue;
    }
    out.push_back(p[i]);
  }
  return out;
}
}  // namespace

std::shared_ptr<const Regex> Regex::compile(const std::string& pattern, const std::string& flags,
                                            std::size_t position) {
  std::uint32_t options = PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_MATCH_INVALID_UTF;
  if (flags.find('i') != std::string::npos) options |= PCRE2_CASELESS;
  if (flags.find('m') != std::string::npos) {
    options |= PCRE2_MULTILINE;
  } else {
    options |= PCRE2_DOLLAR_ENDONLY;
  }
  std::string translated = translate(pattern);
  int err = 0;
  PCRE2_SIZE erroffset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated.data()),
                                   translated.size(), options, &err, &erroffset, nullptr);
  if (code == nullptr) throw_error("S0303", position, pattern);
  std::shared_ptr<Regex> re(new Regex());
  re->pattern_ = pattern;
  re->code_ = code;
  pcre2_match_context* mctx = pcre2_match_context_create(nullptr);
  pcre2_set_match_limit(mctx, kMatchLimit);
  pcre2_set_depth_limit(mctx, kDepthLimit);
  re->mctx_ = mctx;
  return re;
}

Regex::~Regex() {
  pcre2_code_free(static_cast<pcre2_code*>(code_));
  pcre2_match_context_free(static_cast<pcre2_match_context*>(mctx_));
}

bool Regex::exec(std::string_view subject, std::size_t start, Match& m) const {
  auto* code = static_cast<pcre2_code*>(code_);
  pcre2_match_data* md = pcre2_match_data_create_from_pattern(code, nullptr);
  int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), start, 0,
                       md, static_cast<pcre2_match_context*>(mctx_));
  if (rc < 0) {
    pcre2_match_data_free(md);
    if (rc == PCRE2_ERROR_NOMATCH) return false;
    throw_value_error("D1005", pattern_);
  }
  PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
  std::uint32_t count = pcre2_get_ovector_count(md);
  m.start = ov[0];
  m.end = ov[1];
  m.groups.clear();
  std::uint32_t capture_count = 0;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &capture_count);
  for (std::uint32_t i = 1; i <= capture_count; ++i) {
    if (i < count && ov[2 * i] != PCRE2_UNSET) {
      m.groups.emplace_back(ov[2 * i], ov[2 * i + 1]);
    } else {
      m.groups.emplace_back(std::string::npos, std::string::npos);
    }
  }
  pcre2_match_data_free(md);
  return true;
}

}  // namespace stepwise::jsonata::internal
