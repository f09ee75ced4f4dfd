// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Hashing (libcrypto) and UUIDs, shared by `States.Hash`/`States.UUID`, JSONata's
// `$hash`/`$uuid`, execution ARNs and definition fingerprints.
#ifndef STEPWISE_SRC_UTIL_DIGEST_H_
#define STEPWISE_SRC_UTIL_DIGEST_H_

#include <optional>
#include <string>
#include <string_view>

#include "util/random.h"

namespace stepwise::internal {

// Lowercase hex digest of `data` with `algorithm` ("MD5", "SHA-1", "SHA-256", "SHA-384",
// "SHA-512"), or nullopt for another algorithm name.
std::optional<std::string> hex_digest(std::string_view algorithm, std::string_view data);

// A version 4 UUID drawn from `random`, e.g. "3fa85f64-5717-4562-b3fc-2c963f66afa6".
std::string uuid_v4(Random& random);

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_UTIL_DIGEST_H_
