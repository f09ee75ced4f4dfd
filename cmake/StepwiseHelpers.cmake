# Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#
# stepwise_add_test(NAME SOURCES... [LIBS ...]): a GoogleTest executable linked against the
# internal static library (so private code is testable in shared builds), registered with CTest.
function(stepwise_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;ARGS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE stepwise_internal stepwise_test_support
                        GTest::gtest GTest::gmock GTest::gtest_main ${ARG_LIBS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  add_test(NAME ${name} COMMAND ${name} ${ARG_ARGS})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT
    "STEPWISE_SHARED_DIR=${PROJECT_SOURCE_DIR}/../shared;STEPWISE_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
