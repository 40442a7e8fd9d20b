"""gluon.data (Dataset, samplers, DataLoader in-process and with worker processes/threads) and
gluon.utils (split_data, split_and_load, clip_global_norm); expected values recorded from
MXNet 1.9.1 on the same small cases."""

import multiprocessing
import os
import warnings

import numpy as onp
import pytest

import mxnet as mx
from mxnet import gluon, nd
from mxnet.gluon.data import (
    ArrayDataset,
    BatchSampler,
    DataLoader,
    FilterSampler,
    RandomSampler,
    SequentialSampler,
    SimpleDataset,
)


def as_lists(batches):
    out = []
    for b in batches:
        if isinstance(b, (list, tuple)):
            out.append([as_lists([x])[0] for x in b])
        else:
            out.append(b.asnumpy().tolist())
    return out


# --- samplers -------------------------------------------------------------------------------


def test_sequential_and_batch_sampler_modes():
    assert list(SequentialSampler(4, 3)) == [3, 4, 5, 6]
    assert list(BatchSampler(SequentialSampler(10), 3, "keep")) == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert len(BatchSampler(SequentialSampler(10), 3, "keep")) == 4
    assert list(BatchSampler(SequentialSampler(10), 3, "discard")) == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert len(BatchSampler(SequentialSampler(10), 3, "discard")) == 3
    roll = BatchSampler(SequentialSampler(5), 3, "rollover")
    assert list(roll) == [[0, 1, 2]]
    assert len(roll) == 2  # 2 carried + 5
    assert list(roll) == [[3, 4, 0], [1, 2, 3]]


def test_batch_sampler_bad_mode():
    msg = "last_batch must be one of 'keep', 'discard', or 'rollover', but got foo"
    with pytest.raises(ValueError, match=msg):
        list(BatchSampler(SequentialSampler(2), 1, "foo"))
    with pytest.raises(ValueError, match=msg):
        len(BatchSampler(SequentialSampler(2), 1, "foo"))


def test_random_sampler_is_a_seeded_permutation():
    onp.random.seed(7)
    order = list(RandomSampler(20))
    assert sorted(order) == list(range(20))
    onp.random.seed(7)
    assert order == onp.random.permutation(20).tolist()
    onp.random.seed(7)
    assert list(RandomSampler(20)) == order
    assert list(RandomSampler(20)) != order  # a fresh permutation each epoch


def test_filter_sampler():
    s = FilterSampler(lambda x: x % 3 == 0, SimpleDataset(list(range(10))))
    assert list(s) == [0, 3, 6, 9] and len(s) == 4


# --- datasets -------------------------------------------------------------------------------


def test_dataset_views():
    ds = SimpleDataset([1, 2, 3, 4, 5])
    assert list(ds.shard(3, 0)) == [1, 2]
    assert list(ds.shard(3, 1)) == [3, 4]
    assert list(ds.shard(3, 2)) == [5]
    assert list(ds.filter(lambda x: x % 2)) == [1, 3, 5]
    assert len(ds.take(9)) == 5 and list(ds.take(2)) == [1, 2] and len(ds.take(None)) == 5
    assert list(ds.sample(SequentialSampler(2, 3))) == [4, 5]
    with pytest.raises(TypeError, match="Invalid sampler type: <class 'list'>. Expected gluon.data.Sampler"):
        ds.sample([1, 2])
    with pytest.raises(AssertionError, match="Shard index of out bound: 3 out of 3"):
        ds.shard(3, 3)


def test_transform_and_transform_first():
    ds = ArrayDataset([1, 2], [3, 4])
    assert list(ds.transform(lambda a, b: a + b)) == [4, 6]
    assert list(ds.transform_first(lambda a: a * 10)) == [(10, 3), (20, 4)]
    assert list(ArrayDataset([1, 2]).transform_first(lambda a: a * 10)) == [10, 20]
    calls = []

    def fn(x):
        calls.append(x)
        return -x

    lazy = SimpleDataset([1, 2, 3]).transform(fn)
    assert calls == []
    assert lazy[2] == -3 and calls == [3]
    eager = SimpleDataset([1, 2, 3]).transform(fn, lazy=False)
    assert isinstance(eager, SimpleDataset) and list(eager) == [-1, -2, -3]


