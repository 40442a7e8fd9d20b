"""Gathers and orderings: take, pick, one_hot, sort, argsort, topk (mxnet.np,
npx and the legacy nd forms with MXNet's legacy dtypes)."""

import numpy as onp

from mxnet import MXNetError, nd, np, npx
from optable import OpCase

F32_KEEP = [(("float32", "int64"), "float32"), (("float64", "int64"), "float64"), (("int32", "int64"), "int32")]


def stable_desc(a, axis):
    """Indices sorting a descending with ties in index order (MXNet's topk)."""
    return onp.argsort(-a, axis=axis, kind="stable")


def small_ints(rng, shapes):
    """Values with many ties, as float64, to check that orderings are stable."""
    return [rng.integers(0, 3, size=shapes[0]).astype(onp.float64)]


CASES = []

# ---- take ------------------------------------------------------------------------
for axis in [0, 1, -1, None]:
    CASES.append(
        OpCase(
            name=f"take-axis{axis}",
            mx=lambda a, i, axis=axis: np.take(a, i, axis=axis),
            ref=lambda a, i, axis=axis: onp.take(a, i, axis=axis),
            shapes=[((2, 3), (4,)), ((3, 2), (2, 2)), ((2, 2), ()), ((2, 3), (0,))]
            + ([((2, 0, 2), (3,))] if axis == 0 else [((0, 2, 2), (3,))] if axis is not None else []),
            int_inputs=(1,),
            int_range=(-2, 2),
            dtypes=F32_KEEP,
            errors=[
                (
                    lambda axis=axis: np.take(np.zeros((2, 3)), np.array([0, 7]), axis=axis),
                    IndexError,
                    "take: index 7 is out of bounds for axis",
                ),
                (
                    lambda axis=axis: np.take(np.zeros((2, 3)), np.array([0]), axis=axis, mode="nearest"),
                    MXNetError,
                    "take: mode must be",
                ),
            ],
        )
    )
for mode in ["clip", "wrap"]:
    CASES.append(
        OpCase(
            name=f"take-{mode}",
            mx=lambda a, i, mode=mode: np.take(a, i, axis=1, mode=mode),
            ref=lambda a, i, mode=mode: onp.take(a, i, axis=1, mode=mode),
            shapes=[((2, 3), (6,)), ((1, 4, 2), (2, 3))],
            int_inputs=(1,),
            int_range=(-5, 8),
            errors=[
                (lambda: np.take(np.zeros((2, 3)), np.array([0]), axis=2), MXNetError, "take: axis 2 is out of bounds")
            ],
        )
    )
CASES.append(
    OpCase(
        name="nd.take-default-clip",
        mx=lambda a, i: nd.take(a, i),
        ref=lambda a, i: onp.take(a, i, axis=0, mode="clip"),
        shapes=[((3, 2), (5,)), ((2,), (2, 2))],
        int_inputs=(1,),
        int_range=(-2, 5),
        dtypes=[(("float32", "int64"), "float32")],
    )
)

# ---- pick ------------------------------------------------------------------------


def pick_ref(a, i, axis=-1, keepdims=False, mode="clip"):
    n = a.shape[axis]
    i = onp.clip(i, 0, n - 1) if mode == "clip" else onp.mod(i, n)
    out = onp.take_along_axis(a, onp.expand_dims(i.astype(onp.int64), axis), axis)
    return out if keepdims else onp.squeeze(out, axis)


