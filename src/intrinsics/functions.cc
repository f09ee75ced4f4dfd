// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The 18 `States.*` intrinsic functions and the one table that maps each name to its arity and
// implementation (ASL-REFERENCE.md section 6). Numbers that must be integers are rounded the way
// Java's `Math.round` does (half up), as AWS does for MathAdd. Failures are
// States.IntrinsicFailure with a cause naming the function and the offending argument.
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "intrinsics/function_table.h"
#include "util/digest.h"
#include "util/utf8.h"
#include "util/json_limits.h"

namespace stepwise::internal {
namespace {

using nlohmann::json;
using Args = std::span<const json* const>;

constexpr std::size_t kMaxStringChars = 10000;
constexpr std::int64_t kMaxRangeElements = 1000;

std::string_view type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "boolean";
    case json::value_t::string:
      return "string";
    case json::value_t::array:
      return "array";
    case json::value_t::object:
      return "object";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "number";
    default:
      return "unknown";
  }
}

std::string compact(const json& v) {
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

Failure arg_error(std::string_view fn, std::size_t index, std::string_view expected,
                  const json& got) {
  return intrinsic_failure(fmt::format("{}: argument {} must be {}, but was {} {}", fn, index + 1,
                                       expected, type_name(got), compact(got)));
}

// Java's Math.round: the closest integer, ties toward positive infinity.
bool rounded_integer(const json& v, std::int64_t& out) {
  if (v.is_number_integer()) {
    out = v.get<std::int64_t>();
    return true;
  }
  if (v.is_number_unsigned()) {
    auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return false;
    out = static_cast<std::int64_t>(u);
    return true;
  }
  if (v.is_number_float()) {
    double r = std::floor(v.get<double>() + 0.5);
    if (!std::isfinite(r) || r < -9.2e18 || r > 9.2e18) return false;
    out = static_cast<std::int64_t>(r);
    return true;
  }
  return false;
}

// An integer argument, rounded; fails on non-numbers.
bool int_arg(Args args, std::size_t i, std::string_view fn, std::int64_t& out, Failure& failure) {
  if (!rounded_integer(*args[i], out)) {
    failure = arg_error(fn, i, "an integer", *args[i]);
    return false;
  }
  return true;
}

// ---- States.Format ---------------------------------------------------------------------------

// Objects and arrays are rendered the way Java's Map/List toString does: `{a=1, b=[x, y]}`.
void render_java(const json& v, std::string& out) {
  switch (v.type()) {
    case json::value_t::string:
      out += v.get_ref<const std::string&>();
      break;
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out += ", ";
        first = false;
        out += it.key();
        out += '=';
        render_java(it.value(), out);
      }
      out += '}';
      break;
    }
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const json& e : v) {
        if (!first) out += ", ";
        first = false;
        render_java(e, out);
      }
      out += ']';
      break;
    }
    default:
      out += compact(v);
  }
}

Outcome<json> fn_format(Args args, IntrinsicEnv&) {
  constexpr std::string_view kName = "States.Format";
  if (!args[0]->is_string()) return arg_error(kName, 0, "a string", *args[0]);
  const std::string& tmpl = args[0]->get_ref<const std::string&>();
  std::string out;
  out.reserve(tmpl.size() + 16);
  std::size_t next = 1;
  std::size_t placeholders = 0;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    char c = tmpl[i];
    if (c == '\\' && i + 1 < tmpl.size()) {
      out += tmpl[++i];
    } else if (c == '{' && i + 1 < tmpl.size() && tmpl[i + 1] == '}') {
      ++i;
      ++placeholders;
      if (next < args.size()) render_java(*args[next], out);
      ++next;
    } else {
      out += c;
    }
  }
  if (placeholders != args.size() - 1) {
    return intrinsic_failure(fmt::format(
        "States.Format: the template has {} placeholder{} but {} value{} given", placeholders,
        placeholders == 1 ? "" : "s", args.size() - 1, args.size() == 2 ? " was" : "s were"));
  }
  return json(std::move(out));
}

// ---- JSON ------------------------------------------------------------------------------------

