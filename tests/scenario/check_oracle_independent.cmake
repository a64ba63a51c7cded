# SPDX-License-Identifier: GPL-2.0-only
# The oracle judges the core, so it must not call it: no function the
# core library defines (its hash recovery above all) may be referenced by
# the oracle's objects, nor by the scenario code that gives the oracle
# its hashes from virtual addresses (scenario/va.c, scenario/scenario.c).
# Inline helpers leave no symbol, so the sources are read too: they may
# use the core's types, geometry and byte order, never its page-size
# decoding, layout conversions or anything of its resize.  The oracle's
# own sources (a path with /oracle/) go further: they may not include a
# core header, nor name one of the core's constants, macros or inline
# helpers (HPT_V_*, HPT_R_*, HPT_RMAP_*, HPT_SEG_*, HPT_HPTE*,
# hpt_order_*, hpt_npte, hpt_hptep, hpt_hpte_*, hpt_load_be64, ...):
# the format comes from oracle/oracle_spec.h, written from the spec, so
# a constant wrong in the core is not wrong in its judge as well.  Nor
# may they take a VA entry's hash or words from the generator
# (hpt_scn_va_hash, hpt_scn_va_v, ...): oracle/va_words.c has its own.
#
#   cmake -DNM=nm -DCORE=libhpt_core.a -DUSERS="liba.a;b.o" \
#         -DSOURCES="a.c;b.h" -P this
cmake_minimum_required(VERSION 3.20)

# The names `nm OPTION FILE` lists with type letter TYPE (T: code defined
# there, U: undefined there), into OUT
function(symbols file option type out)
  execute_process(COMMAND ${NM} ${option} ${file}
    OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "${NM} ${option} ${file} failed")
  endif()
  string(REGEX MATCHALL " ${type} [A-Za-z_][A-Za-z0-9_]*" found "${text}")
  list(TRANSFORM found REPLACE "^ ${type} " "")
  set(${out} ${found} PARENT_SCOPE)
endfunction()

symbols(${CORE} --defined-only T core_funcs)
list(FIND core_funcs hpt_rehash_target found)
if(found LESS 0)
  message(FATAL_ERROR "${CORE} defines no hpt_rehash_target: wrong library?")
endif()

set(bad "")
foreach(user ${USERS})
  symbols(${user} --undefined-only U refs)
  get_filename_component(base ${user} NAME)
  foreach(name ${refs})
    if(name IN_LIST core_funcs)
      list(APPEND bad "${base} calls the core's ${name}")
    endif()
  endforeach()
endforeach()
foreach(f ${SOURCES})
  file(STRINGS ${f} lines
    REGEX "hpt/resize\\.h|hpt_rehash|hpt_hpte_decode_psize|hpt_hpte_(old|new)_to_")
  foreach(line ${lines})
    get_filename_component(base ${f} NAME)
    list(APPEND bad "${base}: ${line}")
  endforeach()
endforeach()
set(core_names "HPT_V_|HPT_R_|HPT_RMAP_|HPT_SEG_|HPT_HPTE|HPT_HASH|HPT_AVPN|hpt_order_|hpt_npte|hpt_hptep|hpt_hpte_|hpt_(load|store)_be64|hpt_be64|hpt_read_hpte|hpt_write_hpte|hpt_gfn_to|hpt_model_|hpt_scn_va_|hpt_scn_(base|actual|seg)_shift")
set(core_headers "hpt/(env|hpte|table|vm|resize|model|platform|protocol)\\.h")
foreach(f ${SOURCES})
  if(NOT f MATCHES "/oracle/")
    continue()
  endif()
  file(STRINGS ${f} lines REGEX "(^|[^A-Za-z0-9_])(${core_names})|#include \"${core_headers}\"")
  foreach(line ${lines})
    get_filename_component(base ${f} NAME)
    list(APPEND bad "${base} uses a format not its own: ${line}")
  endforeach()
endforeach()
if(bad)
  list(REMOVE_DUPLICATES bad)
  string(REPLACE ";" "\n" bad "${bad}")
  message(FATAL_ERROR "the oracle depends on the code it judges:\n${bad}")
endif()
list(LENGTH core_funcs n)
message(STATUS "oracle references none of the core's ${n} functions")