CASES.append(
    OpCase(
        name="pick-last",
        mx=lambda a, i: npx.pick(a, i),
        ref=pick_ref,
        shapes=[((2, 3), (2,)), ((4,), ()), ((2, 3, 4), (2, 3)), ((0, 3), (0,))],
        int_inputs=(1,),
        int_range=(0, 3),
        dtypes=F32_KEEP,
        errors=[
            (
                lambda: npx.pick(np.zeros((2, 3)), np.zeros((3,)), axis=1),
                MXNetError,
                r"pick: index of shape \(3,\) does not match data of shape \(2, 3\)",
            )
        ],
    )
)
CASES.append(
    OpCase(
        name="pick-axis0-keepdims",
        mx=lambda a, i: npx.pick(a, i, axis=0, keepdims=True),
        ref=lambda a, i: pick_ref(a, i, 0, True),
        shapes=[((3, 2), (2,)), ((2, 2, 3), (2, 3))],
        int_inputs=(1,),
        int_range=(0, 2),
    )
)
CASES.append(
    OpCase(
        name="pick-clip-wrap",
        mx=lambda a, i, j: npx.pick(a, i, mode="clip") + npx.pick(a, j, mode="wrap"),
        ref=lambda a, i, j: pick_ref(a, i) + pick_ref(a, j, mode="wrap"),
        shapes=[((2, 3), (2,), (2,)), ((5, 4), (5,), (5,))],
        int_inputs=(1, 2),
        int_range=(-6, 9),
    )
)
CASES.append(
    OpCase(
        name="nd.pick-float-index",
        mx=lambda a, i: nd.pick(a, nd.array(i.asnumpy())),
        ref=lambda a, i: pick_ref(a, i),
        shapes=[((3, 4), (3,))],
        int_inputs=(1,),
        int_range=(0, 4),
        views=False,
    )
)

# ---- one_hot (not differentiable) -------------------------------------------------


def one_hot_ref(i, depth=4, on=1.0, off=0.0, dtype="float32"):
    hit = onp.arange(depth) == onp.asarray(i)[..., None]
    return onp.where(hit, on, off).astype(dtype)


CASES.append(
    OpCase(
        name="one_hot",
        mx=lambda i: npx.one_hot(i, 4),
        ref=one_hot_ref,
        shapes=[((5,),), ((2, 3),), ((),), ((0,),)],
        grad_shapes=[],
        int_inputs=(0,),
        int_range=(-1, 6),
        dtypes=[(("int64",), "float32"), (("int32",), "float32"), (("float32",), "float32")],
        errors=[(lambda: npx.one_hot(np.array([1]), -2), MXNetError, "one_hot: depth must be non-negative")],
    )
)
CASES.append(
    OpCase(
        name="one_hot-on-off-int32",
        mx=lambda i: npx.one_hot(i, 3, on_value=5, off_value=-1, dtype="int32"),
        ref=lambda i: one_hot_ref(i, 3, 5, -1, "int32"),
        shapes=[((4,),), ((2, 2),)],
        grad_shapes=[],
        int_inputs=(0,),
        int_range=(0, 4),
        dtypes=[(("int64",), "int32")],
    )
)
CASES.append(
    OpCase(
        name="nd.one_hot",
        mx=lambda i: nd.one_hot(nd.array(i.asnumpy()), 3),
        ref=lambda i: one_hot_ref(i, 3),
        shapes=[((4,),)],
        grad_shapes=[],
        int_inputs=(0,),
        int_range=(0, 3),
        views=False,
    )
)

# ---- sort / argsort ------------------------------------------------------------------
for axis in [-1, 0, None]:
    shapes = [((2, 3),), ((4,),), ((3, 0),), ((2, 3, 2),)] + ([((),)] if axis is None else [])
    CASES.append(
        OpCase(
            name=f"sort-axis{axis}",
            mx=lambda a, axis=axis: np.sort(a, axis=axis),
            ref=lambda a, axis=axis: onp.sort(a, axis=axis, kind="stable"),
            shapes=shapes,
            dtypes=[(("float32",), "float32"), (("int32",), "int32"), (("float64",), "float64")],
            errors=[(lambda: np.sort(np.zeros((2, 3)), axis=3), MXNetError, "sort: axis 3 is out of bounds")],
        )
    )
    CASES.append(
        OpCase(
            name=f"argsort-axis{axis}",
            mx=lambda a, axis=axis: np.argsort(a, axis=axis),
            ref=lambda a, axis=axis: onp.argsort(a, axis=axis, kind="stable"),
            shapes=shapes,
            grad_shapes=[],
            input_maker=small_ints,
            dtypes=[(("float32",), "int64"), (("int32",), "int64")],
            errors=[(lambda: np.argsort(np.zeros(())), MXNetError, "argsort: axis -1 is out of bounds")],
        )
    )
