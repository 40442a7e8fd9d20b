// Random sampling. Element i of a draw is a pure function of (seed, counter
// + i), so large draws fill in parallel and seeded runs are reproducible
// whatever the thread count.
#include <atomic>
#include <cmath>
#include <mutex>

#include "ops/common.h"

namespace mxlite {
namespace ops {
namespace {

struct RandomState {
  std::mutex mu;
  uint64_t seed = 0x853c49e6748fea9bull;
  uint64_t counter = 0;
};
RandomState& state() {
  static RandomState* s = new RandomState();
  return *s;
}

// splitmix64: a strong 64-bit mix; consecutive counters give independent draws.
inline uint64_t mix(uint64_t z) {
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
inline double unit(uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }  // [0, 1)

// Reserves `n` counters of the global stream and returns (key, first counter).
std::pair<uint64_t, uint64_t> reserve(int64_t n) {
  RandomState& s = state();
  std::lock_guard<std::mutex> lock(s.mu);
  uint64_t first = s.counter;
  s.counter += static_cast<uint64_t>(n) * 2;  // normal draws use two words each
  return {mix(s.seed), first};
}

void uniform_kernel(const Attrs& attrs, Span<NDArray>, ArrayList& out) {
  auto [key, first] = reserve(out[0].size());
  const double lo = attrs.scalar, span = attrs.scalar2 - attrs.scalar;
  MXLITE_FLOAT_SWITCH(out[0].dtype(), T, "random.uniform", {
    T* p = out[0].data<T>();
    kernels::for_range(out[0].size(), kernels::kParallelGrain, [=](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) p[i] = static_cast<T>(lo + span * unit(mix(key ^ (first + 2 * i))));
    });
  });
}

void normal_kernel(const Attrs& attrs, Span<NDArray>, ArrayList& out) {
  auto [key, first] = reserve(out[0].size());
  const double loc = attrs.scalar, scale = attrs.scalar2;
  MXLITE_FLOAT_SWITCH(out[0].dtype(), T, "random.normal", {
    T* p = out[0].data<T>();
    kernels::for_range(out[0].size(), kernels::kParallelGrain, [=](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) {
        // Box-Muller on two independent uniforms; 1 - u keeps log away from 0.
        double u1 = 1.0 - unit(mix(key ^ (first + 2 * i)));
        double u2 = unit(mix(key ^ (first + 2 * i + 1)));
        p[i] = static_cast<T>(loc + scale * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2));
      }
    });
  });
}

}  // namespace

void register_random_ops() {
  // attrs.scalar/scalar2: low/high for uniform, loc/scale for normal.
  register_op("random_uniform").inputs(0).set_infer(infer_from_attrs).set_kernel(uniform_kernel)
      .set_flags(kNotDifferentiable);
  register_op("random_normal").inputs(0).set_infer(infer_from_attrs).set_kernel(normal_kernel)
      .set_flags(kNotDifferentiable);
}

}  // namespace ops

namespace np {

void seed(uint64_t value) {
  auto& s = ops::state();
  std::lock_guard<std::mutex> lock(s.mu);
  s.seed = value;
  s.counter = 0;
}

static NDArray draw(const OpDef& o, double a, double b, const Shape& shape, DType dtype) {
  const char* name = o.name.c_str();
  for (int64_t d : shape) MXLITE_CHECK(d >= 0, name, "negative dimensions are not allowed: shape ", shape);
  MXLITE_CHECK(is_floating(dtype), name, "dtype must be float32 or float64, got ", dtype_name(dtype));
  Attrs attrs;
  attrs.shape = shape;
  attrs.dtype = dtype;
  attrs.scalar = a;
  attrs.scalar2 = b;
  return invoke1(o, {}, attrs);
}

NDArray random_uniform(double low, double high, const Shape& shape, DType dtype) {
  static const OpDef& o = op("random_uniform");
  return draw(o, low, high, shape, dtype);
}
NDArray random_normal(double loc, double scale, const Shape& shape, DType dtype) {
  MXLITE_CHECK(scale >= 0, "random_normal", "scale must be non-negative, got ", scale);
  static const OpDef& o = op("random_normal");
  return draw(o, loc, scale, shape, dtype);
}

}  // namespace np
}  // namespace mxlite
