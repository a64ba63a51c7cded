# SPDX-License-Identifier: GPL-2.0-only
# Fails when a test program's cases and the ctest list differ.
execute_process(COMMAND ${PROG} --list OUTPUT_VARIABLE actual RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${PROG} --list failed")
endif()
file(READ ${EXPECTED} expected)
if(NOT actual STREQUAL expected)
  message(FATAL_ERROR "cases of ${PROG}:\n${actual}\nregistered in tests/CMakeLists.txt:\n${expected}")
endif()