CASES.append(
    OpCase(
        name="argsort-nan-last",
        mx=np.argsort,
        ref=lambda a: onp.argsort(a, kind="stable"),
        shapes=[((6,),)],
        grad_shapes=[],
        input_maker=lambda rng, shapes: [onp.array([2.0, onp.nan, -1.0, onp.nan, 2.0, 0.0])],
        views=False,
    )
)
CASES.append(
    OpCase(
        name="nd.sort-descending",
        mx=lambda a: nd.sort(a, is_ascend=False),
        ref=lambda a: onp.take_along_axis(a, stable_desc(a, -1), -1),
        shapes=[((2, 3),), ((5,),)],
    )
)
CASES.append(
    OpCase(
        name="nd.argsort-legacy-float32",
        mx=lambda a: nd.argsort(a, axis=0),
        ref=lambda a: onp.argsort(a, axis=0, kind="stable").astype(onp.float32),
        shapes=[((4, 3),), ((0, 2),)],
        grad_shapes=[],
        input_maker=small_ints,
        dtypes=[(("float32",), "float32"), (("int32",), "float32")],
    )
)
CASES.append(
    OpCase(
        name="nd.argsort-descending-int64",
        mx=lambda a: nd.argsort(a, is_ascend=False, dtype="int64"),
        ref=lambda a: stable_desc(a, -1),
        shapes=[((3, 4),)],
        grad_shapes=[],
        input_maker=small_ints,
        dtypes=[(("float32",), "int64")],
    )
)

# ---- topk ----------------------------------------------------------------------------
for axis, k in [(-1, 2), (0, 1), (1, -1)]:
    CASES.append(
        OpCase(
            name=f"topk-values-axis{axis}-k{k}",
            mx=lambda a, axis=axis, k=k: npx.topk(a, axis=axis, k=k, ret_typ="value"),
            ref=lambda a, axis=axis, k=k: onp.take_along_axis(a, stable_desc(a, axis), axis).take(
                range(a.shape[axis] if k < 1 else k), axis=axis
            ),
            shapes=[((3, 4),), ((2, 3, 5),), ((2, 2),)],
            dtypes=[(("float32",), "float32"), (("int32",), "int32")],
            errors=[
                (
                    lambda axis=axis: npx.topk(np.zeros((3, 4)), axis=axis, k=9),
                    MXNetError,
                    "topk: k must be smaller than or equal to",
                )
            ],
        )
    )
CASES.append(
    OpCase(
        name="topk-indices-ties",
        mx=lambda a: npx.topk(a, k=3),
        ref=lambda a: stable_desc(a, -1)[..., :3].astype(onp.float32),
        shapes=[((4, 5),), ((6,),)],
        grad_shapes=[],
        input_maker=small_ints,
        dtypes=[(("float32",), "float32")],
    )
)
CASES.append(
    OpCase(
        name="topk-ascending-int64",
        mx=lambda a: npx.topk(a, axis=0, k=2, is_ascend=True, dtype="int64"),
        ref=lambda a: onp.argsort(a, axis=0, kind="stable")[:2],
        shapes=[((4, 3),)],
        grad_shapes=[],
        input_maker=small_ints,
        dtypes=[(("float32",), "int64")],
    )
)


def mask_ref(a, k):
    mask = onp.zeros_like(a)
    onp.put_along_axis(mask, stable_desc(a, -1)[..., :k], 1.0, -1)
    return mask


