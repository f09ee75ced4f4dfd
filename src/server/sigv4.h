// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Verification of AWS Signature Version 4 on an API request, as AWS's services check it:
// the Authorization header's credential scope, signed headers and signature, recomputed from
// the canonical request with the secret key of the access key id, and X-Amz-Date within the
// allowed clock skew.
#ifndef STEPWISE_SERVER_SIGV4_H_
#define STEPWISE_SERVER_SIGV4_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "server/api_error.h"

namespace stepwise::internal {

struct SignedRequest {
  std::string method;  // "POST"
  std::string path;    // "/"
  std::string query;   // the raw query string, "" when none
  // Header names in lowercase; values as received.
  std::multimap<std::string, std::string> headers;
  std::string body;
};

// nullopt when `request` carries a valid signature by one of `credentials` (access key id ->
// secret key) for service "states" at a time within `max_skew_seconds` of `now_ns`; otherwise
// AWS's error (UnrecognizedClientException, InvalidSignatureException,
// MissingAuthenticationTokenException, IncompleteSignatureException).
std::optional<ApiError> verify_sigv4(const SignedRequest& request,
                                     const std::map<std::string, std::string>& credentials,
                                     std::int64_t now_ns, std::int64_t max_skew_seconds);

// Lowercase hex SHA-256 of `data` and HMAC-SHA256 of `data` with `key` (raw bytes).
std::string sha256_hex(const std::string& data);
std::string hmac_sha256(const std::string& key, const std::string& data);

}  // namespace stepwise::internal

#endif  // STEPWISE_SERVER_SIGV4_H_
