// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `STEPWISE_EXPORT` marks the symbols of the public API. Symbols are hidden by default;
// a shared build exports only what carries this macro.
#ifndef STEPWISE_EXPORT_H_
#define STEPWISE_EXPORT_H_

#if defined(STEPWISE_SHARED_LIBRARY)
#if defined(_WIN32)
#if defined(STEPWISE_COMPILE_LIBRARY)
#define STEPWISE_EXPORT __declspec(dllexport)
#else
#define STEPWISE_EXPORT __declspec(dllimport)
#endif
#else
#define STEPWISE_EXPORT __attribute__((visibility("default")))
#endif
#else
#define STEPWISE_EXPORT
#endif

#endif  // STEPWISE_EXPORT_H_
