# cmake/install.cmake: install rules (headers, libgicsim_model.a, libgicsim_tlm.a), the gicsim CMake package and pkg-config files.
