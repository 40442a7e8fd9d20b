// Random sampling. Element i of a draw is a pure function of (seed, counter
// + i), so large draws fill in parallel and seeded runs are reproducible
// whatever the thread count.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <mutex>
#include <vector>

#include "mxlite/autograd.h"
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

// A uniform integer in [0, range) from 64 random bits (multiply-high: the
// bias is at most range / 2^64).
inline uint64_t below(uint64_t bits, uint64_t range) {
  return static_cast<uint64_t>((static_cast<unsigned __int128>(bits) * range) >> 64);
}

// attrs.axes = {low, high}: exact int64 bounds (a double would round them);
// the range is computed in unsigned arithmetic, which covers all of int64.
void randint_kernel(const Attrs& attrs, Span<NDArray>, ArrayList& out) {
  auto [key, first] = reserve(out[0].size());
  const uint64_t low = static_cast<uint64_t>(attrs.axes[0]);
  const uint64_t range = static_cast<uint64_t>(attrs.axes[1]) - low;
  auto fill = [&](auto* p) {
    using T = std::remove_pointer_t<decltype(p)>;
    kernels::for_range(out[0].size(), kernels::kParallelGrain, [=](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i)
        p[i] = static_cast<T>(static_cast<int64_t>(low + below(mix(key ^ (first + 2 * i)), range)));
    });
  };
  if (out[0].dtype() == DType::Int32)
    fill(out[0].data<int32_t>());
  else
    fill(out[0].data<int64_t>());
}

// Picks attrs.shape samples of the indices [0, attrs.index). Inputs, in
// order and only when present: the population (1-D; values are taken from
// it, else the indices themselves are the result) and the probabilities p
// (float64). attrs.keepdims: sample with replacement; attrs.axis bit 0:
// population given, bit 1: p given.
void choice_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const int64_t n = attrs.index, k = out[0].size();
  const bool has_population = attrs.axis & 1, has_p = attrs.axis & 2, replace = attrs.keepdims;
  const double* p = has_p ? in[has_population ? 1 : 0].data<double>() : nullptr;
  auto [key, first] = reserve(replace ? k : n);
  auto draw = [key = key, first = first](int64_t i) { return mix(key ^ (first + 2 * i)); };
  std::vector<int64_t> picked(static_cast<size_t>(k));
  if (replace && !p) {
    for (int64_t i = 0; i < k; ++i) picked[i] = static_cast<int64_t>(below(draw(i), static_cast<uint64_t>(n)));
  } else if (replace) {
    // Inverse CDF: the first index whose cumulative probability exceeds u.
    std::vector<double> cdf(static_cast<size_t>(n));
    double total = 0;
    for (int64_t j = 0; j < n; ++j) cdf[j] = total += p[j];
    for (int64_t i = 0; i < k; ++i) {
      double u = unit(draw(i)) * total;
      int64_t j = std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin();
      while (j > 0 && (j >= n || p[j] == 0)) --j;  // never land on a zero-probability index
      picked[i] = j;
    }
  } else if (!p) {
    // Partial Fisher-Yates: the first k slots of a random permutation.
    std::vector<int64_t> idx(static_cast<size_t>(n));
    for (int64_t j = 0; j < n; ++j) idx[j] = j;
    for (int64_t i = 0; i < k; ++i) {
      int64_t j = i + static_cast<int64_t>(below(draw(i), static_cast<uint64_t>(n - i)));
      std::swap(idx[i], idx[j]);
      picked[i] = idx[i];
    }
  } else {
    // Weighted sampling without replacement: the k smallest keys -log(u) / p
    // (exponential races) are distributed like successive weighted draws.
    std::vector<std::pair<double, int64_t>> keys;
    for (int64_t j = 0; j < n; ++j) {
      if (p[j] > 0) keys.emplace_back(-std::log(1.0 - unit(draw(j))) / p[j], j);
    }
    std::partial_sort(keys.begin(), keys.begin() + k, keys.end());
    for (int64_t i = 0; i < k; ++i) picked[i] = keys[i].second;
  }
  if (has_population) {
    MXLITE_DTYPE_SWITCH(out[0].dtype(), T, {
      const T* src = in[0].data<T>();
      T* dst = out[0].data<T>();
      for (int64_t i = 0; i < k; ++i) dst[i] = src[picked[i]];
    });
  } else {
    std::copy(picked.begin(), picked.end(), out[0].data<int64_t>());
  }
}

// A copy of the input with its rows (axis 0) in a random order.
void shuffle_kernel(const Attrs&, Span<NDArray> in, ArrayList& out) {
  const int64_t rows = in[0].ndim() == 0 ? 1 : in[0].shape()[0];
  if (rows == 0) return;
  const size_t row_bytes = in[0].nbytes() / static_cast<size_t>(rows);
  auto [key, first] = reserve(rows);
  std::vector<int64_t> order(static_cast<size_t>(rows));
  for (int64_t j = 0; j < rows; ++j) order[j] = j;
  for (int64_t i = rows - 1; i > 0; --i) {
    int64_t j = static_cast<int64_t>(below(mix(key ^ (first + 2 * i)), static_cast<uint64_t>(i + 1)));
    std::swap(order[i], order[j]);
  }
  const char* src = static_cast<const char*>(in[0].raw_data());
  char* dst = static_cast<char*>(out[0].raw_data());
  for (int64_t i = 0; i < rows; ++i) std::memcpy(dst + i * row_bytes, src + order[i] * row_bytes, row_bytes);
}

}  // namespace

