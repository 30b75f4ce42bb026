# cmake/install.cmake: install rules (headers, libgicsim_model.a, libgicsim_hyp.a, libgicsim_check.a, libgicsim_dt.a, libgicsim_tlm.a), the gicsim CMake package and pkg-config files.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set_target_properties(gicsim_model PROPERTIES EXPORT_NAME model)
set_target_properties(gicsim_hyp PROPERTIES EXPORT_NAME hyp)
set_target_properties(gicsim_check PROPERTIES EXPORT_NAME check)
set_target_properties(gicsim_dt PROPERTIES EXPORT_NAME dt)
set_target_properties(gicsim_engine_c PROPERTIES EXPORT_NAME engine_c)
install(TARGETS gicsim_model gicsim_hyp gicsim_check gicsim_dt gicsim_engine_c gicsim_tlm EXPORT gicsimTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/model/include/ ${PROJECT_SOURCE_DIR}/hyp/include/ ${PROJECT_SOURCE_DIR}/dt/include/
  ${PROJECT_SOURCE_DIR}/check/include/ ${PROJECT_SOURCE_DIR}/tlm/include/
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(FILES ${GICSIM_GEN_PUBLIC_HEADER} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/gicsim)

set(GICSIM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/gicsim)
install(EXPORT gicsimTargets NAMESPACE gicsim:: DESTINATION ${GICSIM_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/gicsimConfig.cmake.in
  ${CMAKE_BINARY_DIR}/cmake/gicsimConfig.cmake INSTALL_DESTINATION ${GICSIM_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/cmake/gicsimConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/cmake/gicsimConfig.cmake ${CMAKE_BINARY_DIR}/cmake/gicsimConfigVersion.cmake
  DESTINATION ${GICSIM_CMAKE_DIR})

# pkg-config: gicsim (the C kernels) and gicsim-tlm (the SystemC module; requires systemc). The
# prefix is found from the .pc file's own place, so `cmake --install --prefix` anywhere works.
file(RELATIVE_PATH GICSIM_PC_TO_PREFIX "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
configure_file(${CMAKE_CURRENT_LIST_DIR}/gicsim.pc.in ${CMAKE_BINARY_DIR}/cmake/gicsim.pc @ONLY)
configure_file(${CMAKE_CURRENT_LIST_DIR}/gicsim-tlm.pc.in ${CMAKE_BINARY_DIR}/cmake/gicsim-tlm.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/cmake/gicsim.pc ${CMAKE_BINARY_DIR}/cmake/gicsim-tlm.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# libgicsim.so (the Python package's library, model/CMakeLists.txt), when built.
if(TARGET gicsim_shared)
  install(TARGETS gicsim_shared LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
endif()
