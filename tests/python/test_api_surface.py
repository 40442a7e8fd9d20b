"""Guards that keep the public surface described once (python/mxnet/_api)
and report user-facing coverage against Apache MXNet 1.9.1."""

import inspect
import os
import pathlib
import re
import sys

import pytest

import mxnet as mx
from mxnet import _api, _core, nd, np, npx

sys.path.insert(0, str(pathlib.Path(__file__).parent / "api"))
import surface  # noqa: E402

from optable import all_cases  # noqa: E402

REPORT = {}

# Registered ops reached only through other entry points (operators, scalar
# forms, gradients, creation), each exercised by the tests named beside it.
INTERNAL_OPS = {
    "add",
    "subtract",
    "multiply",
    "divide",
    "power",
    "maximum",
    "minimum",  # optable/elementwise.py (binary cases)
    "add_scalar",
    "subtract_scalar",
    "multiply_scalar",
    "divide_scalar",
    "power_scalar",
    "maximum_scalar",
    "minimum_scalar",  # the scalar forms of the operators: test_elementwise.py
    "equal",
    "not_equal",
    "less",
    "less_equal",
    "greater",
    "greater_equal",
    "equal_scalar",
    "not_equal_scalar",
    "less_scalar",
    "less_equal_scalar",
    "greater_scalar",
    "greater_equal_scalar",  # comparisons: test_ops.py
    "arange",
    "eye",
    "full",
    "copy",
    "astype",
    "sign",  # creation and casts: test_ops.py
    "random_choice",
    "random_normal",
    "random_randint",
    "random_shuffle",
    "random_uniform",  # test_ops.py
    "sample_uniform",
    "sample_normal",
    "sample_exponential",
    "sample_exponential_rate",
    "sample_gamma",
    "sample_poisson",
    "sample_negative_binomial",
    "sample_generalized_negative_binomial",
    "sample_gumbel",
    "sample_logistic",
    "sample_lognormal",
    "sample_pareto",
    "sample_power",
    "sample_rayleigh",
    "sample_weibull",
    "sample_beta",
    "sample_chisquare",
    "random_multinomial",
    "random_categorical",
    "random_multivariate_normal",  # samples are checked statistically: test_random_dists.py
    "batch_norm_infer",
    "batch_norm_train",
    "dropout_mask",
    "embedding_grad",
    "softmax_output",
    "softmax_output_grad",  # test_nn.py
    "diagonal_backward",
    "slice",
    "slice_backward",
    "scatter_add",
    "sum_to",
    "std_of_var",  # gradient helpers
    "svd",
    "svd_norm",  # test_linalg.py
    "digamma",
    "trigamma",  # gradients of gammaln and digamma
    "regression_output",
    "make_loss",
    "svm_output",  # their backward ignores the head gradient: test_nn_outputs.py
    "conv_weight_grad",
    "pooling_backward",
    "pooling_gather",  # gradients of convolution and pooling: optable/conv.py, optable/pooling.py (second order)
    "batch_norm_train_grad",
    "lstm_cell",
    "lstm_cell_grad",  # fused batch-norm gradient and LSTM step inside npx.batch_norm / npx.rnn: test_fused_grads.py
    "lstm_seq",
    "lstm_seq_grad",
    "gru_seq",
    "gru_seq_grad",  # whole-sequence LSTM / GRU inside npx.rnn: test_fused_grads.py, test_rnn.py (second order)
    "softmax_cross_entropy_grad",  # its one-pass gradient: test_softmax_ce.py, optable/nn.py
    "relu_grad",  # relu's one-pass gradient: test_fused_grads.py
    "linalg_trsm",
    "linalg_potrf",
    "linalg_gelqf",
    "linalg_syevd",
    "linalg_inverse",
    "linalg_det",
    "linalg_slogdet",
    "linalg_extracttrian",
    "linalg_maketrian",  # la_op (mx.nd.linalg): test_linalg_nd.py (MXNet's values and gradients, batches, errors)
    "linalg_svd",
    "linalg_qr",
    "linalg_solve",
    "linalg_eig",
    "linalg_lstsq",  # mx.np.linalg: test_linalg_np.py (NumPy's and MXNet's values, gradients, errors)
    "ctc_loss",  # random labels do not fit the op table: test_ctc.py (MXNet's values, all alignments, gradients)
    "roi_pooling",
    "roi_pooling_backward",
    "roi_pooling_gather",
    "bilinear_corner",
    "bilinear_corner_scatter",
    "multibox_prior",
    "multibox_target",
    "multibox_detection",
    "correlation",
    "correlation_backward",  # vision ops (rois, grids, boxes do not fit the op table): test_vision_ops.py
    "sgd_update",
    "sgd_mom_update",
    "nag_mom_update",
    "adam_update",
    "adamw_update",
    "rmsprop_update",
    "rmspropalex_update",
    "ftrl_update",
    "signsgd_update",
    "signum_update",
    "lamb_update_phase1",
    "lamb_update_phase2",  # fused optimizer updates (in place, not differentiable): test_optimizer.py (MXNet's values)
}


