// mxlite (internal): 3x3 convolutions with unit stride and dilation by
// Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray, "Fast Algorithms
// for Convolutional Neural Networks", 2016): each 2x2 block of outputs costs
// 16 multiplies per channel pair instead of 36, as 16 GEMMs over blocks of
// tiles. conv.cc calls it for the forward pass, for the data gradient
// (a convolution with the flipped kernel) and, by the adjoint transforms, for
// the weight gradient.
#pragma once

#include <cstdint>

namespace mxlite {
namespace ops {
namespace winograd {

// One 2-D convolution, channels first, 3x3 kernel, unit stride and dilation.
struct Problem {
  int64_t n, c, f, groups;  // images, input channels, filters, groups
  int64_t ih, iw, oh, ow;   // input and output extents
  int64_t ph, pw;           // zero padding on the top/left (bottom/right follow from oh/ow)
};

enum class Pass { forward, weight_grad };  // the data gradient is a forward convolution

// True when the kernel pays for this problem and pass: enough tiles and
// channels per group for the 16 GEMMs to run at speed (measured,
// benchmarks/README.md); MXLITE_CONV_WINOGRAD=0 or 1 overrides the choice.
bool applies(const Problem& p, Pass pass);

// y (n, f, oh, ow) = x (n, c, ih, iw) convolved with w (f, c / groups, 3, 3);
// y is overwritten. float32 and float64.
void conv3x3(const Problem& p, const float* x, const float* w, float* y);
void conv3x3(const Problem& p, const double* x, const double* w, double* y);

// dw (f, c / groups, 3, 3) = the gradient of that convolution with respect to
// its weights, from x and the output gradient dy (n, f, oh, ow); overwritten.
void weight_grad3x3(const Problem& p, const float* x, const float* dy, float* dw);
void weight_grad3x3(const Problem& p, const double* x, const double* dy, double* dw);

}  // namespace winograd
}  // namespace ops
}  // namespace mxlite
