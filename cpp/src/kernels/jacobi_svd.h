// mxlite (internal): the thin singular value decomposition of one small dense
// matrix by one-sided (Hestenes) Jacobi rotations, accumulated in double (or
// in a wider W: the rotations work on sums of squares, which leave double's
// exponent range for entries beyond about 1e+-150).
// No LAPACK: it must work in builds without BLAS/LAPACK.
#pragma once

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

namespace mxlite {
namespace kernels {

/// Thin SVD of the row-major m x n matrix `a`: a = U diag(s) Vt with
/// k = min(m, n) singular values `s` (descending, >= 0), U m x k and Vt k x n
/// (both row-major). `u` and `vt` may be null when only `s` is wanted. Columns
/// of U belonging to zero singular values are completed to an orthonormal set.
/// W is the working type (double, or long double for extreme magnitudes).
template <class T, class W = double> void jacobi_svd(const T* a, int64_t m, int64_t n, T* s, T* u, T* vt) {
  const int64_t k = std::min(m, n), len = std::max(m, n);
  if (k == 0) return;
  // The k vectors that get orthogonalised, each of length `len`, stored as
  // rows: a's columns when m >= n (rotations from the right), a's rows
  // otherwise (the same on a's transpose). `rot` accumulates the rotations
  // (k x k, as rows) and starts as the identity.
  const bool by_columns = m >= n;
  std::vector<W> g(static_cast<size_t>(k * len)), rot(static_cast<size_t>(k * k), W(0));
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j)
      g[static_cast<size_t>(by_columns ? j * len + i : i * len + j)] = static_cast<W>(a[i * n + j]);
  for (int64_t j = 0; j < k; ++j) rot[static_cast<size_t>(j * k + j)] = W(1);

  const W tol = W(DBL_EPSILON) * static_cast<W>(len);
  const bool want_vectors = u != nullptr || vt != nullptr;
  for (int sweep = 0; sweep < 80; ++sweep) {
    bool rotated = false;
    for (int64_t p = 0; p + 1 < k; ++p) {
      W* gp = &g[static_cast<size_t>(p * len)];
      for (int64_t q = p + 1; q < k; ++q) {
        W* gq = &g[static_cast<size_t>(q * len)];
        W alpha = 0, beta = 0, gamma = 0;
        for (int64_t i = 0; i < len; ++i) {
          alpha += gp[i] * gp[i];
          beta += gq[i] * gq[i];
          gamma += gp[i] * gq[i];
        }
        if (alpha == 0 || beta == 0 || std::fabs(gamma) <= tol * std::sqrt(alpha * beta)) continue;
        rotated = true;
        // The rotation that zeroes the inner product of the pair.
        const W zeta = (beta - alpha) / (2 * gamma);
        const W t = (zeta >= 0 ? W(1) : W(-1)) / (std::fabs(zeta) + std::sqrt(1 + zeta * zeta));
        const W c = 1 / std::sqrt(1 + t * t), sn = c * t;
        for (int64_t i = 0; i < len; ++i) {
          const W x = gp[i], y = gq[i];
          gp[i] = c * x - sn * y;
          gq[i] = sn * x + c * y;
        }
        if (want_vectors) {
          W* rp = &rot[static_cast<size_t>(p * k)];
          W* rq = &rot[static_cast<size_t>(q * k)];
          for (int64_t i = 0; i < k; ++i) {
            const W x = rp[i], y = rq[i];
            rp[i] = c * x - sn * y;
            rq[i] = sn * x + c * y;
          }
        }
      }
    }
    if (!rotated) break;
  }

  std::vector<W> sigma(static_cast<size_t>(k));
  for (int64_t j = 0; j < k; ++j) {
    const W* gj = &g[static_cast<size_t>(j * len)];
    W ss = 0;
    for (int64_t i = 0; i < len; ++i) ss += gj[i] * gj[i];
    sigma[static_cast<size_t>(j)] = std::sqrt(ss);
  }
  std::vector<int64_t> order(static_cast<size_t>(k));
  std::iota(order.begin(), order.end(), int64_t(0));
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t x, int64_t y) { return sigma[static_cast<size_t>(x)] > sigma[static_cast<size_t>(y)]; });
  for (int64_t j = 0; j < k; ++j) s[j] = static_cast<T>(sigma[static_cast<size_t>(order[static_cast<size_t>(j)])]);
  if (!want_vectors) return;

  // Unit vectors along the long side (len each, in descending order); a zero
  // singular value's vector is any unit vector orthogonal to the others:
  // Gram-Schmidt on the standard basis vectors.
  std::vector<W> longside(static_cast<size_t>(k * len));
  std::vector<bool> filled(static_cast<size_t>(k), false);
  for (int64_t j = 0; j < k; ++j) {
    const int64_t src = order[static_cast<size_t>(j)];
    const W sj = sigma[static_cast<size_t>(src)];
    if (!(sj > 0) || !std::isfinite(1 / sj)) continue;
    for (int64_t i = 0; i < len; ++i)
      longside[static_cast<size_t>(j * len + i)] = g[static_cast<size_t>(src * len + i)] / sj;
    filled[static_cast<size_t>(j)] = true;
  }
  int64_t basis = 0;
  for (int64_t j = 0; j < k; ++j) {
    if (filled[static_cast<size_t>(j)]) continue;
    W* v = &longside[static_cast<size_t>(j * len)];
    for (; basis < len; ++basis) {
      std::fill(v, v + len, W(0));
      v[basis] = W(1);
      for (int pass = 0; pass < 2; ++pass)  // twice: re-orthogonalisation keeps it orthonormal
        for (int64_t o = 0; o < k; ++o) {
          if (o == j || !filled[static_cast<size_t>(o)]) continue;
          const W* w = &longside[static_cast<size_t>(o * len)];
          W d = 0;
          for (int64_t i = 0; i < len; ++i) d += v[i] * w[i];
          for (int64_t i = 0; i < len; ++i) v[i] -= d * w[i];
        }
      W nn = 0;
      for (int64_t i = 0; i < len; ++i) nn += v[i] * v[i];
      if (nn > 0.25) {  // enough of this basis vector lies outside the span so far
        const W inv = 1 / std::sqrt(nn);
        for (int64_t i = 0; i < len; ++i) v[i] *= inv;
        filled[static_cast<size_t>(j)] = true;
        ++basis;
        break;
      }
    }
  }

  // by_columns: U (m x k) has the long-side vectors as columns and V = rot^T,
  // so Vt's row j is rot's row j. Otherwise (a^T = U' S V'^T): U = V' (rot^T)
  // and Vt's rows are the long-side vectors.
  for (int64_t j = 0; j < k; ++j) {
    const int64_t src = order[static_cast<size_t>(j)];
    const W* lj = &longside[static_cast<size_t>(j * len)];
    const W* rj = &rot[static_cast<size_t>(src * k)];
    if (by_columns) {
      if (u)
        for (int64_t i = 0; i < m; ++i) u[i * k + j] = static_cast<T>(lj[i]);
      if (vt)
        for (int64_t i = 0; i < n; ++i) vt[j * n + i] = static_cast<T>(rj[i]);
    } else {
      if (u)
        for (int64_t i = 0; i < m; ++i) u[i * k + j] = static_cast<T>(rj[i]);
      if (vt)
        for (int64_t i = 0; i < n; ++i) vt[j * n + i] = static_cast<T>(lj[i]);
    }
  }
}

}  // namespace kernels
}  // namespace mxlite
