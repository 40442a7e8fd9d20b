// Random sampling. Element i of a draw is a pure function of (seed, counter
// + i), so large draws fill in parallel and seeded runs are reproducible
// whatever the thread count.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <mutex>
#include <string>
#include <utility>
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

// ---- distributions with parameters ------------------------------------------
// Element i of a sample owns the stream of 64-bit words splitmix64 runs from
// the seed mix(key ^ (first + 2 i)), so rejection samplers may take as many
// words as they need and element i still depends on (seed, counter + i) only.
class Stream {
 public:
  Stream(uint64_t key, uint64_t counter) : state_(mix(key ^ counter)) {}
  uint64_t bits() { return mix(state_ + 0x9e3779b97f4a7c15ull * ++n_); }
  double uniform() { return unit(bits()); }                                        // [0, 1)
  double open() { return (static_cast<double>(bits() >> 11) + 0.5) * 0x1.0p-53; }  // (0, 1)
  double normal() {                                                                // Box-Muller, one of the pair
    return std::sqrt(-2.0 * std::log(open())) * std::cos(6.283185307179586 * uniform());
  }

 private:
  uint64_t state_;
  uint64_t n_ = 0;
};

// Gamma(k, 1): Marsaglia and Tsang's squeeze on a cubed normal for k >= 1;
// below 1, Gamma(k + 1) * U^(1/k) (the boost), in logs so U^(1/k) cannot
// underflow before the product does.
double gamma1(double k, Stream& s) {
  if (k <= 0) return 0.0;
  double boost = 0.0;
  if (k < 1) {
    boost = std::log(s.open()) / k;
    k += 1;
  }
  const double d = k - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x, v;
    do {
      x = s.normal();
      v = 1.0 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = s.open(), x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2 || std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v)))
      return boost == 0.0 ? d * v : std::exp(std::log(d * v) + boost);
  }
}

// Poisson(lam): products of uniforms for small lam; Hoermann's transformed
// rejection with squeeze (PTRS) above.
double poisson(double lam, Stream& s) {
  if (!(lam > 0)) return 0.0;
  if (lam < 12) {
    const double limit = std::exp(-lam);
    double prod = s.uniform();
    int64_t k = 0;
    while (prod > limit) {
      ++k;
      prod *= s.uniform();
    }
    return static_cast<double>(k);
  }
  const double slam = std::sqrt(lam), loglam = std::log(lam);
  const double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const double u = s.uniform() - 0.5, v = s.uniform(), us = 0.5 - std::fabs(u);
    const double k = std::floor((2 * a / us + b) * u + lam + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <= -lam + k * loglam - std::lgamma(k + 1))
      return k;
  }
}

// Binomial(n, p): inversion when n * min(p, 1 - p) is small, else Hoermann's
// BTRS (transformed rejection); p > 1/2 draws the failures.
int64_t binomial(int64_t n, double p, Stream& s) {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const bool flip = p > 0.5;
  if (flip) p = 1 - p;
  const double q = 1 - p;
  int64_t k = 0;
  if (n * p < 10) {
    const double ratio = p / q;
    double prob = std::pow(q, static_cast<double>(n)), u = s.uniform();
    while (u > prob && k < n) {
      u -= prob;
      ++k;
      prob *= ratio * static_cast<double>(n - k + 1) / static_cast<double>(k);
    }
  } else {
    const double spq = std::sqrt(n * p * q), b = 1.15 + 2.53 * spq, a = -0.0873 + 0.0248 * b + 0.01 * p;
    const double c = n * p + 0.5, vr = 0.92 - 4.2 / b, alpha = (2.83 + 5.1 / b) * spq, lpq = std::log(p / q);
    const double m = std::floor((n + 1) * p), h = std::lgamma(m + 1) + std::lgamma(n - m + 1);
    for (;;) {
      const double u = s.uniform() - 0.5, v = s.uniform(), us = 0.5 - std::fabs(u);
      const double kk = std::floor((2 * a / us + b) * u + c);
      if (kk < 0 || kk > n) continue;
      if (us >= 0.07 && v <= vr) {
        k = static_cast<int64_t>(kk);
        break;
      }
      if (std::log(v * alpha / (a / (us * us) + b)) <=
          h - std::lgamma(kk + 1) - std::lgamma(n - kk + 1) + (kk - m) * lpq) {
        k = static_cast<int64_t>(kk);
        break;
      }
    }
  }
  return flip ? n - k : k;
}

