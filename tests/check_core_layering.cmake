# SPDX-License-Identifier: GPL-2.0-only
# core/ is the bottom layer, built by both homes (the host and the test
# module): nothing under it may include a header of a layer built on top
# of it, scenario/, oracle/, harness/ or qemu/.  Such a header is named
# the way its own layer includes it: its path under an include/ directory
# (hpt/scenario.h) or its file name (scn_vm.h).  An include whose path
# names one of those directories counts too.  A name core/ itself
# provides (next to the includer, in core/include or a platform
# directory) is core's own.  Nor may core's CMake files name those layers.
#
#   cmake -DROOT=<source tree> -P check_core_layering.cmake
set(layers scenario oracle harness qemu)
string(REPLACE ";" "|" layer_re "${layers}")

# Every header of the layers above, as "name=where"
set(above "")
foreach(layer ${layers})
  file(GLOB_RECURSE headers RELATIVE ${ROOT} ${ROOT}/${layer}/*.h)
  foreach(h ${headers})
    if(h MATCHES "/include/(.+)$")
      set(name ${CMAKE_MATCH_1})
    else()
      get_filename_component(name ${h} NAME)
    endif()
    list(APPEND above "${name}=${h}")
  endforeach()
endforeach()
if(NOT above)
  message(FATAL_ERROR "no headers under ${ROOT}/{${layers}}: wrong ROOT?")
endif()

set(core_dirs ${ROOT}/core/include)
file(GLOB platforms LIST_DIRECTORIES true ${ROOT}/core/platform/*)
list(APPEND core_dirs ${platforms})

set(bad "")
file(GLOB_RECURSE sources ${ROOT}/core/*.c ${ROOT}/core/*.h)
list(LENGTH sources nsources)
foreach(f ${sources})
  get_filename_component(dir ${f} DIRECTORY)
  file(STRINGS ${f} lines REGEX "^#[ \t]*include")
  foreach(line ${lines})
    if(NOT line MATCHES "^#[ \t]*include[ \t]*[<\"]([^>\"]+)[>\"]")
      continue()
    endif()
    set(inc ${CMAKE_MATCH_1})
    if(inc MATCHES "(^|/)(${layer_re})/")
      list(APPEND bad "${f}: ${line}: a path into ${CMAKE_MATCH_2}/")
      continue()
    endif()
    set(own FALSE)
    foreach(d ${dir} ${core_dirs})
      if(EXISTS ${d}/${inc})
        set(own TRUE)
      endif()
    endforeach()
    if(own)
      continue()
    endif()
    foreach(entry ${above})
      string(REGEX MATCH "^([^=]+)=(.+)$" _ "${entry}")
      if(inc STREQUAL CMAKE_MATCH_1)
        list(APPEND bad "${f}: ${line}: ${CMAKE_MATCH_2}")
      endif()
    endforeach()
  endforeach()
endforeach()

file(GLOB_RECURSE cmake_files ${ROOT}/core/CMakeLists.txt
  ${ROOT}/core/*.cmake ${ROOT}/core/Kbuild ${ROOT}/core/Makefile)
foreach(f ${cmake_files})
  file(STRINGS ${f} lines REGEX "${layer_re}")
  foreach(line ${lines})
    if(NOT line MATCHES "^[ \t]*#")
      list(APPEND bad "${f}: ${line}: names a layer above the core")
    endif()
  endforeach()
endforeach()

if(bad)
  string(REPLACE ";" "\n" bad "${bad}")
  message(FATAL_ERROR "core/ includes from a layer above it:\n${bad}")
endif()
message(STATUS "core/: ${nsources} files, none includes from ${layers}")