def test_array_dataset_samples_and_errors():
    ds = ArrayDataset(nd.arange(4), onp.arange(4) * 2, [5, 6, 7, 8])
    x, y, z = ds[1]
    assert type(x) is onp.float32 and x == 1.0  # 1-D mx arrays become NumPy, as in MXNet
    assert y == 2 and z == 6 and len(ds) == 4
    assert type(ArrayDataset(mx.np.arange(4))[0]) is onp.float32
    two_d = ArrayDataset(nd.arange(6).reshape((3, 2)))
    assert isinstance(two_d[1], nd.NDArray) and two_d[1].asnumpy().tolist() == [2.0, 3.0]
    msg = "All arrays must have the same length; array\\[0\\] has length 4 while array\\[2\\] has 2."
    with pytest.raises(AssertionError, match=msg):
        ArrayDataset(nd.arange(4), [1, 2])
    with pytest.raises(IndexError, match="index 5 is out of bounds for axis 0 with size 4"):
        ArrayDataset(onp.arange(4))[5]
    with pytest.raises(IndexError):
        ArrayDataset(onp.arange(4), onp.arange(4))[5]


# --- DataLoader, in process -----------------------------------------------------------------


def test_dataloader_last_batch_modes_match_mxnet():
    ds = ArrayDataset(list(range(10)))
    keep = list(DataLoader(ds, batch_size=3))
    assert as_lists(keep) == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert all(isinstance(b, nd.NDArray) and b.dtype == onp.int64 for b in keep)
    assert as_lists(DataLoader(ds, batch_size=4, last_batch="discard")) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    loader = DataLoader(ds, batch_size=3, last_batch="rollover")
    epochs = [as_lists(loader) for _ in range(3)]
    assert epochs == [  # MXNet 1.9.1
        [[0, 1, 2], [3, 4, 5], [6, 7, 8]],
        [[9, 0, 1], [2, 3, 4], [5, 6, 7]],
        [[8, 9, 0], [1, 2, 3], [4, 5, 6], [7, 8, 9]],
    ]
    assert len(DataLoader(ds, batch_size=3)) == 4


def test_default_batchify_tuples_and_dtypes():
    ds = ArrayDataset(nd.arange(4), onp.arange(4))
    batches = list(DataLoader(ds, batch_size=3))
    assert as_lists(batches) == [[[0.0, 1.0, 2.0], [0, 1, 2]], [[3.0], [3]]]
    assert batches[0][0].dtype == onp.float32 and batches[0][1].dtype == onp.int64
    (b,) = DataLoader(ArrayDataset([0.5, 1.5]), batch_size=3)
    assert b.dtype == onp.float64
    (b,) = DataLoader(ArrayDataset(nd.arange(4).reshape((2, 2)), onp.arange(2)), batch_size=3)
    assert b[0].shape == (2, 2) and b[0].dtype == onp.float32 and as_lists([b[1]]) == [[0, 1]]
    # nested tuples batch recursively
    (b,) = DataLoader(SimpleDataset([(1, (2, 3))] * 2), batch_size=3)
    assert as_lists([b]) == [[[1, 1], [[2, 2], [3, 3]]]]
    assert gluon.data.default_batchify_fn([nd.ones((2,)), nd.zeros((2,))]).asnumpy().tolist() == [
        [1.0, 1.0],
        [0.0, 0.0],
    ]


def test_batchify_in_np_mode(np_mode):
    batches = list(DataLoader(ArrayDataset(list(range(5)), [[1.0, 2.0]] * 5), batch_size=3))
    assert isinstance(batches[0][0], mx.np.ndarray) and batches[0][0].dtype == onp.int64
    assert batches[0][1].dtype == onp.float64 and batches[1][1].shape == (2, 2)
    (b,) = DataLoader(ArrayDataset(mx.np.arange(4).reshape(2, 2)), batch_size=3)
    assert isinstance(b, mx.np.ndarray) and b.asnumpy().tolist() == [[0.0, 1.0], [2.0, 3.0]]


