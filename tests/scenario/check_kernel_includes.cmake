# SPDX-License-Identifier: GPL-2.0-only
# scenario/ is compiled into the test module too: its sources and its
# public header may include only hpt/ headers and its own private ones
# (scn_*.h); text.c is host only.
#
# scenario/ also builds the tables that judge the core, so it must not
# share the core's facts: outside materialize.c (which fills the core's
# struct hpt_vm and needs its layout) no scenario file includes a core
# header beyond hpt/env.h (types and errno) or names a core constant,
# helper or structure.  Its own constants live in scenario/scn_spec.h.
file(GLOB sources ${DIR}/*.c ${DIR}/*.h ${DIR}/include/hpt/*.h)
set(bad "")
foreach(f ${sources})
  get_filename_component(name ${f} NAME)
  file(STRINGS ${f} lines REGEX "^#[ \t]*include")
  if(NOT name MATCHES "^(text\\.c|scenario_text\\.h)$")
    foreach(line ${lines})
      if(NOT line MATCHES "^#[ \t]*include \"hpt/[a-z_]+\\.h\"$"
         AND NOT line MATCHES "^#[ \t]*include \"scn_[a-z_]+\\.h\"$")
        list(APPEND bad "${f}: ${line}")
      endif()
    endforeach()
    file(STRINGS ${f} calls REGEX "(malloc|calloc|free|printf|abort|exit)[ \t]*\\(")
    foreach(line ${calls})
      if(NOT line MATCHES "hpt_plat_")
        list(APPEND bad "${f}: ${line}")
      endif()
    endforeach()
  endif()
  if(name STREQUAL "materialize.c")
    continue()
  endif()
  foreach(line ${lines})
    if(line MATCHES "\"hpt/" AND NOT line MATCHES
       "\"hpt/(env|scenario|scenario_text)\\.h\"")
      list(APPEND bad "${f}: core header: ${line}")
    endif()
  endforeach()
  file(STRINGS ${f} uses REGEX
    "(^|[^A-Za-z0-9_])(HPT_(V|R|RMAP|GR|SEG|HPTE|HPTES|MIN|MAX)_[A-Z0-9_]*|hpt_(order|hpte|hptep|npte|hash_mask|load_be|store_be|be64|write_hpte|model|gfn_to|rehash|plat)_?[a-z0-9_]*|struct hpt_(rev|info|memslot|resize)[^a-z_])")
  foreach(line ${uses})
    list(APPEND bad "${f}: core name: ${line}")
  endforeach()
endforeach()
if(bad)
  string(REPLACE ";" "\n" bad "${bad}")
  message(FATAL_ERROR "scenario/ must stay kernel-compatible and independent of the core:\n${bad}")
endif()
message(STATUS "scenario/ includes only hpt/ headers, allocates through the platform and names nothing of the core outside materialize.c")