// One row per distribution: its parameters, their domains and a draw from
// the parameter values of one element.
enum class Domain { Any, NonNegative, Positive, Probability };
struct Dist {
  const char* name;
  int nparams;
  const char* params[2];
  Domain domain[2];
  double (*draw)(const double* p, Stream& s);
};

const Dist kDists[] = {
    {"uniform",
     2,
     {"low", "high"},
     {Domain::Any, Domain::Any},
     [](const double* p, Stream& s) { return p[0] + (p[1] - p[0]) * s.uniform(); }},
    {"normal",
     2,
     {"loc", "scale"},
     {Domain::Any, Domain::NonNegative},
     [](const double* p, Stream& s) { return p[0] + p[1] * s.normal(); }},
    {"exponential",
     1,
     {"scale"},
     {Domain::NonNegative},
     [](const double* p, Stream& s) { return -p[0] * std::log(s.open()); }},
    // MXNet's legacy exponential, by its rate.
    {"exponential_rate",
     1,
     {"lam"},
     {Domain::Positive},
     [](const double* p, Stream& s) { return -std::log(s.open()) / p[0]; }},
    {"gamma",
     2,
     {"shape", "scale"},
     {Domain::Positive, Domain::Positive},
     [](const double* p, Stream& s) { return p[1] * gamma1(p[0], s); }},
    {"poisson", 1, {"lam"}, {Domain::NonNegative}, [](const double* p, Stream& s) { return poisson(p[0], s); }},
    // Failures before the k-th success at success probability p: a Poisson
    // with a Gamma(k, (1 - p) / p) mean.
    {"negative_binomial",
     2,
     {"k", "p"},
     {Domain::NonNegative, Domain::Probability},
     [](const double* p, Stream& s) { return p[1] >= 1 ? 0.0 : poisson(gamma1(p[0], s) * (1 - p[1]) / p[1], s); }},
    // Mean mu, dispersion alpha (variance mu + alpha mu^2); alpha = 0 is Poisson(mu).
    {"generalized_negative_binomial",
     2,
     {"mu", "alpha"},
     {Domain::NonNegative, Domain::NonNegative},
     [](const double* p, Stream& s) {
       return p[1] == 0 ? poisson(p[0], s) : poisson(gamma1(1 / p[1], s) * p[0] * p[1], s);
     }},
    {"gumbel",
     2,
     {"loc", "scale"},
     {Domain::Any, Domain::NonNegative},
     [](const double* p, Stream& s) { return p[0] - p[1] * std::log(-std::log(s.open())); }},
    {"logistic",
     2,
     {"loc", "scale"},
     {Domain::Any, Domain::NonNegative},
     [](const double* p, Stream& s) {
       const double u = s.open();
       return p[0] + p[1] * std::log(u / (1 - u));
     }},
    {"lognormal",
     2,
     {"mean", "sigma"},
     {Domain::Any, Domain::NonNegative},
     [](const double* p, Stream& s) { return std::exp(p[0] + p[1] * s.normal()); }},
    // NumPy's pareto is the Lomax (Pareto II) distribution: the classic one minus 1.
    {"pareto",
     1,
     {"a"},
     {Domain::Positive},
     [](const double* p, Stream& s) { return std::expm1(-std::log(s.open()) / p[0]); }},
    {"power", 1, {"a"}, {Domain::Positive}, [](const double* p, Stream& s) { return std::pow(s.open(), 1 / p[0]); }},
    {"rayleigh",
     1,
     {"scale"},
     {Domain::NonNegative},
     [](const double* p, Stream& s) { return p[0] * std::sqrt(-2 * std::log(s.open())); }},
    {"weibull",
     1,
     {"a"},
     {Domain::Positive},
     [](const double* p, Stream& s) { return std::pow(-std::log(s.open()), 1 / p[0]); }},
    {"beta",
     2,
     {"a", "b"},
     {Domain::Positive, Domain::Positive},
     [](const double* p, Stream& s) {
       const double x = gamma1(p[0], s), y = gamma1(p[1], s);
       return x + y > 0 ? x / (x + y) : (p[0] >= p[1] ? 1.0 : 0.0);
     }},
    {"chisquare", 1, {"df"}, {Domain::Positive}, [](const double* p, Stream& s) { return 2 * gamma1(0.5 * p[0], s); }},
};
constexpr int kNumDists = sizeof(kDists) / sizeof(kDists[0]);

