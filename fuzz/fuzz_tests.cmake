# SPDX-License-Identifier: GPL-2.0-only
# ctest for the fuzz targets: every target replays its seed corpus and the
# regression corpus; with an engine, every target also fuzzes briefly.
set(corpus ${PROJECT_SOURCE_DIR}/corpus)

# The smoke runs fuzz at the targets' default cap, read from its one
# definition (all_orders, whose own cap is higher, is pinned to it too)
file(STRINGS ${PROJECT_SOURCE_DIR}/harness/include/hpt/harness.h cap_line
     REGEX "^#define HPT_HARNESS_DEFAULT_MAX_ORDER[ \t]+[0-9]+")
string(REGEX MATCH "[0-9]+$" default_cap "${cap_line}")
if(NOT default_cap)
  message(FATAL_ERROR "no HPT_HARNESS_DEFAULT_MAX_ORDER in hpt/harness.h")
endif()

foreach(t ${HPT_FUZZ_TARGETS})
  # The protocol target runs every implementation with a protocol (the
  # kernels' real handlers too); the others diff the core, which agrees
  set(impls core)
  if(t STREQUAL "protocol")
    set(impls all)
  endif()
  set(dirs ${corpus}/${t} ${corpus}/regressions/${t})

  if(HPT_FUZZ_ENGINE STREQUAL "afl")
    add_test(NAME fuzz.${t}.afl
      COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/afl_smoke.sh
              --dict ${CMAKE_CURRENT_SOURCE_DIR}/${t}.dict
              --cmplog ${HPT_AFL_CMPLOG_DIR}/fuzz_${t}
              $<TARGET_FILE:fuzz_${t}> ${HPT_FUZZ_SECONDS} ${dirs})
    set_tests_properties(fuzz.${t}.afl PROPERTIES LABELS "fuzz;afl"
      TIMEOUT 300)
    continue()
  endif()

  if(HPT_FUZZ_ENGINE STREQUAL "libfuzzer")
    add_test(NAME fuzz.${t}.replay
      COMMAND fuzz_${t} -runs=0 ${dirs})
  else()
    add_test(NAME fuzz.${t}.replay COMMAND fuzz_${t} ${dirs})
  endif()
  set_tests_properties(fuzz.${t}.replay PROPERTIES LABELS "fuzz;replay"
    ENVIRONMENT HPTFUZZ_IMPLS=${impls})

  if(HPT_FUZZ_ENGINE STREQUAL "libfuzzer")
    # Fuzz from the seeds into a scratch corpus, never into corpus/
    set(work ${CMAKE_CURRENT_BINARY_DIR}/smoke-${t})
    add_test(NAME fuzz.${t}.fuzz
      COMMAND ${CMAKE_COMMAND} -E env HPTFUZZ_MAX_ORDER=${default_cap} HPTFUZZ_IMPLS=${impls}
              ${CMAKE_CURRENT_SOURCE_DIR}/libfuzzer_smoke.sh
              $<TARGET_FILE:fuzz_${t}> ${HPT_FUZZ_SECONDS} ${work} ${dirs})
    set_tests_properties(fuzz.${t}.fuzz PROPERTIES LABELS "fuzz" TIMEOUT 300)
  endif()
endforeach()

if(HPT_FUZZ_ENGINE STREQUAL "libfuzzer" AND NOT HPT_SANITIZE STREQUAL "memory")
  # The README's main job, briefly, in the tree it builds (the libfuzzer
  # preset; rebuilding is a no-op there): run alone.
  add_test(NAME fuzz.main_job
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/main_job_test.sh ${PROJECT_SOURCE_DIR}
            ${CMAKE_CURRENT_BINARY_DIR}/main-job
            $<TARGET_FILE:hptfuzz-replay> $<TARGET_FILE:fuzz_all_orders> 30)
  set_tests_properties(fuzz.main_job PROPERTIES LABELS "fuzz" TIMEOUT 600
    RUN_SERIAL TRUE)
endif()
