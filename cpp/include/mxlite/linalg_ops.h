// mxlite: NumPy's linear algebra (mx.np.linalg) over the la_op decompositions
// of ops.h (linalg_potrf, linalg_syevd, ...): last two axes, batched,
// float32/float64; the decompositions need LAPACK (Error naming the
// function without it). Gradients as MXNet has them, except eig, eigvals,
// lstsq, matrix_rank and cond, which are not differentiable.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mxlite/ops.h"

namespace mxlite {
namespace np {

/// Lower Cholesky factor (reads the lower triangle).
NDArray linalg_cholesky(const NDArray& a);
/// MXNet's svd of (..., m, n), m <= n: {UT (..., m, m), L (..., m), V (..., m, n)}, A = UT diag(L) V.
std::vector<NDArray> linalg_svd(const NDArray& a);
/// mode 'reduced' / 'complete': {Q, R}; 'r': {R}.
std::vector<NDArray> linalg_qr(const NDArray& a, const std::string& mode = "reduced");
/// X with A X = B; B of one dimension less than A holds vectors.
NDArray linalg_solve(const NDArray& a, const NDArray& b);
/// {w, v} of general square matrices (real spectra only).
std::vector<NDArray> linalg_eig(const NDArray& a);
NDArray linalg_eigvals(const NDArray& a);
/// {w ascending, v (eigenvectors as columns)} from the UPLO ('L'/'U') triangle.
std::vector<NDArray> linalg_eigh(const NDArray& a, const std::string& uplo = "L");
NDArray linalg_eigvalsh(const NDArray& a, const std::string& uplo = "L");
/// {x, residuals, rank (int64, 0-d), singular values}; rcond None: eps * max(m, n).
std::vector<NDArray> linalg_lstsq(const NDArray& a, const NDArray& b, std::optional<double> rcond);
NDArray linalg_pinv(const NDArray& a, double rcond = 1e-15);
/// hermitian: the singular values are |eigenvalues| of the symmetric matrix.
NDArray linalg_matrix_rank(const NDArray& a, std::optional<double> tol = std::nullopt, bool hermitian = false);
NDArray linalg_matrix_power(const NDArray& a, int64_t n);
NDArray linalg_multi_dot(const std::vector<NDArray>& arrays);
NDArray linalg_cond(const NDArray& a, const NormOrd& p = NormOrd());
NDArray linalg_tensorinv(const NDArray& a, int64_t ind = 2);
NDArray linalg_tensorsolve(const NDArray& a, const NDArray& b, const std::optional<Axes>& axes = std::nullopt);

}  // namespace np
}  // namespace mxlite
