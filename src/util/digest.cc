// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Digests through OpenSSL's EVP interface, and UUIDs.
#include "util/digest.h"

#include <openssl/evp.h>

#include <array>

namespace stepwise::internal {
namespace {
constexpr char kHex[] = "0123456789abcdef";
}  // namespace

std::optional<std::string> hex_digest(std::string_view algorithm, std::string_view data) {
  const EVP_MD* md = nullptr;
  if (algorithm == "MD5") {
    md = EVP_md5();
  } else if (algorithm == "SHA-1") {
    md = EVP_sha1();
  } else if (algorithm == "SHA-256") {
    md = EVP_sha256();
  } else if (algorithm == "SHA-384") {
    md = EVP_sha384();
  } else if (algorithm == "SHA-512") {
    md = EVP_sha512();
  } else {
    return std::nullopt;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, md, nullptr) != 1) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

std::string uuid_v4(Random& random) {
  std::array<unsigned char, 16> b{};
  std::uint64_t hi = random.next_u64();
  std::uint64_t lo = random.next_u64();
  for (int i = 0; i < 8; ++i) {
    b[static_cast<std::size_t>(i)] = static_cast<unsigned char>(hi >> (56 - 8 * i));
    b[static_cast<std::size_t>(8 + i)] = static_cast<unsigned char>(lo >> (56 - 8 * i));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 15];
  }
  return out;
}

}  // namespace stepwise::internal