void register_random_ops() {
  // attrs.scalar/scalar2: low/high; int32 or int64.
  register_op("random_randint")
      .inputs(0)
      .set_infer(infer_from_attrs)
      .set_kernel(randint_kernel)
      .set_flags(kNotDifferentiable);
  register_op("random_choice")
      .inputs(-1)
      .set_kernel(choice_kernel)
      .set_flags(kNotDifferentiable)
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        out.push_back(TensorMeta{attrs.shape, (attrs.axis & 1) ? in[0].dtype() : DType::Int64});
      });
  register_op("random_shuffle").set_infer(infer_like_input).set_kernel(shuffle_kernel).set_flags(kNotDifferentiable);
  // attrs.scalar/scalar2: low/high for uniform, loc/scale for normal.
  register_op("random_uniform")
      .inputs(0)
      .set_infer(infer_from_attrs)
      .set_kernel(uniform_kernel)
      .set_flags(kNotDifferentiable);
  register_op("random_normal")
      .inputs(0)
      .set_infer(infer_from_attrs)
      .set_kernel(normal_kernel)
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
  for (int64_t d : shape)
    MXLITE_CHECK_AS(ValueError, d >= 0, name, "negative dimensions are not allowed: shape ", shape);
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

NDArray random_randint(int64_t low, int64_t high, const Shape& shape, DType dtype) {
  static const OpDef& o = op("random_randint");
  for (int64_t d : shape)
    MXLITE_CHECK_AS(ValueError, d >= 0, "randint", "negative dimensions are not allowed: shape ", shape);
  MXLITE_CHECK(dtype == DType::Int32 || dtype == DType::Int64, "randint", "dtype must be int32 or int64, got ",
               dtype_name(dtype));
  MXLITE_CHECK(low < high, "randint", "low >= high (", low, " >= ", high, ")");
  if (dtype == DType::Int32) {
    MXLITE_CHECK(low >= INT32_MIN && high - 1 <= INT32_MAX, "randint", "bounds [", low, ", ", high,
                 ") are out of range for int32");
  }
  Attrs attrs;
  attrs.shape = shape;
  attrs.dtype = dtype;
  attrs.axes = Axes{low, high};
  return invoke1(o, {}, attrs);
}

NDArray random_choice(const NDArray& population, int64_t n, const Shape& shape, bool replace, const NDArray& p) {
  static const OpDef& o = op("random_choice");
  const bool has_population = population.defined();
  if (has_population) {
    MXLITE_CHECK(population.ndim() == 1, "choice", "a must be 1-dimensional, got shape ", population.shape());
    n = population.size();
  }
  MXLITE_CHECK(n > 0 || shape_size(shape) == 0, "choice", "a must be non-empty (or a positive integer)");
  for (int64_t d : shape)
    MXLITE_CHECK_AS(ValueError, d >= 0, "choice", "negative dimensions are not allowed: shape ", shape);
  const int64_t k = shape_size(shape);
  NDArray probs;
  if (p.defined()) {
    MXLITE_CHECK(p.ndim() == 1 && p.size() == n, "choice", "p must be 1-dimensional with ", n,
                 " entries (one per element of a), got shape ", p.shape());
    probs = p.dtype() == DType::Float64 ? p : astype(p, DType::Float64);
    const double* q = probs.data<double>();
    double total = 0;
    int64_t nonzero = 0;
    for (int64_t j = 0; j < n; ++j) {
      MXLITE_CHECK(q[j] >= 0, "choice", "probabilities are not non-negative");
      total += q[j];
      nonzero += q[j] > 0;
    }
    MXLITE_CHECK(std::fabs(total - 1.0) <= 1e-6, "choice", "probabilities do not sum to 1 (sum is ", total, ")");
    MXLITE_CHECK(replace || nonzero >= k, "choice", "fewer non-zero entries in p (", nonzero, ") than size (", k,
                 ") when sampling without replacement");
  }
  MXLITE_CHECK(replace || k <= n, "choice", "cannot take a larger sample (", k, ") than population (", n,
               ") when replace=False");
  Attrs attrs;
  attrs.shape = shape;
  attrs.index = n;
  attrs.keepdims = replace;
  attrs.axis = (has_population ? 1 : 0) | (p.defined() ? 2 : 0);
  ArrayList inputs;
  if (has_population) inputs.push_back(population);
  if (p.defined()) inputs.push_back(probs);
  return invoke1(o, Span<NDArray>(inputs), attrs);
}

void shuffle(const NDArray& a) {
  static const OpDef& o = op("random_shuffle");
  autograd::check_inplace_allowed(a, NDArray(), "shuffle");
  if (a.ndim() == 0) return;
  a.assign(invoke1(o, {a}));
}

}  // namespace np
}  // namespace mxlite