// Inputs: the parameters (float64, all of one shape P); the output has shape
// P + S and element i draws with the parameters of element i / size(S).
// D: the row of kDists.
template <int D> void dist_kernel(const Attrs&, Span<NDArray> in, ArrayList& out) {
  const Dist& dist = kDists[D];
  const int64_t n = out[0].size(), groups = in.size() ? in[0].size() : 1;
  if (n == 0 || groups == 0) return;
  const int64_t per = n / groups;
  const double* params[2] = {nullptr, nullptr};
  for (int j = 0; j < dist.nparams; ++j) params[j] = in[j].data<double>();
  auto [key, first] = reserve(n);
  MXLITE_FLOAT_SWITCH(out[0].dtype(), T, dist.name, {
    T* dst = out[0].data<T>();
    kernels::for_range(n, kernels::kParallelGrain / 8, [&, key = key, first = first](int64_t b, int64_t e) {
      double p[2] = {0, 0};
      for (int64_t i = b; i < e; ++i) {
        const int64_t g = i / per;
        for (int j = 0; j < dist.nparams; ++j) p[j] = params[j][g];
        Stream s(key, first + 2 * static_cast<uint64_t>(i));
        dst[i] = static_cast<T>(dist.draw(p, s));
      }
    });
  });
}

// NumPy's multinomial: input pvals (float64, k entries; the last is what the
// others leave of 1), attrs.index trials; rows of k counts (int64) drawn as
// successive conditional binomials.
void multinomial_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const int64_t k = in[0].size(), rows = k ? out[0].size() / k : 0, trials = attrs.index;
  const double* p = in[0].data<double>();
  int64_t* dst = out[0].data<int64_t>();
  auto [key, first] = reserve(rows);
  kernels::for_range(rows, 256, [=](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      Stream s(key, first + 2 * static_cast<uint64_t>(r));
      int64_t left = trials;
      double rest = 1.0;
      for (int64_t j = 0; j < k; ++j) {
        int64_t x = left;
        if (j + 1 < k) x = rest > 0 ? binomial(left, std::min(1.0, p[j] / rest), s) : 0;
        dst[r * k + j] = x;
        left -= x;
        rest -= p[j];
      }
    }
  });
}

// MXNet's categorical sampling (nd.random.multinomial): input data (..., k)
// of probabilities; attrs.index samples per distribution, of dtype
// attrs.dtype; attrs.keepdims: a second output, the log-probability of each
// draw (data's dtype).
void categorical_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const NDArray& data = in[0];
  const int64_t k = data.ndim() ? data.shape().back() : 1, rows = k ? data.size() / k : 0, per = attrs.index;
  const int64_t n = rows * per;
  std::vector<double> cdf(static_cast<size_t>(data.size()));
  MXLITE_FLOAT_SWITCH(data.dtype(), T, "multinomial", {
    const T* q = data.data<T>();
    for (int64_t r = 0; r < rows; ++r) {
      double total = 0;
      for (int64_t j = 0; j < k; ++j) cdf[r * k + j] = total += static_cast<double>(q[r * k + j]);
    }
  });
  std::vector<int64_t> picked(static_cast<size_t>(n));
  auto [key, first] = reserve(n);
  kernels::for_range(n, 1024, [&, key = key, first = first](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const double* c = cdf.data() + (i / per) * k;
      const double u = unit(mix(key ^ (first + 2 * static_cast<uint64_t>(i)))) * c[k - 1];
      int64_t j = std::upper_bound(c, c + k, u) - c;
      while (j > 0 && (j >= k || c[j] == (j ? c[j - 1] : 0.0))) --j;  // never a zero-probability outcome
      picked[i] = j;
    }
  });
  MXLITE_DTYPE_SWITCH(out[0].dtype(), T, {
    T* dst = out[0].data<T>();
    for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<T>(picked[i]);
  });
  if (attrs.keepdims) {
    MXLITE_FLOAT_SWITCH(data.dtype(), T, "multinomial", {
      const T* q = data.data<T>();
      T* lp = out[1].data<T>();
      for (int64_t i = 0; i < n; ++i)
        lp[i] = static_cast<T>(std::log(static_cast<double>(q[(i / per) * k + picked[i]])));
    });
  }
}

