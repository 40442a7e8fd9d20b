// mxlite (internal): convolution on oneDNN primitives, built when CMake's
// MXLITE_WITH_DNNL is ON (cpp/src/ops/conv_dnnl.cc); without it every call
// returns false and conv.cc runs its portable im2col + GEMM kernels.
#pragma once

#include <cstdint>

namespace mxlite {
namespace ops {
namespace dnnl_conv {

// One convolution in channels-first layout with 3-D spatial extents (1-D and
// 2-D data have leading extents of 1); dilate and pad as MXNet gives them.
struct Problem {
  int64_t n, c, f, groups;
  int64_t in[3], k[3], out[3];
  int64_t stride[3], dilate[3], pad[3];
};

enum class Pass { forward, backward_data, backward_weights };

// True when the build has oneDNN and MXLITE_DNNL is not set to 0.
bool enabled();

// float32 only. forward: (x, w) -> y; backward_data: (dy, w) -> dx;
// backward_weights: (x, dy) -> dw (overwritten). Returns false, having
// written nothing, when oneDNN has no primitive for the case; the caller
// then runs its own kernel.
bool run(Pass pass, const Problem& p, const float* a, const float* b, float* out);

}  // namespace dnnl_conv
}  // namespace ops
}  // namespace mxlite
