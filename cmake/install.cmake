# The installed C++ package: headers, libmxlite.a and a CMake config so that
#   find_package(mxlite REQUIRED)
#   target_link_libraries(app PRIVATE mxlite::mxlite)
# works from another project. Every rule is in the "dev" component, so the
# Python wheel (scikit-build-core installs only the "python" component) gets
# none of it; a plain `cmake --install build` installs everything.
# A build linked to the scipy-openblas32 wheel (Python builds) would name a
# library inside site-packages: such a package is not relocatable, so the C++
# package is only installed from builds with a system BLAS or none.
if(MXLITE_BLAS_SELECTED STREQUAL "scipy-openblas")
  message(STATUS "mxlite: C++ package not installed (BLAS from the scipy-openblas32 wheel); "
                 "configure with -DMXLITE_BLAS=system or none to install it")
  return()
endif()

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(MXLITE_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/mxlite")

install(TARGETS mxlite EXPORT mxliteTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/cpp/include/mxlite
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev
  FILES_MATCHING PATTERN "*.h" PATTERN "*.inc")
install(EXPORT mxliteTargets
  NAMESPACE mxlite::
  DESTINATION ${MXLITE_INSTALL_CMAKEDIR} COMPONENT dev)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/mxliteConfig.cmake.in
  ${PROJECT_BINARY_DIR}/mxliteConfig.cmake
  INSTALL_DESTINATION ${MXLITE_INSTALL_CMAKEDIR})
# 0.x releases may change the API between minor versions.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/mxliteConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/mxliteConfig.cmake ${PROJECT_BINARY_DIR}/mxliteConfigVersion.cmake
  DESTINATION ${MXLITE_INSTALL_CMAKEDIR} COMPONENT dev)
