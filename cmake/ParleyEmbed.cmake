# parley_embed_files(OUTPUT file.cc BASE dir FILES f...): turns files into a C++ source at build
# time, so the server binary carries its web UI. The generated source defines
#   parley::server::web::EmbeddedFile parley::server::web::kFiles[] / kNumFiles
# with each file's path relative to BASE, its bytes and its length. Regenerated when a file changes.
set(PARLEY_EMBED_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/ParleyEmbedScript.cmake")

function(parley_embed_files)
  cmake_parse_arguments(ARG "" "OUTPUT;BASE" "FILES" ${ARGN})
  add_custom_command(
    OUTPUT "${ARG_OUTPUT}"
    COMMAND "${CMAKE_COMMAND}" "-DOUTPUT=${ARG_OUTPUT}" "-DBASE=${ARG_BASE}"
            "-DFILES=${ARG_FILES}" -P "${PARLEY_EMBED_SCRIPT}"
    DEPENDS ${ARG_FILES} "${PARLEY_EMBED_SCRIPT}"
    COMMENT "Embedding ${ARG_BASE} into ${ARG_OUTPUT}"
    VERBATIM)
endfunction()
