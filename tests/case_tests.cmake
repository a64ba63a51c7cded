# SPDX-License-Identifier: GPL-2.0-only
# One ctest per case of a test program ("PROG CASE" runs one case), so the
# list of tests says what is covered; PREFIX.cases fails when the program's
# own list and this one drift apart (check_cases.cmake).
#
#   hpt_case_tests(TARGET PREFIX [LABELS label...] CASES case...)
function(hpt_case_tests target prefix)
  cmake_parse_arguments(arg "" "" "LABELS;CASES" ${ARGN})
  set(tests ${prefix}.cases)
  foreach(case ${arg_CASES})
    add_test(NAME ${prefix}.${case} COMMAND ${target} ${case})
    list(APPEND tests ${prefix}.${case})
  endforeach()
  string(REPLACE ";" "\n" expected "${arg_CASES}")
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/${prefix}.cases "${expected}\n")
  add_test(NAME ${prefix}.cases
    COMMAND ${CMAKE_COMMAND} -DPROG=$<TARGET_FILE:${target}>
            -DEXPECTED=${CMAKE_CURRENT_BINARY_DIR}/${prefix}.cases
            -P ${PROJECT_SOURCE_DIR}/tests/check_cases.cmake)
  if(arg_LABELS)
    set_tests_properties(${tests} PROPERTIES LABELS "${arg_LABELS}")
  endif()
endfunction()