def test_dataloader_shuffle_and_custom_batchify():
    ds = ArrayDataset(list(range(12)))
    onp.random.seed(3)
    first = onp.concatenate([b.asnumpy() for b in DataLoader(ds, batch_size=5, shuffle=True)]).tolist()
    assert sorted(first) == list(range(12)) and first != list(range(12))
    onp.random.seed(3)
    again = onp.concatenate([b.asnumpy() for b in DataLoader(ds, batch_size=5, shuffle=True)]).tolist()
    assert again == first
    sums = list(DataLoader(ds, batch_size=5, batchify_fn=lambda xs: sum(xs)))
    assert sums == [10, 35, 21]
    bs = BatchSampler(SequentialSampler(4, 2), 2)
    assert as_lists(DataLoader(SimpleDataset(list(range(10))), batch_sampler=bs)) == [[2, 3], [4, 5]]


def test_dataloader_argument_conflicts():
    ds = ArrayDataset([1, 2])
    msg = "batch_size, shuffle, sampler and last_batch must not be specified if batch_sampler is specified."
    bs = BatchSampler(SequentialSampler(2), 1)
    for kwargs in ({"batch_size": 1}, {"shuffle": True}, {"sampler": SequentialSampler(2)}, {"last_batch": "keep"}):
        with pytest.raises(ValueError, match=msg):
            DataLoader(ds, batch_sampler=bs, **kwargs)
    with pytest.raises(ValueError, match="batch_size must be specified unless batch_sampler is specified"):
        DataLoader(ds)
    with pytest.raises(ValueError, match="shuffle must not be specified if sampler is specified"):
        DataLoader(ds, batch_size=1, shuffle=True, sampler=SequentialSampler(2))
    with pytest.raises(NotImplementedError, match="pin_memory"):
        DataLoader(ds, batch_size=1, pin_memory=True)
    with pytest.raises(AssertionError, match="timeout must be positive"):
        DataLoader(ds, batch_size=1, timeout=0)


def test_dataloader_propagates_dataset_errors_in_process():
    loader = DataLoader(ArrayDataset(onp.arange(4)), batch_sampler=[[0, 1], [2, 9]])
    it = iter(loader)
    assert next(it).asnumpy().tolist() == [0, 1]
    with pytest.raises(IndexError, match="index 9 is out of bounds"):
        next(it)


# --- DataLoader with workers ----------------------------------------------------------------


class Squares(gluon.data.Dataset):
    def __len__(self):
        return 23

    def __getitem__(self, i):
        return onp.full((2,), i * i, dtype="float32"), i


