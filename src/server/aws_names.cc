// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// ARNs, names, timestamps, request members and page tokens of the API server (aws_names.h).
#include "server/aws_names.h"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>

#include "server/api_error.h"

namespace stepwise::internal {

using nlohmann::json;

ArnScheme::ArnScheme(std::string partition, std::string region, std::string account)
    : prefix_("arn:" + partition + ":states:" + region + ":" + account + ":") {}

std::string ArnScheme::state_machine(std::string_view name) const {
  return prefix_ + "stateMachine:" + std::string(name);
}

std::string ArnScheme::version(std::string_view name, std::int64_t version) const {
  return state_machine(name) + ":" + std::to_string(version);
}

std::string ArnScheme::alias(std::string_view name, std::string_view alias) const {
  return state_machine(name) + ":" + std::string(alias);
}

std::string ArnScheme::execution(std::string_view machine, std::string_view name) const {
  return prefix_ + "execution:" + std::string(machine) + ":" + std::string(name);
}

std::string ArnScheme::activity(std::string_view name) const {
  return prefix_ + "activity:" + std::string(name);
}

Arn ArnScheme::parse(std::string_view arn, std::string_view expected_type) const {
  auto invalid = [&] { return ApiError("InvalidArn", "Invalid Arn: '" + std::string(arn) + "'"); };
  if (arn.substr(0, prefix_.size()) != prefix_) {
    // AWS says which part is wrong only for the resource type; the rest is "Invalid Arn".
    throw invalid();
  }
  std::string_view rest = arn.substr(prefix_.size());
  Arn out;
  if (expected_type == "stateMachine") {
    std::size_t hash = rest.find('#');
    if (hash != std::string_view::npos) {
      out.test_case = std::string(rest.substr(hash + 1));
      rest = rest.substr(0, hash);
    }
  }
  std::size_t colon = rest.find(':');
  if (colon == std::string_view::npos) throw invalid();
  out.type = std::string(rest.substr(0, colon));
  rest = rest.substr(colon + 1);
  bool type_ok =
      out.type == expected_type || (expected_type == "execution" && out.type == "express");
  if (!type_ok) {
    throw ApiError("InvalidArn",
                   "Invalid Arn: 'Resource type not valid in this context: " + out.type + "'");
  }
  colon = rest.find(':');
  out.name = std::string(rest.substr(0, colon));
  if (colon != std::string_view::npos) {
    rest = rest.substr(colon + 1);
    colon = rest.find(':');
    out.qualifier = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) out.rest = std::string(rest.substr(colon + 1));
  }
  bool shape_ok = !out.name.empty();
  if (out.type == "activity") shape_ok = shape_ok && out.qualifier.empty();
  if (out.type == "execution") shape_ok = shape_ok && !out.qualifier.empty() && out.rest.empty();
  if (out.type == "express") shape_ok = shape_ok && !out.qualifier.empty() && !out.rest.empty();
  if (out.type == "stateMachine") shape_ok = shape_ok && out.rest.empty();
  if (!shape_ok) throw invalid();
  return out;
}

void check_resource_name(std::string_view name, std::size_t max_length) {
  static constexpr std::string_view kForbidden = " <>{}[]?*\"#%\\^|~`$&,;:/";
  bool ok = !name.empty() && name.size() <= max_length;
  for (std::size_t i = 0; ok && i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7f || kForbidden.find(static_cast<char>(c)) != std::string_view::npos ||
        c == '\t' || c == '\n' || c == '\r') {
      ok = false;
    }
    // U+0080..U+009F (C1 controls) are encoded as C2 80..C2 9F.
    if (c == 0xc2 && i + 1 < name.size()) {
      auto d = static_cast<unsigned char>(name[i + 1]);
      if (d >= 0x80 && d <= 0x9f) ok = false;
    }
  }
  if (!ok) throw ApiError("InvalidName", "Invalid Name: '" + std::string(name) + "'");
}

