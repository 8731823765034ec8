# rkgen_add_stepper(<target> FAMILY <file.ode> TABLEAU <builtin|file.json>
#                   [NAME <prefix>] [REAL double|float] [ADAPTIVE] [GOLDEN <file>])
#
# Generates the stepper <prefix>.c/.h with `rkgen emit` at build time into
# ${CMAKE_CURRENT_BINARY_DIR}/rkgen/<prefix>/, adds the .c to <target> and
# that directory to its include path.  The files are made again when the
# family file, the tableau file or rkgen itself changes, as bison_target
# does for a grammar.
#
# NAME is the C prefix and file name; by default it is made from the
# family and tableau file names (vanderpol.ode and rk4 give
# vanderpol_rk4), so the outputs are known when CMake configures.
#
# GOLDEN registers the test rkgen_regress_<prefix>, which runs
# `rkgen regress` on the generated files with that golden file (make one
# with `rkgen regress PREFIX.c --family F --tableau T --write-golden`).
#
# ADAPTIVE emits the adaptive solver of an embedded pair instead of the
# fixed-step stepper (rkgen emit --adaptive); rkgen regress checks
# fixed-step steppers only, so it cannot be combined with GOLDEN.
include_guard(GLOBAL)

function(_rkgen_c_name out text)
  string(TOLOWER "${text}" s)
  string(REGEX REPLACE "[^a-z0-9]" "_" s "${s}")
  set(${out} "${s}" PARENT_SCOPE)
endfunction()

function(rkgen_add_stepper target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "ADAPTIVE" "FAMILY;TABLEAU;NAME;REAL;GOLDEN" "")
  set(where "rkgen_add_stepper(${target})")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${where}: unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "${where}: '${target}' is not a target; create it first (add_executable or add_library)")
  endif()
  if(NOT arg_FAMILY OR NOT arg_TABLEAU)
    message(FATAL_ERROR "${where}: FAMILY <file.ode> and TABLEAU <builtin|file.json> are required")
  endif()

  get_filename_component(family "${arg_FAMILY}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${family}")
    message(FATAL_ERROR "${where}: FAMILY '${arg_FAMILY}' does not exist")
  endif()
  # A tableau is a file if it names one; otherwise rkgen looks it up as a
  # built-in name and says so if there is none.
  set(tableau "${arg_TABLEAU}")
  set(depends "${family}")
  get_filename_component(tableau_file "${arg_TABLEAU}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(arg_TABLEAU MATCHES "[/.]" OR EXISTS "${tableau_file}")
    if(NOT EXISTS "${tableau_file}")
      message(FATAL_ERROR "${where}: TABLEAU '${arg_TABLEAU}' does not exist")
    endif()
    set(tableau "${tableau_file}")
    list(APPEND depends "${tableau_file}")
  endif()

  if(arg_NAME)
    set(name "${arg_NAME}")
  else()
    get_filename_component(fstem "${family}" NAME_WE)
    get_filename_component(tstem "${arg_TABLEAU}" NAME_WE)
    _rkgen_c_name(name "${fstem}_${tstem}")
  endif()
  if(NOT name MATCHES "^[A-Za-z][A-Za-z0-9_]*$")
    message(FATAL_ERROR "${where}: NAME '${name}' is not a C identifier (a letter, then letters, digits or '_')")
  endif()

  set(emit_args)
  if(arg_REAL)
    if(NOT arg_REAL MATCHES "^(double|float)$")
      message(FATAL_ERROR "${where}: REAL is double or float, not '${arg_REAL}'")
    endif()
    list(APPEND emit_args --real ${arg_REAL})
  endif()
  if(arg_ADAPTIVE)
    if(arg_GOLDEN)
      message(FATAL_ERROR "${where}: GOLDEN checks a fixed-step stepper; rkgen regress does not cover ADAPTIVE solvers")
    endif()
    list(APPEND emit_args --adaptive)
  endif()

  set(dir "${CMAKE_CURRENT_BINARY_DIR}/rkgen/${name}")
  add_custom_command(
    OUTPUT "${dir}/${name}.c" "${dir}/${name}.h"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${dir}"
    COMMAND rkgen::rkgen emit "${family}" --tableau "${tableau}" --name ${name}
            --out "${dir}" --quiet ${emit_args}
    DEPENDS ${depends} rkgen::rkgen
    COMMENT "rkgen: ${name}.c from ${arg_FAMILY} and ${arg_TABLEAU}"
    VERBATIM)
  target_sources(${target} PRIVATE "${dir}/${name}.c" "${dir}/${name}.h")
  target_include_directories(${target} PUBLIC "$<BUILD_INTERFACE:${dir}>")
  # The C uses libm where f does (sin, exp, ...) and in the adaptive
  # controller.
  find_library(RKGEN_LIBM m)
  if(RKGEN_LIBM)
    target_link_libraries(${target} PRIVATE ${RKGEN_LIBM})
  endif()

  if(arg_GOLDEN)
    get_filename_component(golden "${arg_GOLDEN}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    if(NOT EXISTS "${golden}")
      message(FATAL_ERROR "${where}: GOLDEN '${arg_GOLDEN}' does not exist; write one with "
              "'rkgen regress ${name}.c --family ${arg_FAMILY} --tableau ${arg_TABLEAU} --write-golden'")
    endif()
    add_test(NAME rkgen_regress_${name}
             COMMAND rkgen::rkgen regress "${dir}/${name}.c" --family "${family}"
                     --tableau "${tableau}" --golden "${golden}")
  endif()
endfunction()