class Failing(gluon.data.Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        if i == 5:
            raise KeyError("sample five is broken")
        return float(i)


def children():
    return multiprocessing.active_children()


@pytest.mark.parametrize("thread_pool", [False, True])
@pytest.mark.parametrize("last_batch", ["keep", "discard", "rollover"])
def test_workers_give_the_same_batches_in_order(thread_pool, last_batch):
    ref = DataLoader(Squares(), batch_size=4, last_batch=last_batch)
    par = DataLoader(Squares(), batch_size=4, last_batch=last_batch, num_workers=2, thread_pool=thread_pool)
    for _ in range(2):
        a, b = list(ref), list(par)
        assert len(a) == len(b)
        for (x1, y1), (x2, y2) in zip(a, b):
            assert type(x2) is nd.NDArray and x2.dtype == x1.dtype and x2.ctx == x1.ctx
            onp.testing.assert_array_equal(x1.asnumpy(), x2.asnumpy())
            onp.testing.assert_array_equal(y1.asnumpy(), y2.asnumpy())
    del par
    assert children() == []


def test_workers_in_np_mode_and_prefetch(np_mode):
    loader = DataLoader(Squares(), batch_size=5, num_workers=2, prefetch=1)
    batches = list(loader)
    assert all(isinstance(x, mx.np.ndarray) for x, _ in batches)
    assert onp.concatenate([y.asnumpy() for _, y in batches]).tolist() == list(range(23))
    loader.close()
    assert children() == []


def test_worker_processes_are_real_and_finish():
    pids = list(
        DataLoader(SimpleDataset(list(range(6))), batch_size=1, num_workers=2, batchify_fn=lambda xs: os.getpid())
    )
    assert os.getpid() not in pids
    assert children() == []  # the loader was dropped with its iterator


@pytest.mark.parametrize("thread_pool", [False, True])
def test_worker_exception_reraised_with_traceback(thread_pool):
    loader = DataLoader(Failing(), batch_size=2, num_workers=2, thread_pool=thread_pool)
    got = []
    with pytest.raises(KeyError, match="sample five is broken") as info:
        for b in loader:
            got.append(b.asnumpy().tolist())
    assert got == [[0.0, 1.0], [2.0, 3.0]]
    if not thread_pool:
        # multiprocessing chains the worker's formatted traceback to the re-raised exception
        cause = info.value.__cause__
        assert cause is not None and "__getitem__" in str(cause) and "sample five is broken" in str(cause)
    assert children() == []
    # the loader restarts its workers for the next epoch
    assert len(list(DataLoader(Failing().take(4), batch_size=2, num_workers=1))) == 2
    del loader
    assert children() == []


def test_worker_timeout():
    class Slow(gluon.data.Dataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            import time

            time.sleep(3)
            return i

    loader = DataLoader(Slow(), batch_size=1, num_workers=1, timeout=0.2)
    with pytest.raises(multiprocessing.TimeoutError, match="timeout=0.2"):
        list(loader)
    loader.close()
    assert children() == []


def test_auto_reload_prefetches_the_next_epoch():
    loader = DataLoader(Squares(), batch_size=10, num_workers=1, auto_reload=True)
    assert loader._iter is not None
    assert len(list(loader)) == 3
    assert loader._iter is not None and len(list(loader)) == 3
    loader.clean()
    assert loader._iter is None
    loader.close()


# --- gluon.utils ----------------------------------------------------------------------------


def test_split_data():
    parts = gluon.utils.split_data(nd.arange(10), 3, even_split=False)
    assert [p.asnumpy().tolist() for p in parts] == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]
    msg = (
        "data with shape \\(10,\\) cannot be evenly split into 3 slices along axis 0. Use a batch size "
        "that's multiple of 3 or set even_split=False to allow uneven partitioning of data."
    )
    with pytest.raises(ValueError, match=msg):
        gluon.utils.split_data(nd.arange(10), 3)
    parts = gluon.utils.split_data(mx.np.arange(10), 3, even_split=False)
    assert all(isinstance(p, mx.np.ndarray) for p in parts)
    assert [p.asnumpy().tolist() for p in parts] == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]
    parts = gluon.utils.split_data(nd.arange(12).reshape((2, 6)), 2, batch_axis=1)
    assert [p.shape for p in parts] == [(2, 3), (2, 3)]


def test_split_and_load_on_two_cpu_contexts():
    ctxs = [mx.cpu(0), mx.cpu(1)]
    parts = gluon.utils.split_and_load(onp.arange(6).reshape(2, 3), ctxs, batch_axis=1, even_split=False)
    assert [p.ctx for p in parts] == ctxs
    assert [type(p) for p in parts] == [nd.NDArray, nd.NDArray]
    assert [p.dtype for p in parts] == [onp.float32, onp.float32]  # nd.array's default dtype
    assert [p.asnumpy().tolist() for p in parts] == [[[0, 1], [3, 4]], [[2], [5]]]
    (only,) = gluon.utils.split_and_load(nd.arange(6).reshape((2, 3)), [mx.cpu(1)])
    assert only.ctx == mx.cpu(1) and only.shape == (2, 3)


