// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// ASL field names as named constants (STYLE.md section 8): the only place they are spelled.
#ifndef STEPWISE_SRC_PARSE_FIELD_NAMES_H_
#define STEPWISE_SRC_PARSE_FIELD_NAMES_H_

#include <string_view>

namespace stepwise::internal::fields {

inline constexpr std::string_view kType = "Type";
inline constexpr std::string_view kComment = "Comment";
inline constexpr std::string_view kQueryLanguage = "QueryLanguage";
inline constexpr std::string_view kNext = "Next";
inline constexpr std::string_view kEnd = "End";
inline constexpr std::string_view kResource = "Resource";
inline constexpr std::string_view kRetry = "Retry";
inline constexpr std::string_view kCatch = "Catch";
inline constexpr std::string_view kTimeoutSeconds = "TimeoutSeconds";
inline constexpr std::string_view kHeartbeatSeconds = "HeartbeatSeconds";
inline constexpr std::string_view kCredentials = "Credentials";
inline constexpr std::string_view kAssign = "Assign";
inline constexpr std::string_view kInputPath = "InputPath";
inline constexpr std::string_view kOutputPath = "OutputPath";
inline constexpr std::string_view kResultPath = "ResultPath";
inline constexpr std::string_view kParameters = "Parameters";
inline constexpr std::string_view kResultSelector = "ResultSelector";
inline constexpr std::string_view kTimeoutSecondsPath = "TimeoutSecondsPath";
inline constexpr std::string_view kHeartbeatSecondsPath = "HeartbeatSecondsPath";
inline constexpr std::string_view kArguments = "Arguments";
inline constexpr std::string_view kOutput = "Output";
inline constexpr std::string_view kResult = "Result";
inline constexpr std::string_view kChoices = "Choices";
inline constexpr std::string_view kDefault = "Default";
inline constexpr std::string_view kSeconds = "Seconds";
inline constexpr std::string_view kTimestamp = "Timestamp";
inline constexpr std::string_view kSecondsPath = "SecondsPath";
inline constexpr std::string_view kTimestampPath = "TimestampPath";
inline constexpr std::string_view kError = "Error";
inline constexpr std::string_view kCause = "Cause";
inline constexpr std::string_view kErrorPath = "ErrorPath";
inline constexpr std::string_view kCausePath = "CausePath";
inline constexpr std::string_view kBranches = "Branches";
inline constexpr std::string_view kItemProcessor = "ItemProcessor";
inline constexpr std::string_view kIterator = "Iterator";
inline constexpr std::string_view kItemSelector = "ItemSelector";
inline constexpr std::string_view kItemReader = "ItemReader";
inline constexpr std::string_view kItemBatcher = "ItemBatcher";
inline constexpr std::string_view kResultWriter = "ResultWriter";
inline constexpr std::string_view kMaxConcurrency = "MaxConcurrency";
inline constexpr std::string_view kToleratedFailurePercentage = "ToleratedFailurePercentage";
inline constexpr std::string_view kToleratedFailureCount = "ToleratedFailureCount";
inline constexpr std::string_view kLabel = "Label";
inline constexpr std::string_view kItemsPath = "ItemsPath";
inline constexpr std::string_view kMaxConcurrencyPath = "MaxConcurrencyPath";
inline constexpr std::string_view kToleratedFailurePercentagePath =
    "ToleratedFailurePercentagePath";
inline constexpr std::string_view kToleratedFailureCountPath = "ToleratedFailureCountPath";
inline constexpr std::string_view kItems = "Items";
inline constexpr std::string_view kStartAt = "StartAt";
inline constexpr std::string_view kStates = "States";
inline constexpr std::string_view kVersion = "Version";
inline constexpr std::string_view kErrorEquals = "ErrorEquals";
inline constexpr std::string_view kIntervalSeconds = "IntervalSeconds";
inline constexpr std::string_view kMaxAttempts = "MaxAttempts";
inline constexpr std::string_view kBackoffRate = "BackoffRate";
inline constexpr std::string_view kMaxDelaySeconds = "MaxDelaySeconds";
inline constexpr std::string_view kJitterStrategy = "JitterStrategy";
inline constexpr std::string_view kCondition = "Condition";
inline constexpr std::string_view kVariable = "Variable";
inline constexpr std::string_view kAnd = "And";
inline constexpr std::string_view kOr = "Or";
inline constexpr std::string_view kNot = "Not";
inline constexpr std::string_view kProcessorConfig = "ProcessorConfig";
inline constexpr std::string_view kMode = "Mode";
inline constexpr std::string_view kExecutionType = "ExecutionType";

}  // namespace stepwise::internal::fields

#endif  // STEPWISE_SRC_PARSE_FIELD_NAMES_H_
