# add_ht_library(name sources... [DEPENDS ...] [LINK_LIBS ...])
#
# An ht-mlir library: built like an upstream MLIR library (same flags, same
# tablegen dependencies), but installed into ht-mlir's own export set,
# HTMLIRTargets, rather than MLIR's, so `find_package(HTMLIR)` can import it.
function(add_ht_library name)
  add_mlir_library(${name} DISABLE_INSTALL EXCLUDE_FROM_LIBMLIR ${ARGN}
    DEPENDS mlir-headers)
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${HT_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${HT_BINARY_DIR}/include>
    $<INSTALL_INTERFACE:include>)
  install(TARGETS ${name}
    EXPORT HTMLIRTargets
    ARCHIVE DESTINATION lib
    LIBRARY DESTINATION lib)
  set_property(GLOBAL APPEND PROPERTY HT_EXPORTED_LIBRARIES ${name})
endfunction()
