// mxlite (internal): vectorised transcendental functions over contiguous
// arrays. libm's scalar exp does not vectorise; these branch-free versions do,
// and are compiled once per instruction-set level (AVX-512, AVX2+FMA, baseline)
// with the best picked at load time.
#pragma once

#include <cstdint>

namespace mxlite {
namespace kernels {

/// y[i] = exp(x[i]) for i in [0, n); within 2 ulp of libm, NaN and +-inf kept,
/// gradual underflow to subnormals and 0, overflow to +inf. y may equal x.
void exp_contiguous(const float* x, float* y, int64_t n);
void exp_contiguous(const double* x, double* y, int64_t n);

}  // namespace kernels
}  // namespace mxlite