def test_split_and_load_np_mode(np_mode):
    parts = gluon.utils.split_and_load(onp.arange(6).reshape(3, 2), [mx.cpu(0), mx.cpu(1)], even_split=False)
    assert all(isinstance(p, mx.np.ndarray) for p in parts)
    assert [p.ctx for p in parts] == [mx.cpu(0), mx.cpu(1)]
    assert parts[0].dtype == onp.int64 and [p.asnumpy().tolist() for p in parts] == [[[0, 1], [2, 3]], [[4, 5]]]


def test_clip_global_norm_matches_numpy():
    rng = onp.random.RandomState(0)
    hosts = [rng.randn(3, 4).astype("float32"), rng.randn(5).astype("float32")]
    arrays = [nd.array(h) for h in hosts]
    total = onp.sqrt(sum((h.astype("float64") ** 2).sum() for h in hosts))
    got = gluon.utils.clip_global_norm(arrays, 1.0)
    assert type(got) is onp.float32 and got == pytest.approx(total, rel=1e-6)  # as MXNet: asscalar()
    for a, h in zip(arrays, hosts):
        onp.testing.assert_allclose(a.asnumpy(), h / (total + 1e-8), rtol=1e-5)
    # MXNet 1.9.1 values
    a = [nd.array([3.0, 4.0]), nd.array([[12.0]])]
    assert gluon.utils.clip_global_norm(a, 1.0) == 13.0
    onp.testing.assert_allclose(a[0].asnumpy(), [0.23076924681663513, 0.3076923191547394], rtol=1e-6)
    a = [nd.array([3.0, 4.0]), nd.array([[12.0]])]
    norm = gluon.utils.clip_global_norm(a, 100.0, check_isfinite=False)
    assert isinstance(norm, nd.NDArray) and norm.shape == (1,) and norm.asscalar() == 13.0
    assert a[0].asnumpy().tolist() == [3.0, 4.0]  # under max_norm: unchanged


def test_clip_global_norm_several_contexts_and_np():
    a = [nd.array([3.0, 4.0], ctx=mx.cpu(0)), nd.array([12.0], ctx=mx.cpu(1))]
    assert gluon.utils.clip_global_norm(a, 6.5) == 13.0
    assert a[1].ctx == mx.cpu(1)
    onp.testing.assert_allclose(a[1].asnumpy(), [6.0], rtol=1e-6)
    b = [mx.np.array([3.0, 4.0]), mx.np.array([[12.0]])]
    assert gluon.utils.clip_global_norm(b, 1.0) == pytest.approx(13.0)
    onp.testing.assert_allclose(b[1].asnumpy(), [[12.0 / 13.0]], rtol=1e-6)


def test_clip_global_norm_warns_on_nan():
    a = [nd.array([onp.nan, 1.0])]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gluon.utils.clip_global_norm(a, 1.0)
    assert any("nan or inf is detected" in str(w.message) for w in caught)


def test_import_paths():
    from mxnet.gluon import data

    assert data.DataLoader is gluon.data.DataLoader
    assert gluon.data.dataset.Dataset is gluon.data.Dataset


def test_workers_run_mx_ops_after_fork():
    # the forked workers index and stack mx arrays (mxlite's engine runs in the child)
    x = nd.arange(40).reshape((20, 2)) * 0.5
    ds = ArrayDataset(x, onp.arange(20)).transform_first(lambda a: a * 2)
    ref = list(DataLoader(ds, batch_size=6))
    got = list(DataLoader(ds, batch_size=6, num_workers=2))
    assert as_lists(got) == as_lists(ref)
    assert got[0][0].dtype == onp.float32 and got[0][1].dtype == onp.int64


def test_stopping_early_leaves_no_processes():
    loader = DataLoader(Squares(), batch_size=2, num_workers=2)
    for i, _ in enumerate(loader):
        if i == 1:
            break
    assert len(children()) == 2  # the pool lives with the loader, across epochs
    assert len(list(loader)) == 12
    del loader
    assert children() == []


def test_worker_index_error():
    loader = DataLoader(ArrayDataset(onp.arange(4)), batch_sampler=[[0, 1], [2, 9]], num_workers=1)
    with pytest.raises(IndexError, match="index 9 is out of bounds for axis 0 with size 4"):
        list(loader)
    assert children() == []