Outcome<json> fn_string_to_json(Args args, IntrinsicEnv& env) {
  constexpr std::string_view kName = "States.StringToJson";
  if (!args[0]->is_string()) return arg_error(kName, 0, "a string", *args[0]);
  const std::string& s = args[0]->get_ref<const std::string&>();
  if (std::all_of(s.begin(), s.end(),
                  [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; })) {
    return json(nullptr);
  }
  // Parsing is iterative, but everything after it recurses per nesting level.
  if (text_depth_exceeds(s, env.max_payload_depth)) {
    return Failure(std::string(errors::kDataLimitExceeded),
                   fmt::format("{}: argument 1 is nested deeper than the maximum of {} levels.",
                               kName, env.max_payload_depth));
  }
  json parsed = json::parse(s, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return intrinsic_failure(
        fmt::format("{}: argument 1 is not valid JSON: {}", kName, s.substr(0, 200)));
  }
  return parsed;
}

Outcome<json> fn_json_to_string(Args args, IntrinsicEnv&) { return json(compact(*args[0])); }

Outcome<json> fn_json_merge(Args args, IntrinsicEnv&) {
  constexpr std::string_view kName = "States.JsonMerge";
  if (!args[0]->is_object()) return arg_error(kName, 0, "an object", *args[0]);
  if (!args[1]->is_object()) return arg_error(kName, 1, "an object", *args[1]);
  if (!args[2]->is_boolean()) return arg_error(kName, 2, "a boolean", *args[2]);
  if (args[2]->get<bool>()) {
    return intrinsic_failure(
        "States.JsonMerge: deep merge is not supported; argument 3 must be false");
  }
  json out = *args[0];
  for (auto it = args[1]->begin(); it != args[1]->end(); ++it) out[it.key()] = it.value();
  return json(std::move(out));
}

// ---- Arrays ----------------------------------------------------------------------------------

Outcome<json> fn_array(Args args, IntrinsicEnv&) {
  json out = json::array();
  out.get_ref<json::array_t&>().reserve(args.size());
  for (const json* a : args) out.push_back(*a);
  return json(std::move(out));
}

Outcome<json> fn_array_partition(Args args, IntrinsicEnv&) {
  constexpr std::string_view kName = "States.ArrayPartition";
  if (!args[0]->is_array()) return arg_error(kName, 0, "an array", *args[0]);
  std::int64_t size = 0;
  Failure failure;
  if (!int_arg(args, 1, kName, size, failure)) return failure;
  if (size <= 0) {
    return intrinsic_failure(fmt::format(
        "{}: argument 2 (the chunk size) must be positive, but was {}", kName, compact(*args[1])));
  }
  const json& arr = *args[0];
  json out = json::array();
  const auto chunk = static_cast<std::size_t>(size);
  for (std::size_t i = 0; i < arr.size(); i += chunk) {
    json part = json::array();
    for (std::size_t k = i; k < arr.size() && k < i + chunk; ++k) part.push_back(arr[k]);
    out.push_back(std::move(part));
  }
  return json(std::move(out));
}

Outcome<json> fn_array_contains(Args args, IntrinsicEnv&) {
  constexpr std::string_view kName = "States.ArrayContains";
  if (!args[0]->is_array()) return arg_error(kName, 0, "an array", *args[0]);
  const json& needle = *args[1];
  for (const json& e : *args[0]) {
    if (e == needle) return json(true);
  }
  return json(false);
}

Outcome<json> fn_array_range(Args args, IntrinsicEnv&) {
  constexpr std::string_view kName = "States.ArrayRange";
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::int64_t step = 0;
  Failure failure;
  if (!int_arg(args, 0, kName, start, failure) || !int_arg(args, 1, kName, end, failure) ||
      !int_arg(args, 2, kName, step, failure)) {
    return failure;
  }
  if (step == 0) return intrinsic_failure("States.ArrayRange: argument 3 (the step) must not be 0");
  std::int64_t count = 0;
  if (step > 0 && start <= end) {
    count = (end - start) / step + 1;
  } else if (step < 0 && start >= end) {
    count = (start - end) / -step + 1;
  }
  if (count > kMaxRangeElements) {
    return intrinsic_failure(
        fmt::format("States.ArrayRange: the range would have {} elements; at most {} are allowed",
                    count, kMaxRangeElements));
  }
  json out = json::array();
  out.get_ref<json::array_t&>().reserve(static_cast<std::size_t>(count));
  for (std::int64_t k = 0, v = start; k < count; ++k, v += step) out.push_back(v);
  return json(std::move(out));
}