// Inputs mean (B, k) and cov (B, k, k), float64; output (S, B, k): row s * B
// + b is mean[b] + L[b] z with z standard normal and L[b] the Cholesky factor
// of cov[b] (computed here; an error if cov[b] is not positive definite).
void mvn_kernel(const Attrs&, Span<NDArray> in, ArrayList& out) {
  const int64_t k = in[0].shape().back(), batch = k ? in[0].size() / k : 0;
  const int64_t rows = (k && batch) ? out[0].size() / k : 0;
  const double* mean = in[0].data<double>();
  const double* cov = in[1].data<double>();
  std::vector<double> chol(static_cast<size_t>(batch * k * k), 0.0);
  for (int64_t b = 0; b < batch; ++b) {
    const double* a = cov + b * k * k;
    double* l = chol.data() + b * k * k;
    for (int64_t i = 0; i < k; ++i) {
      for (int64_t j = 0; j <= i; ++j) {
        double sum = a[i * k + j];
        for (int64_t t = 0; t < j; ++t) sum -= l[i * k + t] * l[j * k + t];
        if (i == j) {
          MXLITE_CHECK_AS(ValueError, sum > 0 && std::isfinite(sum), "multivariate_normal",
                          "cov must be symmetric positive definite (the Cholesky factorisation of matrix ", b,
                          " failed at row ", i, ")");
          l[i * k + i] = std::sqrt(sum);
        } else {
          l[i * k + j] = sum / l[j * k + j];
        }
      }
    }
  }
  auto [key, first] = reserve(rows);
  MXLITE_FLOAT_SWITCH(out[0].dtype(), T, "multivariate_normal", {
    T* dst = out[0].data<T>();
    kernels::for_range(rows, 256, [&, key = key, first = first](int64_t lo, int64_t hi) {
      std::vector<double> z(static_cast<size_t>(k));
      for (int64_t r = lo; r < hi; ++r) {
        Stream s(key, first + 2 * static_cast<uint64_t>(r));
        for (int64_t j = 0; j < k; ++j) z[j] = s.normal();
        const int64_t b = r % batch;
        const double* l = chol.data() + b * k * k;
        for (int64_t i = 0; i < k; ++i) {
          double v = mean[b * k + i];
          for (int64_t j = 0; j <= i; ++j) v += l[i * k + j] * z[j];
          dst[r * k + i] = static_cast<T>(v);
        }
      }
    });
  });
}

template <int... D> void register_dist_ops(std::integer_sequence<int, D...>) {
  (register_op(std::string("sample_") + kDists[D].name)
       .inputs(kDists[D].nparams)
       .set_infer(infer_from_attrs)
       .set_kernel(dist_kernel<D>)
       .set_flags(kNotDifferentiable),
   ...);
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
  // sample_<distribution>: parameters as arrays (see dist_kernel); attrs.shape
  // the output's shape, attrs.dtype its dtype.
  register_dist_ops(std::make_integer_sequence<int, kNumDists>());
  register_op("random_multinomial")
      .set_infer(infer_from_attrs)
      .set_kernel(multinomial_kernel)
      .set_flags(kNotDifferentiable);
  register_op("random_categorical")
      .set_kernel(categorical_kernel)
      .set_flags(kNotDifferentiable)
      .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
        out.push_back(TensorMeta{attrs.shape, attrs.dtype});
        if (attrs.keepdims) out.push_back(TensorMeta{attrs.shape, in[0].dtype()});
      });
  register_op("random_multivariate_normal")
      .inputs(2)
      .set_infer(infer_from_attrs)
      .set_kernel(mvn_kernel)
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

