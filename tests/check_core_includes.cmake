# SPDX-License-Identifier: GPL-2.0-only
# The core's logic may include only its own headers: everything else
# comes through hpt/env.h, so the same files build in the kernel.
file(GLOB sources ${DIR}/src/*.c ${DIR}/model/*.c ${DIR}/include/hpt/*.h)
file(GLOB code ${DIR}/src/*.c ${DIR}/model/*.c)
set(bad "")
foreach(f ${sources})
  file(STRINGS ${f} lines REGEX "^#[ \t]*include")
  foreach(line ${lines})
    if(NOT line MATCHES "^#[ \t]*include \"hpt/[a-z_]+\\.h\"$"
       AND NOT line MATCHES "^#[ \t]*include \"[a-z_]+\\.h\"$"
       AND NOT line MATCHES "^#[ \t]*include <hpt_plat\\.h>$")
      list(APPEND bad "${f}: ${line}")
    endif()
  endforeach()
endforeach()
# No BUG() in code (the list of what replaced them lives in a comment)
foreach(f ${code})
  file(STRINGS ${f} bugs REGEX "BUG_ON|BUG\\(")
  if(bugs)
    list(APPEND bad "${f}: ${bugs}")
  endif()
endforeach()
if(bad)
  string(REPLACE ";" "\n" bad "${bad}")
  message(FATAL_ERROR "core includes or BUG()s outside its environment:\n${bad}")
endif()
message(STATUS "core includes only hpt/ headers and hpt_plat.h, no BUG()")