Outcome<json> fn_array_get_item(Args args, IntrinsicEnv&) {
  constexpr std::string_view kName = "States.ArrayGetItem";
  if (!args[0]->is_array()) return arg_error(kName, 0, "an array", *args[0]);
  const json& idx = *args[1];
  std::int64_t index = 0;
  bool integral = idx.is_number_integer() || idx.is_number_unsigned() ||
                  (idx.is_number_float() && std::floor(idx.get<double>()) == idx.get<double>());
  if (!integral || !rounded_integer(idx, index)) {
    return arg_error(kName, 1, "a non-negative integer", idx);
  }
  if (index < 0 || static_cast<std::uint64_t>(index) >= args[0]->size()) {
    return intrinsic_failure(fmt::format("{}: index {} is out of bounds for an array of length {}",
                                         kName, index, args[0]->size()));
  }
  return (*args[0])[static_cast<std::size_t>(index)];
}

Outcome<json> fn_array_length(Args args, IntrinsicEnv&) {
  if (!args[0]->is_array()) return arg_error("States.ArrayLength", 0, "an array", *args[0]);
  return json(args[0]->size());
}

// Hashes numbers by value so that 1 and 1.0 (equal under json ==) land in one bucket.
struct ValueHash {
  std::size_t operator()(const json* v) const {
    if (v->is_number()) return std::hash<double>()(v->get<double>());
    return std::hash<json>()(*v);
  }
};
struct ValueEq {
  bool operator()(const json* a, const json* b) const { return *a == *b; }
};

Outcome<json> fn_array_unique(Args args, IntrinsicEnv&) {
  if (!args[0]->is_array()) return arg_error("States.ArrayUnique", 0, "an array", *args[0]);
  std::unordered_set<const json*, ValueHash, ValueEq> seen;
  json out = json::array();
  for (const json& e : *args[0]) {
    if (seen.insert(&e).second) out.push_back(e);
  }
  return json(std::move(out));
}

