// mxlite (internal): vectorised transcendental functions over contiguous
// arrays. libm's scalar exp does not vectorise; these branch-free versions do,
// and are compiled once per instruction-set level (AVX-512, AVX2+FMA, baseline)
// with the best picked at load time.
#pragma once

#include <cmath>
#include <cstdint>

namespace mxlite {
namespace kernels {

/// y[i] = exp(x[i]) for i in [0, n); within 2 ulp of libm, NaN and +-inf kept,
/// gradual underflow to subnormals and 0, overflow to +inf. y may equal x.
void exp_contiguous(const float* x, float* y, int64_t n);
void exp_contiguous(const double* x, double* y, int64_t n);

/// y[i] = tanh(x[i]) and y[i] = 1 / (1 + exp(-x[i])) through the vectorised
/// exp; within a few ulp of libm, NaN kept, saturating without overflow.
/// y may equal x.
void tanh_contiguous(const float* x, float* y, int64_t n);
void tanh_contiguous(const double* x, double* y, int64_t n);
void sigmoid_contiguous(const float* x, float* y, int64_t n);
void sigmoid_contiguous(const double* x, double* y, int64_t n);

// tanh(z) from e = exp(-2|z|) (one vectorised exp serves a whole row); a
// series near 0, where (1 - e) / (1 + e) loses relative precision. Blends
// instead of branches, so that the loops calling these vectorise.
template <class T> inline T tanh_from_exp(T z, T e) {
  const T az = std::abs(z), zs = az < T(0.125) ? az : T(0.125), z2 = zs * zs;
  const T series =
      zs * (T(1) + z2 * (T(-1.0 / 3) +
                         z2 * (T(2.0 / 15) +
                               z2 * (T(-17.0 / 315) +
                                     z2 * (T(62.0 / 2835) + z2 * (T(-1382.0 / 155925) + z2 * T(21844.0 / 6081075)))))));
  const T ratio = (T(1) - e) / (T(1) + e);
  const T small = T(az < T(0.125));
  return std::copysign(ratio + small * (series - ratio), z);
}
// The logistic function of z from e = exp(-|z|), without overflow.
template <class T> inline T sigmoid_from_exp(T z, T e) {
  const T positive = T(z >= T(0));
  return (e + positive * (T(1) - e)) / (T(1) + e);
}

}  // namespace kernels
}  // namespace mxlite
