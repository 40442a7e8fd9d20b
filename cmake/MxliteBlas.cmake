# mxlite: which BLAS runs GEMM (float32/float64 matrix products).
#
#   MXLITE_BLAS = auto | scipy-openblas | system | none
#     scipy-openblas  the `scipy-openblas32` PyPI wheel (symbols prefixed scipy_),
#                     located through the Python interpreter; for Python builds.
#     system          find_package(BLAS) (e.g. Debian libopenblas-dev); native builds.
#     none            the portable loop kernel in cpp/src/kernels/gemm.cc.
#     auto            scipy-openblas for Python builds when the wheel is importable,
#                     else system when found, else none.
#
# LAPACK (cpp/src/kernels/lapack.cc: Cholesky, QR/LQ, LU, eigen- and singular
# value decompositions) comes with it: the scipy-openblas32 library contains
# LAPACK under the same prefix; for `system`, find_package(LAPACK) when
# available. Without LAPACK the ops that need it raise an error naming the op.
#
# Defines mxlite_use_blas(<target>), which links the chosen BLAS PRIVATE and sets
# MXLITE_HAVE_BLAS / MXLITE_BLAS_PREFIX for cpp/src/kernels/gemm.cc (and
# MXLITE_HAVE_LAPACK for cpp/src/kernels/lapack.cc), and the
# variable MXLITE_BLAS_SELECTED (what was chosen; the installed package config
# needs it: a system BLAS must be found again by consumers of the static library).
set(MXLITE_BLAS "auto" CACHE STRING "BLAS for GEMM: auto, scipy-openblas, system or none")
set_property(CACHE MXLITE_BLAS PROPERTY STRINGS auto scipy-openblas system none)

function(_mxlite_find_scipy_openblas out_found)
  set(${out_found} FALSE PARENT_SCOPE)
  if(NOT Python_EXECUTABLE)
    find_package(Python 3.9 QUIET COMPONENTS Interpreter)
  endif()
  if(NOT Python_EXECUTABLE)
    return()
  endif()
  execute_process(
    COMMAND "${Python_EXECUTABLE}" -c
      "import scipy_openblas32 as s; print(s.get_include_dir()); print(s.get_lib_dir()); print(s.get_library())"
    OUTPUT_VARIABLE _out RESULT_VARIABLE _rc ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT _rc EQUAL 0)
    return()
  endif()
  string(REPLACE "\n" ";" _out "${_out}")
  list(GET _out 0 _inc)
  list(GET _out 1 _libdir)
  list(GET _out 2 _name)
  # Looked up afresh each configure: isolated pip builds get a new temporary
  # site-packages each time, so a cached path would go stale.
  unset(MXLITE_SCIPY_OPENBLAS_LIBRARY CACHE)
  find_library(MXLITE_SCIPY_OPENBLAS_LIBRARY NAMES ${_name} PATHS "${_libdir}" NO_DEFAULT_PATH)
  if(NOT MXLITE_SCIPY_OPENBLAS_LIBRARY)
    return()
  endif()
  set(MXLITE_SCIPY_OPENBLAS_INCLUDE_DIR "${_inc}" PARENT_SCOPE)
  set(${out_found} TRUE PARENT_SCOPE)
endfunction()

set(MXLITE_BLAS_SELECTED none)
if(MXLITE_BLAS STREQUAL "scipy-openblas" OR (MXLITE_BLAS STREQUAL "auto" AND MXLITE_BUILD_PYTHON))
  _mxlite_find_scipy_openblas(_mxlite_scipy_found)
  if(_mxlite_scipy_found)
    set(MXLITE_BLAS_SELECTED scipy-openblas)
  elseif(MXLITE_BLAS STREQUAL "scipy-openblas")
    message(FATAL_ERROR "MXLITE_BLAS=scipy-openblas but the scipy_openblas32 module was not found "
                        "by ${Python_EXECUTABLE} (pip install scipy-openblas32)")
  endif()
