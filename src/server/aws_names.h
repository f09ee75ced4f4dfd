// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// What the API's requests and answers are made of: ARNs (built and parsed), the rules AWS
// applies to resource names, timestamps as the SDKs read them (epoch seconds), typed access to
// request members with AWS's errors, and page tokens.
#ifndef STEPWISE_SERVER_AWS_NAMES_H_
#define STEPWISE_SERVER_AWS_NAMES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

namespace stepwise::internal {

// The parts of an ARN of this server's partition, region and account.
struct Arn {
  std::string type;       // "stateMachine", "execution", "express", "activity", "mapRun"
  std::string name;       // the machine, activity or (for executions) the machine's name
  std::string qualifier;  // a machine's version or alias; an execution's name
  std::string test_case;  // after '#' on a state machine ARN (Step Functions Local)
  std::string rest;       // anything after the qualifier (an Express execution's UUID)
};

class ArnScheme {
 public:
  ArnScheme(std::string partition, std::string region, std::string account);

  // "arn:aws:states:us-east-1:123456789012:" for this server.
  const std::string& prefix() const { return prefix_; }
  std::string state_machine(std::string_view name) const;
  std::string version(std::string_view name, std::int64_t version) const;
  std::string alias(std::string_view name, std::string_view alias) const;
  std::string execution(std::string_view machine, std::string_view name) const;
  std::string activity(std::string_view name) const;

  // Parses `arn`; throws ApiError InvalidArn when it is not an ARN of `expected_type` on this
  // server (another partition, region or account, or malformed). `field` names the member.
  Arn parse(std::string_view arn, std::string_view expected_type) const;

 private:
  std::string prefix_;
};

// AWS's rules for names of state machines, executions, activities and aliases: 1 to 80
// characters, none of whitespace, `<>{}[]?*"#%\^|~`$&,;:/`, or control characters. Throws
// ApiError InvalidName ("Invalid Name: '<name>'").
void check_resource_name(std::string_view name, std::size_t max_length = 80);

// Nanoseconds since the epoch as the SDKs read a timestamp in the JSON 1.0 protocol: epoch
// seconds, with milliseconds.
double epoch_seconds(std::int64_t nanos);
// An ISO 8601 UTC time ("2026-12-06T13:10:40.123Z") as nanoseconds; nullopt if malformed.
std::optional<std::int64_t> parse_iso8601(std::string_view text);

// Typed members of a request body. Absent: nullopt (or a thrown ValidationException for the
// `required_` forms); present with the wrong type: SerializationException.
std::optional<std::string> string_member(const nlohmann::json& body, const char* name);
std::string required_string(const nlohmann::json& body, const char* name);
std::optional<std::int64_t> int_member(const nlohmann::json& body, const char* name);
bool bool_member(const nlohmann::json& body, const char* name, bool fallback);
// `maxResults`: 0 or absent means `fallback`; outside 0..1000 a ValidationException.
std::size_t max_results(const nlohmann::json& body, std::size_t fallback);

// The `error` (at most 256 characters) and `cause` (at most 32,768) members of
// StopExecution and SendTaskFailure, "" when absent; ValidationException when too long.
std::pair<std::string, std::string> error_and_cause(const nlohmann::json& body);

// True when JSON text nests arrays and objects deeper than `limit` (strings skipped): checked
// before parsing, so a hostile body costs one pass over its bytes.
bool json_text_deeper_than(std::string_view text, std::size_t limit);

// `s` with every byte except letters, digits and `-_.~` (and those of `keep`) percent-encoded.
std::string percent_encode(std::string_view s, std::string_view keep = "");

// Page tokens: an opaque text for "continue at `offset`" of listing `scope`.
std::string make_page_token(std::string_view scope, std::size_t offset);
// The offset of a `nextToken` member (0 when absent); ApiError InvalidToken when the token is
// not one this server issued for `scope`.
std::size_t page_offset(const nlohmann::json& body, std::string_view scope);

}  // namespace stepwise::internal

#endif  // STEPWISE_SERVER_AWS_NAMES_H_
