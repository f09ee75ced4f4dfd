// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// AWS Signature Version 4 verification (sigv4.h), over OpenSSL's SHA-256 and HMAC.
#include "server/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "server/aws_names.h"

namespace stepwise::internal {

namespace {

std::string hex(const unsigned char* data, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 15];
  }
  return out;
}

std::string trim_collapse(const std::string& v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    std::size_t at = s.find(sep, start);
    out.push_back(s.substr(start, at - start));
    if (at == std::string::npos) return out;
    start = at + 1;
  }
}

// The canonical query string: parameters sorted by name, then value.
std::string canonical_query(const std::string& query) {
  if (query.empty()) return "";
  std::vector<std::string> parts = split(query, '&');
  for (std::string& p : parts) {
    if (p.find('=') == std::string::npos) p += '=';
  }
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += '&';
    out += p;
  }
  return out;
}

// An ISO 8601 basic time ("20261206T131040Z") as nanoseconds.
std::optional<std::int64_t> parse_amz_date(const std::string& v) {
  if (v.size() != 16 || v[8] != 'T' || v[15] != 'Z') return std::nullopt;
  std::string iso = v.substr(0, 4) + "-" + v.substr(4, 2) + "-" + v.substr(6, 2) + "T" +
                    v.substr(9, 2) + ":" + v.substr(11, 2) + ":" + v.substr(13, 2) + "Z";
  return parse_iso8601(iso);
}

const std::string* header(const SignedRequest& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? nullptr : &it->second;
}

}  // namespace

std::string sha256_hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr);
  return hex(md, n);
}

std::string hmac_sha256(const std::string& key, const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &n);
  return std::string(reinterpret_cast<const char*>(md), n);
}

std::optional<ApiError> verify_sigv4(const SignedRequest& request,
                                     const std::map<std::string, std::string>& credentials,
                                     std::int64_t now_ns, std::int64_t max_skew_seconds) {
  const std::string* auth = header(request, "authorization");
  if (auth == nullptr) {
    return ApiError("MissingAuthenticationTokenException", "Missing Authentication Token");
  }
  static const std::string kAlgorithm = "AWS4-HMAC-SHA256 ";
  auto incomplete = [&](const std::string& what) {
    return ApiError("IncompleteSignatureException", what + " Authorization=" + auth->substr(0, 64));
  };
  if (auth->rfind(kAlgorithm, 0) != 0) return incomplete("Unsupported signature algorithm.");
  std::string credential, signed_headers, signature;
  for (std::string part : split(auth->substr(kAlgorithm.size()), ',')) {
    part = trim_collapse(part);
    if (part.rfind("Credential=", 0) == 0) credential = part.substr(11);
    if (part.rfind("SignedHeaders=", 0) == 0) signed_headers = part.substr(14);
    if (part.rfind("Signature=", 0) == 0) signature = part.substr(10);
  }
  std::vector<std::string> scope = split(credential, '/');
  if (scope.size() != 5 || signed_headers.empty() || signature.empty() ||
      scope[4] != "aws4_request") {
    return incomplete(
        "Authorization header requires 'Credential', 'Signature' and "
        "'SignedHeaders' parameters.");
  }
  auto key = credentials.find(scope[0]);
  if (key == credentials.end()) {
    return ApiError("UnrecognizedClientException",
                    "The security token included in the request is invalid.");
  }
  const std::string* date = header(request, "x-amz-date");
  std::optional<std::int64_t> when = date ? parse_amz_date(*date) : std::nullopt;
  if (!when || date->substr(0, 8) != scope[1]) {
    return incomplete(
        "Authorization header requires existence of either a 'X-Amz-Date' or "
        "a 'Date' header.");
  }
  std::int64_t skew = (*when - now_ns) / 1'000'000'000;
  if (skew > max_skew_seconds || -skew > max_skew_seconds) {
    return ApiError("InvalidSignatureException", "Signature expired: " + *date +
                                                     " is now earlier or later than the server's "
                                                     "time by more than " +
                                                     std::to_string(max_skew_seconds) +
                                                     " seconds.");
  }
  std::string canonical_headers;
  for (const std::string& name : split(signed_headers, ';')) {
    auto range = request.headers.equal_range(name);
    std::string value;
    for (auto it = range.first; it != range.second; ++it) {
      if (!value.empty()) value += ',';
      value += trim_collapse(it->second);
    }
    canonical_headers += name + ":" + value + "\n";
  }
  const std::string* content_sha = header(request, "x-amz-content-sha256");
  std::string payload_hash = content_sha ? *content_sha : sha256_hex(request.body);
  std::string canonical = request.method + "\n" + (request.path.empty() ? "/" : request.path) +
                          "\n" + canonical_query(request.query) + "\n" + canonical_headers + "\n" +
                          signed_headers + "\n" + payload_hash;
  std::string scope_text = scope[1] + "/" + scope[2] + "/" + scope[3] + "/aws4_request";
  std::string to_sign =
      "AWS4-HMAC-SHA256\n" + *date + "\n" + scope_text + "\n" + sha256_hex(canonical);
  std::string k = hmac_sha256("AWS4" + key->second, scope[1]);
  k = hmac_sha256(k, scope[2]);
  k = hmac_sha256(k, scope[3]);
  k = hmac_sha256(k, "aws4_request");
  std::string expected = hmac_sha256(k, to_sign);
  std::string expected_hex =
      hex(reinterpret_cast<const unsigned char*>(expected.data()), expected.size());
  // Compared in constant time.
  unsigned diff = expected_hex.size() ^ signature.size();
  for (std::size_t i = 0; i < std::min(expected_hex.size(), signature.size()); ++i) {
    diff |= static_cast<unsigned>(expected_hex[i] ^ signature[i]);
  }
  if (diff != 0) {
    return ApiError("InvalidSignatureException",
                    "The request signature we calculated does not match the signature you "
                    "provided. Check your AWS Secret Access Key and signing method. Consult the "
                    "service documentation for details.");
  }
  return std::nullopt;
}

}  // namespace stepwise::internal