endif()
if(MXLITE_BLAS_SELECTED STREQUAL "none" AND (MXLITE_BLAS STREQUAL "system" OR MXLITE_BLAS STREQUAL "auto"))
  if(MXLITE_BLAS STREQUAL "system")
    find_package(BLAS REQUIRED)
  else()
    find_package(BLAS QUIET)
  endif()
  if(BLAS_FOUND)
    set(MXLITE_BLAS_SELECTED system)
  endif()
endif()
message(STATUS "mxlite: GEMM through BLAS: ${MXLITE_BLAS_SELECTED}")
set(MXLITE_LAPACK_SELECTED FALSE)
if(MXLITE_BLAS_SELECTED STREQUAL "scipy-openblas")
  set(MXLITE_LAPACK_SELECTED TRUE)  # the wheel's library holds LAPACK too
elseif(MXLITE_BLAS_SELECTED STREQUAL "system")
  find_package(LAPACK QUIET)
  if(LAPACK_FOUND)
    set(MXLITE_LAPACK_SELECTED TRUE)
  endif()
endif()
if(MXLITE_LAPACK_SELECTED)
  message(STATUS "mxlite: LAPACK: yes")
else()
  message(STATUS "mxlite: LAPACK: none (linalg decompositions such as potrf, inverse, svd raise an error)")
endif()
set(MXLITE_LAPACK_SELECTED "${MXLITE_LAPACK_SELECTED}" CACHE INTERNAL "whether LAPACK is linked")
if(MXLITE_BLAS_SELECTED STREQUAL "none")
  if(MXLITE_BLAS STREQUAL "none")
    message(STATUS "mxlite: MXLITE_BLAS=none: matrix products use the portable GEMM loop "
                   "(about 14x slower than OpenBLAS at 1024x1024)")
  else()
    # auto found nothing: say so loudly, with the fix.
    if(MXLITE_BUILD_PYTHON)
      set(_mxlite_blas_fix "pip install scipy-openblas32 (into ${Python_EXECUTABLE}), or ")
    else()
      set(_mxlite_blas_fix "")
    endif()
    message(WARNING
      "mxlite: no BLAS found. Matrix products (matmul, dot, fully_connected, ...) fall back to the "
      "portable GEMM loop, about 14x slower than OpenBLAS at 1024x1024.\n"
      "Fix: ${_mxlite_blas_fix}install OpenBLAS (Debian/Ubuntu: apt install libopenblas-dev) and "
      "configure again (the same build directory is fine); -DMXLITE_BLAS=system makes a missing BLAS "
      "an error. -DMXLITE_BLAS=none chooses the portable loop without this warning.")
  endif()
endif()
# Visible to every directory (python/src sets the extension's RPATH from it).
set(MXLITE_BLAS_SELECTED "${MXLITE_BLAS_SELECTED}" CACHE INTERNAL "BLAS chosen for GEMM")

function(mxlite_use_blas target)
  if(MXLITE_BLAS_SELECTED STREQUAL "scipy-openblas")
    target_compile_definitions(${target} PRIVATE MXLITE_HAVE_BLAS=1 MXLITE_HAVE_LAPACK=1 MXLITE_BLAS_PREFIX=scipy_)
    target_link_libraries(${target} PRIVATE "${MXLITE_SCIPY_OPENBLAS_LIBRARY}")
  elseif(MXLITE_BLAS_SELECTED STREQUAL "system")
    target_compile_definitions(${target} PRIVATE MXLITE_HAVE_BLAS=1 MXLITE_BLAS_PREFIX=)
    if(MXLITE_LAPACK_SELECTED)
      target_compile_definitions(${target} PRIVATE MXLITE_HAVE_LAPACK=1)
      target_link_libraries(${target} PRIVATE LAPACK::LAPACK)
    endif()
    target_link_libraries(${target} PRIVATE BLAS::BLAS)
  endif()
endfunction()
