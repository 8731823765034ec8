# What `cmake --install` puts under the prefix, and the Debian package
# `cpack -G DEB` makes of it:
#   bin/rkgen                                    the program (templates built in)
#   share/man/man1/rkgen.1, rkgen-COMMAND.1      from the program's own --help
#   share/doc/rkgen/                             README, docs/, examples/
#   share/bash-completion/completions/rkgen      completion from --help
#   lib/cmake/rkgen/                             find_package(rkgen) and
#                                                rkgen_add_stepper()
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS rkgen EXPORT rkgenTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Man pages are made from --help at build time, so the two cannot drift;
# tests/install_test.sh checks that every option of every --help is in
# its page.
find_program(RKGEN_HELP2MAN help2man)
if(RKGEN_HELP2MAN)
  # A reproducible date on the pages: the last commit's, else the
  # caller's SOURCE_DATE_EPOCH, else none at all.
  if(DEFINED ENV{SOURCE_DATE_EPOCH})
    set(RKGEN_DATE_EPOCH $ENV{SOURCE_DATE_EPOCH})
  else()
    execute_process(COMMAND git log -1 --format=%ct
                    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                    OUTPUT_VARIABLE RKGEN_DATE_EPOCH OUTPUT_STRIP_TRAILING_WHITESPACE
                    ERROR_QUIET RESULT_VARIABLE git_status)
    if(NOT git_status EQUAL 0)
      set(RKGEN_DATE_EPOCH 0)
    endif()
  endif()
  add_custom_command(
    OUTPUT ${CMAKE_BINARY_DIR}/man/rkgen.1
    COMMAND ${CMAKE_COMMAND} -DRKGEN=$<TARGET_FILE:rkgen> -DHELP2MAN=${RKGEN_HELP2MAN}
            -DOUT=${CMAKE_BINARY_DIR}/man -DVERSION=${PROJECT_VERSION}
            -DEPOCH=${RKGEN_DATE_EPOCH}
            -P ${CMAKE_SOURCE_DIR}/cmake/manpages.cmake
    DEPENDS rkgen ${CMAKE_SOURCE_DIR}/cmake/manpages.cmake
    COMMENT "Man pages from rkgen --help")
  add_custom_target(manpages ALL DEPENDS ${CMAKE_BINARY_DIR}/man/rkgen.1)
  install(DIRECTORY ${CMAKE_BINARY_DIR}/man/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
          FILES_MATCHING PATTERN "*.1")
else()
  message(WARNING "help2man was not found, so no man pages are built or installed "
          "(Debian: apt-get install help2man)")
endif()

install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs FILES_MATCHING PATTERN "*.md")
install(DIRECTORY examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples
        FILES_MATCHING PATTERN "*.ode" PATTERN "*.json" PATTERN "*.c" PATTERN "*.h"
        PATTERN "CMakeLists.txt" PATTERN "*.golden")
install(FILES cli/rkgen.bash-completion RENAME rkgen
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)

# The CMake package: the program as the imported target rkgen::rkgen,
# and rkgen_add_stepper().
set(RKGEN_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/rkgen)
install(EXPORT rkgenTargets NAMESPACE rkgen:: DESTINATION ${RKGEN_CMAKEDIR})
configure_package_config_file(cmake/rkgenConfig.cmake.in
  ${CMAKE_BINARY_DIR}/rkgenConfig.cmake INSTALL_DESTINATION ${RKGEN_CMAKEDIR})
# 0.x: a new minor version may change the interface.
write_basic_package_version_file(${CMAKE_BINARY_DIR}/rkgenConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/rkgenConfig.cmake ${CMAKE_BINARY_DIR}/rkgenConfigVersion.cmake
              cmake/rkgenFunctions.cmake
        DESTINATION ${RKGEN_CMAKEDIR})

# cpack -G DEB.  The shared libraries' packages come from dpkg-shlibdeps;
# tcc is named because libtcc reads its runtime from RKGEN_TCC_LIBDIR.
set(CPACK_PACKAGE_NAME rkgen)
set(CPACK_PACKAGE_VENDOR "rkgen")
set(CPACK_PACKAGE_CONTACT "rkgen developers <rkgen@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "learns Runge-Kutta integrators tuned to a family of ODEs and emits them as C")
set(CPACK_PACKAGE_DESCRIPTION
    "rkgen reads a family of ODEs (vector field and parameter distributions), trains a Runge-Kutta tableau for it, checks order conditions in MPFR and emits a dependency-free C stepper, checked bit for bit through libtcc.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION math)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "tcc")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "cmake, gcc | c-compiler, gnuplot-nox")
set(CPACK_STRIP_FILES ON)
include(CPack)
