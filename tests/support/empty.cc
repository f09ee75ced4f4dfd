// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Keeps the test-support library non-empty while it has no other sources.
namespace stepwise::testing_support {}