def test_every_registered_op_is_in_the_op_table_or_internal():
    covered = {c.name.split("-")[0] for c in all_cases()}
    missing = [o for o in _core.list_ops() if o not in covered and o not in INTERNAL_OPS]
    assert not missing, f"ops with no op-table case and not on INTERNAL_OPS: {missing}"
    stale = sorted(INTERNAL_OPS - set(_core.list_ops()))
    assert not stale, f"INTERNAL_OPS names no registered op: {stale}"


@pytest.mark.parametrize("family", ["unary", "binary"])
def test_every_row_reaches_a_public_face(family):
    faces = {r.impl.split(".", 1)[1] for r in _api.ROWS}
    table = getattr(_api, family)
    missing = [op for op in getattr(_core, f"{family}_ops") if op not in faces and op not in table.INTERNAL]
    assert not missing, f"{family} rows in no face: {missing}"
    stale = sorted(table.INTERNAL - set(getattr(_core, f"{family}_ops")))
    assert not stale, f"{family}.INTERNAL names no row: {stale}"


def _python_sources():
    root = pathlib.Path(mx.__file__).parent
    files = [pathlib.Path(d, f) for d, _, fs in os.walk(root, followlinks=True) for f in fs if f.endswith(".py")]
    return "\n".join(p.read_text() for p in files)


# Core bindings that only the engine's own tests or other bindings use.
INTERNAL_BINDINGS = {
    "legacy_dot",  # the np twin of nd.legacy_dot
    "softmax_ce_loss",  # gluon.loss works on np views of legacy arrays, so only _core.np's is called
    "random_randint",
    "random_choice",
    "random_uniform",
    "random_normal",
}


@pytest.mark.parametrize("face", ["np", "nd"])
def test_every_core_binding_is_used(face):
    text = _python_sources()
    module = getattr(_core, face)
    unused = []
    for name in dir(module):
        if name.startswith("_"):
            continue
        if not re.search(rf"(_f|_core\.{face}|_nd|_np)\.{name}\b", text) and name not in INTERNAL_BINDINGS:
            unused.append(name)
    assert not unused, f"_core.{face} functions no Python face uses: {unused}"


def test_table_functions_bind_mxnet_keywords():
    x = np.array([0.25, 1.0])
    assert np.exp(x=x).asnumpy().tolist() == np.exp(x).asnumpy().tolist()
    assert nd.sqrt(data=x.as_nd_ndarray()).asnumpy().tolist() == [0.5, 1.0]
    assert npx.relu(data=-x).asnumpy().tolist() == [0.0, 0.0]
    with pytest.raises(TypeError, match="unexpected keyword argument 'foo'"):
        np.exp(x, foo=1)
    with pytest.raises(TypeError, match="multiple values for argument 'x'"):
        np.exp(x, x=x)
    with pytest.raises(TypeError, match="missing required argument 'x'"):
        np.exp()
    with pytest.raises(TypeError, match="at most"):
        nd.exp(x.as_nd_ndarray(), None, None, None)
    with pytest.raises(NotImplementedError, match="where=False"):
        np.exp(x, where=False)
    with pytest.raises(NotImplementedError, match="dtype"):
        np.exp(x, dtype="float64")


def test_table_functions_have_signatures_and_docs():
    for row in _api.ROWS:
        face = {"np": np, "npx": npx, "nd": nd, "nd.NDArray": nd.NDArray, "np.ndarray": np.ndarray}[row.face]
        fn = getattr(face, row.name)
        assert fn.__doc__ and fn.__doc__.strip(), row
        params = list(inspect.signature(fn).parameters)
        assert params == list(_api.parse_signature(row.signature)[0]), row


def test_coverage_against_mxnet_1_9_1():
    not_yet = surface.read_not_yet()
    unlisted, stale = [], []
    total = present_total = 0
    for namespace, (present, missing) in surface.coverage().items():
        listed = not_yet.get(namespace, set())
        unlisted += [f"{namespace}.{n}" for n in missing if n not in listed]
        stale += [f"{namespace}.{n}" for n in present if n in listed]
        total += len(present) + len(missing)
        present_total += len(present)
        REPORT[namespace] = (len(present), len(present) + len(missing))
    REPORT["all"] = (present_total, total)
    assert not unlisted, f"MXNet names missing from mxlite and not on api/not_yet.txt: {unlisted}"
    assert not stale, f"names on api/not_yet.txt that mxlite now has (remove them): {stale}"