double epoch_seconds(std::int64_t nanos) {
  std::int64_t millis = nanos / 1'000'000;
  return static_cast<double>(millis) / 1000.0;
}

std::optional<std::int64_t> parse_iso8601(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, consumed = 0;
  std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed) !=
      6) {
    return std::nullopt;
  }
  std::int64_t frac = 0;
  std::size_t pos = static_cast<std::size_t>(consumed);
  if (pos < copy.size() && copy[pos] == '.') {
    std::int64_t scale = 100'000'000;
    for (++pos; pos < copy.size() && copy[pos] >= '0' && copy[pos] <= '9'; ++pos) {
      frac += (copy[pos] - '0') * scale;
      scale /= 10;
    }
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  std::int64_t secs = timegm(&tm);
  return secs * 1'000'000'000 + frac;
}

namespace {

[[noreturn]] void wrong_type(const char* name, const char* expected) {
  throw ApiError("SerializationException",
                 std::string("Expected ") + expected + " for member '" + name + "'");
}

}  // namespace

std::optional<std::string> string_member(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) wrong_type(name, "a string");
  return it->get<std::string>();
}

std::string required_string(const json& body, const char* name) {
  std::optional<std::string> v = string_member(body, name);
  if (!v) throw missing_member(name);
  return *v;
}

std::optional<std::int64_t> int_member(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) wrong_type(name, "an integer");
  return it->get<std::int64_t>();
}

bool bool_member(const json& body, const char* name, bool fallback) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) wrong_type(name, "a boolean");
  return it->get<bool>();
}

std::size_t max_results(const json& body, std::size_t fallback) {
  std::optional<std::int64_t> v = int_member(body, "maxResults");
  if (!v || *v == 0) return fallback;
  if (*v < 0 || *v > 1000) {
    throw validation_error("maxResults",
                           "Member must have value less than or equal to 1000 and greater than "
                           "or equal to 0");
  }
  return static_cast<std::size_t>(*v);
}

std::pair<std::string, std::string> error_and_cause(const json& body) {
  std::string error = string_member(body, "error").value_or("");
  std::string cause = string_member(body, "cause").value_or("");
  if (error.size() > 256) {
    throw validation_error("error", "Member must have length less than or equal to 256");
  }
  if (cause.size() > 32768) {
    throw validation_error("cause", "Member must have length less than or equal to 32768");
  }
  return {std::move(error), std::move(cause)};
}

bool json_text_deeper_than(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

std::string percent_encode(std::string_view s, std::string_view keep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_' || c == '.' || c == '~' ||
                 keep.find(static_cast<char>(c)) != std::string_view::npos;
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

namespace {

std::string token_check(std::string_view scope, std::size_t offset) {
  std::size_t h = std::hash<std::string_view>{}(scope) ^ (offset * 0x9e3779b97f4a7c15ULL);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016zx", h);
  return buf;
}

}  // namespace

std::string make_page_token(std::string_view scope, std::size_t offset) {
  return "swp1." + std::to_string(offset) + "." + token_check(scope, offset);
}

std::size_t page_offset(const json& body, std::string_view scope) {
  std::optional<std::string> token = string_member(body, "nextToken");
  if (!token) return 0;
  auto bad = [&] { return ApiError("InvalidToken", "Invalid Token: '" + *token + "'"); };
  if (token->rfind("swp1.", 0) != 0) throw bad();
  std::size_t dot = token->find('.', 5);
  if (dot == std::string::npos || dot == 5 || dot - 5 > 12) throw bad();
  std::size_t offset = 0;
  for (std::size_t i = 5; i < dot; ++i) {
    char c = (*token)[i];
    if (c < '0' || c > '9') throw bad();
    offset = offset * 10 + static_cast<std::size_t>(c - '0');
  }
  if (token->substr(dot + 1) != token_check(scope, offset)) throw bad();
  return offset;
}

}  // namespace stepwise::internal