// ---- distributions with parameters ------------------------------------------
namespace {

const ops::Dist& find_dist(const std::string& dist) {
  for (const ops::Dist& d : ops::kDists)
    if (dist == d.name) return d;
  throw Error("random", concat("no distribution named '", dist, "'"));
}

// The parameters as float64 arrays, each checked against its domain; the
// error names `fn` (the public function) and the parameter as it calls it.
ArrayList checked_params(const ops::Dist& d, const ArrayList& params, const std::string& fn,
                         const std::vector<std::string>& names) {
  const std::string& f = fn.empty() ? std::string(d.name) : fn;
  MXLITE_CHECK(static_cast<int>(params.size()) == d.nparams, f, "expected ", d.nparams, " parameters, got ",
               params.size());
  ArrayList out;
  for (int j = 0; j < d.nparams; ++j) {
    const std::string name = j < static_cast<int>(names.size()) ? names[j] : std::string(d.params[j]);
    MXLITE_CHECK(params[j].defined(), f, "parameter ", name, " is missing");
    NDArray p = params[j].dtype() == DType::Float64 ? params[j] : astype(params[j], DType::Float64);
    const double* v = p.data<double>();
    for (int64_t i = 0; i < p.size(); ++i) {
      const double x = v[i];
      switch (d.domain[j]) {
        case ops::Domain::Any:
          break;
        case ops::Domain::NonNegative:
          MXLITE_CHECK_AS(ValueError, x >= 0, f, name, " must be >= 0, got ", x);
          break;
        case ops::Domain::Positive:
          MXLITE_CHECK_AS(ValueError, x > 0, f, name, " must be > 0, got ", x);
          break;
        case ops::Domain::Probability:
          MXLITE_CHECK_AS(ValueError, x > 0 && x <= 1, f, name, " must be in (0, 1], got ", x);
          break;
      }
    }
    out.push_back(p);
  }
  return out;
}

void check_size(const Shape& shape, const std::string& fn) {
  for (int64_t d : shape) MXLITE_CHECK_AS(ValueError, d >= 0, fn, "negative dimensions are not allowed: shape ", shape);
}

NDArray run_dist(const ops::Dist& d, const ArrayList& params, const Shape& out_shape, DType dtype, const NDArray& out,
                 const std::string& fn) {
  MXLITE_CHECK(is_floating(dtype), fn, "dtype must be float32 or float64, got ", dtype_name(dtype));
  const OpDef& o = op(std::string("sample_") + d.name);
  Attrs attrs;
  attrs.shape = out_shape;
  attrs.dtype = dtype;
  return invoke1(o, Span<NDArray>(params), attrs, out);
}

}  // namespace

std::vector<std::string> random_distributions() {
  std::vector<std::string> names;
  for (const ops::Dist& d : ops::kDists) names.emplace_back(d.name);
  return names;
}

NDArray random_sample(const std::string& dist, const ArrayList& params, const Shape& shape, DType dtype,
                      const NDArray& out, const std::string& fn, const std::vector<std::string>& names) {
  const ops::Dist& d = find_dist(dist);
  const std::string f = fn.empty() ? dist : fn;
  check_size(shape, f);
  ArrayList p = checked_params(d, params, f, names);
  for (size_t j = 1; j < p.size(); ++j)
    MXLITE_CHECK(p[j].shape() == p[0].shape(), f, "the parameters must have one shape, got ", p[0].shape(), " and ",
                 p[j].shape());
  Shape out_shape = p[0].shape();
  for (int64_t d : shape) out_shape.push_back(d);
  return run_dist(d, p, out_shape, dtype, out, f);
}

NDArray random_draw(const std::string& dist, const ArrayList& params, const std::optional<Shape>& size, DType dtype,
                    const NDArray& out, const std::string& fn, const std::vector<std::string>& names) {
  const ops::Dist& d = find_dist(dist);
  const std::string f = fn.empty() ? dist : fn;
  ArrayList p = checked_params(d, params, f, names);
  bool scalars = true;
  Shape shape;
  for (const NDArray& a : p) {
    scalars = scalars && a.ndim() == 0;
    shape = broadcast_shapes(shape, a.shape(), f.c_str());
  }
  if (size) {
    check_size(*size, f);
    for (const NDArray& a : p)
      MXLITE_CHECK_AS(ValueError, broadcast_shapes(a.shape(), *size, f.c_str()) == *size, f, "a parameter of shape ",
                      a.shape(), " does not broadcast to size ", *size);
    shape = *size;
  }
  if (!scalars) {
    for (NDArray& a : p)
      if (a.shape() != shape) a = broadcast_to(a, shape);
  }
  return run_dist(d, p, shape, dtype, out, f);
}

NDArray random_multinomial(int64_t n, const NDArray& pvals, const Shape& size) {
  static const OpDef& o = op("random_multinomial");
  MXLITE_CHECK_AS(ValueError, n >= 0, "multinomial", "n must be >= 0, got ", n);
  MXLITE_CHECK_AS(ValueError, pvals.ndim() == 1, "multinomial", "pvals must be 1-dimensional, got shape ",
                  pvals.shape());
  check_size(size, "multinomial");
  NDArray p = pvals.dtype() == DType::Float64 ? pvals : astype(pvals, DType::Float64);
  const double* v = p.data<double>();
  double sum = 0;
  for (int64_t j = 0; j < p.size(); ++j) {
    MXLITE_CHECK_AS(ValueError, v[j] >= 0 && v[j] <= 1, "multinomial", "pvals must be in [0, 1], got ", v[j]);
    sum += v[j];
  }
  // MXNet's check covers every entry (NumPy's only pvals[:-1]); float32
  // pvals may overshoot 1 by their rounding.
  MXLITE_CHECK_AS(ValueError, sum <= 1.0 + 1e-6, "multinomial", "sum(pvals) > 1.0 (it is ", sum, ")");
  Attrs attrs;
  attrs.shape = size;
  attrs.shape.push_back(p.size());
  attrs.dtype = DType::Int64;
  attrs.index = n;
  return invoke1(o, {p}, attrs);
}