// ---- Encoding and hashing --------------------------------------------------------------------

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Outcome<json> fn_base64_encode(Args args, IntrinsicEnv&) {
  constexpr std::string_view kName = "States.Base64Encode";
  if (!args[0]->is_string()) return arg_error(kName, 0, "a string", *args[0]);
  const std::string& s = args[0]->get_ref<const std::string&>();
  if (utf8::count_code_points(s) > kMaxStringChars) {
    return intrinsic_failure(
        fmt::format("{}: the input is longer than {} characters", kName, kMaxStringChars));
  }
  std::string out;
  out.reserve((s.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < s.size(); i += 3) {
    std::uint32_t n = (static_cast<unsigned char>(s[i]) << 16) |
                      (static_cast<unsigned char>(s[i + 1]) << 8) |
                      static_cast<unsigned char>(s[i + 2]);
    out += kBase64Alphabet[(n >> 18) & 63];
    out += kBase64Alphabet[(n >> 12) & 63];
    out += kBase64Alphabet[(n >> 6) & 63];
    out += kBase64Alphabet[n & 63];
  }
  if (i + 1 == s.size()) {
    std::uint32_t n = static_cast<unsigned char>(s[i]) << 16;
    out += kBase64Alphabet[(n >> 18) & 63];
    out += kBase64Alphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == s.size()) {
    std::uint32_t n =
        (static_cast<unsigned char>(s[i]) << 16) | (static_cast<unsigned char>(s[i + 1]) << 8);
    out += kBase64Alphabet[(n >> 18) & 63];
    out += kBase64Alphabet[(n >> 12) & 63];
    out += kBase64Alphabet[(n >> 6) & 63];
    out += '=';
  }
  return json(std::move(out));
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

Outcome<json> fn_base64_decode(Args args, IntrinsicEnv&) {
  constexpr std::string_view kName = "States.Base64Decode";
  if (!args[0]->is_string()) return arg_error(kName, 0, "a string", *args[0]);
  std::string_view s = args[0]->get_ref<const std::string&>();
  if (utf8::count_code_points(s) > kMaxStringChars) {
    return intrinsic_failure(
        fmt::format("{}: the input is longer than {} characters", kName, kMaxStringChars));
  }
  auto invalid = [&] {
    return intrinsic_failure(
        fmt::format("{}: argument 1 is not valid Base64: {}", kName, s.substr(0, 200)));
  };
  std::size_t len = s.size();
  std::size_t padding = 0;
  while (len > 0 && s[len - 1] == '=' && padding < 2) {
    --len;
    ++padding;
  }
  if (padding > 0 && (len + padding) % 4 != 0) return invalid();
  if (len % 4 == 1) return invalid();
  std::string out;
  out.reserve(len * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < len; ++i) {
    int v = base64_value(s[i]);
    if (v < 0) return invalid();
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  if (!utf8::is_valid(out)) {
    return intrinsic_failure(fmt::format("{}: the decoded bytes are not valid UTF-8", kName));
  }
  return json(std::move(out));
}

Outcome<json> fn_hash(Args args, IntrinsicEnv&) {
  constexpr std::string_view kName = "States.Hash";
  if (!args[1]->is_string()) return arg_error(kName, 1, "a string", *args[1]);
  const std::string& alg = args[1]->get_ref<const std::string&>();
  std::string data = args[0]->is_string() ? args[0]->get<std::string>() : compact(*args[0]);
  if (utf8::count_code_points(data) > kMaxStringChars) {
    return intrinsic_failure(
        fmt::format("{}: the input is longer than {} characters", kName, kMaxStringChars));
  }
  std::optional<std::string> digest = hex_digest(alg, data);
  if (!digest) {
    return intrinsic_failure(fmt::format(
        "{}: argument 2 must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, but was '{}'", kName,
        alg));
  }
  return json(std::move(*digest));
}

// ---- Math ------------------------------------------------------------------------------------

// java.util.Random, so that a seed gives the sequence a JVM-based service would give.
class JavaRandom {
 public:
  explicit JavaRandom(std::int64_t seed)
      : seed_((static_cast<std::uint64_t>(seed) ^ 0x5DEECE66DULL) & kMask) {}

  std::int32_t next_int(std::int32_t bound) {
    std::int32_t r = next(31);
    std::int32_t m = bound - 1;
    if ((bound & m) == 0) {
      return static_cast<std::int32_t>((static_cast<std::int64_t>(bound) * r) >> 31);
    }
    for (std::int32_t u = r; u - (r = u % bound) + m < 0; u = next(31)) {
    }
    return r;
  }

 private:
  static constexpr std::uint64_t kMask = (1ULL << 48) - 1;
  std::int32_t next(int bits) {
    seed_ = (seed_ * 0x5DEECE66DULL + 0xBULL) & kMask;
    return static_cast<std::int32_t>(static_cast<std::int64_t>(seed_ >> (48 - bits)));
  }
  std::uint64_t seed_;
};

constexpr std::int64_t kInt32Min = std::numeric_limits<std::int32_t>::min();
constexpr std::int64_t kInt32Max = std::numeric_limits<std::int32_t>::max();

Outcome<json> fn_math_random(Args args, IntrinsicEnv& env) {
  constexpr std::string_view kName = "States.MathRandom";
  std::int64_t start = 0;
  std::int64_t end = 0;
  Failure failure;
  if (!int_arg(args, 0, kName, start, failure) || !int_arg(args, 1, kName, end, failure)) {
    return failure;
  }
  if (start >= end) {
    return intrinsic_failure(
        fmt::format("{}: argument 1 (the start, {}) must be less than argument 2 (the end, {})",
                    kName, start, end));
  }
  if (start < kInt32Min || end > kInt32Max || end - start > kInt32Max) {
    return intrinsic_failure(fmt::format(
        "{}: the range [{}, {}) is outside the 32-bit integer range", kName, start, end));
  }
  const auto bound = static_cast<std::int32_t>(end - start);
  if (args.size() == 3) {
    std::int64_t seed = 0;
    if (!int_arg(args, 2, kName, seed, failure)) return failure;
    JavaRandom rnd(seed);
    return json(start + rnd.next_int(bound));
  }
  Random fallback;
  Random& rnd = env.random ? *env.random : fallback;
  auto offset = static_cast<std::int64_t>(rnd.next_double() * static_cast<double>(bound));
  return json(start + std::min<std::int64_t>(offset, bound - 1));
}

Outcome<json> fn_math_add(Args args, IntrinsicEnv&) {
  constexpr std::string_view kName = "States.MathAdd";
  std::int64_t a = 0;
  std::int64_t b = 0;
  Failure failure;
  if (!int_arg(args, 0, kName, a, failure) || !int_arg(args, 1, kName, b, failure)) return failure;
  for (std::size_t i = 0; i < 2; ++i) {
    std::int64_t v = i == 0 ? a : b;
    if (v < kInt32Min || v > kInt32Max) {
      return intrinsic_failure(
          fmt::format("{}: argument {} ({}) is outside the 32-bit integer range", kName, i + 1, v));
    }
  }
  std::int64_t sum = a + b;
  if (sum < kInt32Min || sum > kInt32Max) {
    return intrinsic_failure(
        fmt::format("{}: the sum {} is outside the 32-bit integer range", kName, sum));
  }
  return json(sum);
}

// ---- Strings and identifiers -----------------------------------------------------------------

Outcome<json> fn_string_split(Args args, IntrinsicEnv&) {
  constexpr std::string_view kName = "States.StringSplit";
  if (!args[0]->is_string()) return arg_error(kName, 0, "a string", *args[0]);
  if (!args[1]->is_string()) return arg_error(kName, 1, "a string", *args[1]);
  std::string_view s = args[0]->get_ref<const std::string&>();
  std::vector<std::string_view> delims =
      utf8::split_code_points(args[1]->get_ref<const std::string&>());
  json out = json::array();
  std::size_t piece = 0;
  std::size_t i = 0;
  auto flush = [&](std::size_t end) {
    if (end > piece) out.push_back(std::string(s.substr(piece, end - piece)));
  };
  while (i < s.size()) {
    std::size_t j = utf8::next_code_point(s, i);
    std::string_view cp = s.substr(i, j - i);
    if (std::find(delims.begin(), delims.end(), cp) != delims.end()) {
      flush(i);
      piece = j;
    }
    i = j;
  }
  flush(s.size());
  return json(std::move(out));
}

Outcome<json> fn_uuid(Args, IntrinsicEnv& env) {
  Random fallback;
  return json(uuid_v4(env.random ? *env.random : fallback));
}

constexpr int kVar = IntrinsicSpec::kVariadic;

// The function table: name, min and max arguments, returns a string, implementation.
constexpr std::array<IntrinsicSpec, 18> kFunctions{{
    {"States.Format", 1, kVar, true, fn_format},
    {"States.StringToJson", 1, 1, false, fn_string_to_json},
    {"States.JsonToString", 1, 1, true, fn_json_to_string},
    {"States.Array", 0, kVar, false, fn_array},
    {"States.ArrayPartition", 2, 2, false, fn_array_partition},
    {"States.ArrayContains", 2, 2, false, fn_array_contains},
    {"States.ArrayRange", 3, 3, false, fn_array_range},
    {"States.ArrayGetItem", 2, 2, true, fn_array_get_item},
    {"States.ArrayLength", 1, 1, false, fn_array_length},
    {"States.ArrayUnique", 1, 1, false, fn_array_unique},
    {"States.Base64Encode", 1, 1, true, fn_base64_encode},
    {"States.Base64Decode", 1, 1, true, fn_base64_decode},
    {"States.Hash", 2, 2, true, fn_hash},
    {"States.JsonMerge", 3, 3, false, fn_json_merge},
    {"States.MathRandom", 2, 3, false, fn_math_random},
    {"States.MathAdd", 2, 2, false, fn_math_add},
    {"States.StringSplit", 2, 2, false, fn_string_split},
    {"States.UUID", 0, 0, true, fn_uuid},
}};

}  // namespace

const IntrinsicSpec* find_intrinsic(std::string_view name) {
  for (const IntrinsicSpec& spec : kFunctions) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

}  // namespace stepwise::internal
