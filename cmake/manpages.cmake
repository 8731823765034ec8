# Writes OUT/rkgen.1 and OUT/rkgen-COMMAND.1 with help2man from the
# program's own --help, so a page says what the program says.  The
# commands and their one-line summaries are read from `rkgen --help`.
# Script mode: -DRKGEN= -DHELP2MAN= -DOUT= -DVERSION= -DEPOCH=
file(MAKE_DIRECTORY ${OUT})
set(ENV{SOURCE_DATE_EPOCH} ${EPOCH})
execute_process(COMMAND ${RKGEN} --help OUTPUT_VARIABLE top RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${RKGEN} --help failed")
endif()

# The lines under "Commands:" are "  NAME  SUMMARY".
string(REGEX MATCH "Commands:\n(  [^\n]+\n)+" block "${top}")
string(REGEX MATCHALL "  [a-z]+ +[^\n]+" lines "${block}")
set(names "")
set(see_also "")
foreach(line ${lines})
  string(REGEX REPLACE "^  ([a-z]+) +(.*)$" "\\1" name "${line}")
  string(REGEX REPLACE "^  ([a-z]+) +(.*)$" "\\2" summary "${line}")
  list(APPEND names ${name})
  set(summary_${name} "${summary}")
  string(APPEND see_also ".BR rkgen\\-${name} (1)\n")
endforeach()
if(NOT names)
  message(FATAL_ERROR "no commands found in '${RKGEN} --help'")
endif()

function(page out program name include)
  file(WRITE ${OUT}/${out}.include "${include}")
  execute_process(
    COMMAND ${HELP2MAN} --no-info --no-discard-stderr --version-string=${VERSION}
            --name=${name} --include=${OUT}/${out}.include --output=${OUT}/${out}.tmp
            "${program}"
    RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "help2man failed on '${program}'")
  endif()
  file(READ ${OUT}/${out}.tmp text)
  # help2man titles every page RKGEN; a command's page is its own.
  string(TOUPPER "${out}" title)
  string(REGEX REPLACE "\n\\.TH RKGEN " "\n.TH ${title} " text "${text}")
  file(WRITE ${OUT}/${out}.tmp "${text}")
  file(RENAME ${OUT}/${out}.tmp ${OUT}/${out}.1)
  file(REMOVE ${OUT}/${out}.include)
endfunction()

set(files_section "[FILES]\nThe documentation is installed in\n.I share/doc/rkgen/\nunder the installation prefix (for the Debian package,\n.IR /usr/share/doc/rkgen/ ):\nREADME.md, docs/family-format.md for family files,\ndocs/tableau-format.md for tableau files, and examples/.\n")
foreach(name ${names})
  page(rkgen-${name} "${RKGEN} ${name}" "${summary_${name}}"
       "${files_section}\n[SEE ALSO]\n.BR rkgen (1)\n")
endforeach()
# The top page last: its file is the build's stamp.
page(rkgen ${RKGEN} "learn Runge-Kutta integrators tuned to a family of ODEs and emit them as C"
     "${files_section}\n[SEE ALSO]\n${see_also}")