ArrayList random_categorical(const NDArray& data, const Shape& shape, bool get_prob, DType dtype) {
  static const OpDef& o = op("random_categorical");
  MXLITE_CHECK(is_floating(data.dtype()), "multinomial", "data must be float32 or float64, got ",
               dtype_name(data.dtype()));
  MXLITE_CHECK(data.ndim() >= 1 && data.shape().back() > 0, "multinomial",
               "data must have a non-empty last axis (the outcomes), got shape ", data.shape());
  MXLITE_CHECK(dtype == DType::Int32 || dtype == DType::UInt8 || is_floating(dtype), "multinomial",
               "dtype must be int32, uint8, float32 or float64, got ", dtype_name(dtype));
  for (int64_t d : shape) MXLITE_CHECK(d > 0, "multinomial", "shape must be positive in every dimension, got ", shape);
  const int64_t k = data.shape().back();
  NDArray q = data.dtype() == DType::Float64 ? data : astype(data, DType::Float64);
  const double* v = q.data<double>();
  for (int64_t r = 0; r * k < q.size(); ++r) {
    double total = 0;
    for (int64_t j = 0; j < k; ++j) {
      MXLITE_CHECK_AS(ValueError, v[r * k + j] >= 0, "multinomial", "probabilities must be >= 0, got ", v[r * k + j]);
      total += v[r * k + j];
    }
    MXLITE_CHECK_AS(ValueError, std::fabs(total - 1.0) <= 1e-4, "multinomial",
                    "the probabilities of each distribution must sum to 1 along the last axis, distribution ", r,
                    " sums to ", total);
  }
  Attrs attrs;
  attrs.shape = Shape(data.shape().begin(), data.shape().end() - 1);
  for (int64_t d : shape) attrs.shape.push_back(d);
  if (attrs.shape.empty()) attrs.shape = Shape{1};  // one draw of one distribution: (1,), as MXNet
  attrs.index = shape_size(shape);
  attrs.dtype = dtype;
  attrs.keepdims = get_prob;
  return invoke(o, {data}, attrs);
}

NDArray random_multivariate_normal(const NDArray& mean, const NDArray& cov, const Shape& size) {
  static const OpDef& o = op("random_multivariate_normal");
  const char* fn = "multivariate_normal";
  MXLITE_CHECK_AS(ValueError, mean.ndim() >= 1, fn, "mean must be at least 1-dimensional, got shape ", mean.shape());
  MXLITE_CHECK_AS(ValueError, cov.ndim() >= 2 && cov.shape()[cov.ndim() - 1] == cov.shape()[cov.ndim() - 2], fn,
                  "the last two dimensions of cov must be equal, got shape ", cov.shape());
  const int64_t k = mean.shape().back();
  MXLITE_CHECK_AS(ValueError, cov.shape().back() == k, fn, "mean and cov must have the same length, got shapes ",
                  mean.shape(), " and ", cov.shape());
  check_size(size, fn);
  const Shape batch = broadcast_shapes(Shape(mean.shape().begin(), mean.shape().end() - 1),
                                       Shape(cov.shape().begin(), cov.shape().end() - 2), fn);
  Shape mshape = batch, cshape = batch;
  mshape.push_back(k);
  cshape.push_back(k);
  cshape.push_back(k);
  const DType dt = (mean.dtype() == DType::Float64 || cov.dtype() == DType::Float64) ? DType::Float64 : DType::Float32;
  NDArray m = broadcast_to(astype(mean, DType::Float64), mshape), c = broadcast_to(astype(cov, DType::Float64), cshape);
  Attrs attrs;
  attrs.shape = size;
  for (int64_t d : mshape) attrs.shape.push_back(d);
  attrs.dtype = dt;
  return invoke1(o, {m, c}, attrs);
}

void shuffle(const NDArray& a) {
  static const OpDef& o = op("random_shuffle");
  autograd::check_inplace_allowed(a, NDArray(), "shuffle");
  if (a.ndim() == 0) return;
  a.assign(invoke1(o, {a}));
}

}  // namespace np
}  // namespace mxlite