CASES.append(
    OpCase(
        name="topk-both",
        mx=lambda a: npx.topk(a, k=2, ret_typ="both"),
        ref=lambda a: [
            onp.take_along_axis(a, stable_desc(a, -1)[..., :2], -1),
            stable_desc(a, -1)[..., :2].astype(onp.float32),
        ],
        shapes=[((3, 4),)],
        grad_shapes=[],
    )
)
CASES.append(
    OpCase(
        name="topk-mask",
        mx=lambda a: npx.topk(a, k=2, ret_typ="mask"),
        ref=lambda a: mask_ref(a, 2),
        shapes=[((3, 4),), ((2, 2, 5),)],
        grad_shapes=[],
    )
)
CASES.append(
    OpCase(
        name="topk-axis-none",
        mx=lambda a: npx.topk(a, axis=None, k=3, ret_typ="value"),
        ref=lambda a: onp.sort(a, axis=None)[::-1][:3],
        shapes=[((3, 4),), ((5,),)],
    )
)
CASES.append(
    OpCase(
        name="nd.topk-legacy",
        mx=lambda a: nd.topk(a, k=2, ret_typ="both")[1] + nd.topk(a, k=2, ret_typ="value"),
        ref=lambda a: (
            stable_desc(a, -1)[..., :2].astype(a.dtype) + onp.take_along_axis(a, stable_desc(a, -1)[..., :2], -1)
        ),
        shapes=[((3, 4),)],
        grad_shapes=[((3, 4),)],
    )
)


# ---- gather_nd / scatter_nd ---------------------------------------------------------
def ref_gather_nd(a, idx):
    return a[tuple(idx)]


def unique_places(target_shape, m, count):
    """scatter_nd indices (m, count) naming distinct places of target_shape[:m]."""

    def make(rng, shapes):
        flat = rng.choice(int(onp.prod(target_shape[:m])), size=count, replace=False)
        idx = onp.stack(onp.unravel_index(flat, target_shape[:m])).astype(onp.int64)
        return [rng.uniform(-1, 1, size=(count,) + tuple(target_shape[m:])), idx]

    return make


def ref_scatter_nd(data, idx, shape):
    out = onp.zeros(shape, dtype=data.dtype)
    out[tuple(idx)] = data
    return out


CASES += [
    OpCase(
        name="gather_nd",
        mx=npx.gather_nd,
        ref=ref_gather_nd,
        shapes=[((3, 4), (2, 5)), ((2, 3, 4), (1, 3)), ((2, 2, 3), (3, 2, 2)), ((3, 2), (2, 0)), ((2, 2), (1,))],
        int_inputs=(1,),
        int_range=(-2, 2),
        dtypes=F32_KEEP,
        errors=[
            (
                lambda: npx.gather_nd(np.ones((3, 4)), np.array([[5], [0]])),
                IndexError,
                "gather_nd: index 5 is out of bounds",
            ),
            (
                lambda: npx.gather_nd(np.ones((3,)), np.array([[0], [0]])),
                MXNetError,
                r"gather_nd.*index 2 axes.*\(3,\)",
            ),
        ],
    ),
    OpCase(
        name="nd.gather_nd",
        mx=lambda a, i: nd.gather_nd(a.as_nd_ndarray(), i.as_nd_ndarray()).as_np_ndarray(),
        ref=ref_gather_nd,
        shapes=[((3, 4), (2, 3))],
        int_inputs=(1,),
        int_range=(0, 3),
    ),
] + [
    OpCase(
        name=f"scatter_nd-{len(target)}d-m{m}",
        mx=lambda d, i, target=target: nd.scatter_nd(d.as_nd_ndarray(), i.as_nd_ndarray(), target).as_np_ndarray(),
        ref=lambda d, i, target=target: ref_scatter_nd(d, i, target),
        shapes=[((count,), (m, count))],
        input_maker=unique_places(target, m, count),
        errors=[
            (
                lambda: nd.scatter_nd(nd.ones((3,)), nd.array([[0, 1]]), shape=(4,)),
                MXNetError,
                r"scatter_nd.*data of shape \(3,\).*expected data shape \(2,\)",
            )
        ],
    )
    for target, m, count in [((3, 4), 2, 5), ((4, 3), 1, 3), ((2, 3, 2), 2, 4)]
]
