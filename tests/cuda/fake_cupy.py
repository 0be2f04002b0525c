"""A NumPy-backed stand-in for CuPy ("fake CUDA"): the engine's GPU code paths, without a GPU.

`install()` puts this module where the backend keeps CuPy (tests/cuda/conftest.py's `fake_cuda`
fixture does it for one test, `TINYGRAD_EDU_FAKE_CUDA=1 pytest` for a whole run). From then on
`device="cuda"` makes arrays of the class `ndarray` below: their numbers sit in host memory, but
they behave like CuPy's arrays wherever that matters to the engine:

  * an array belongs to a device (`a.device.id`); new arrays go to the current device
    (`cuda.Device(i)` as a context manager) and an op on arrays of two devices raises;
  * a device array never mixes with a NumPy array (TypeError, as CuPy), and `numpy.asarray(a)`
    refuses, in CuPy's words;
  * every copy between host and device is counted in `transfers`. Device to host: `.get()`,
    `asnumpy`, `.item()`, `.tolist()`, `float()`/`int()`/`bool()`, printing, and what makes
    CuPy synchronise to learn a size (boolean-mask indexing, `nonzero`, `unique`). Host to
    device: arrays made from host data, host arrays used as indices or assigned as values;
  * a reduction gives a 0-d device array, never a NumPy scalar (as CuPy);
  * only the module functions in `_FUNCTIONS` exist (CuPy's names, checked in its reference;
    NumPy 2's new aliases such as `acos` or `concat` are left out: CuPy 13 lacks them);
  * methods refuse the NumPy-only keywords (`reshape(copy=)`, `initial=` / `where=` in
    reductions), advanced indexing mixing a boolean mask with other arrays raises, and
    `cupyx.scatter_add` refuses the dtypes CuPy's atomicAdd lacks (int64, bool, ...).

What a fake cannot prove: that real CuPy computes the same numbers (its kernels, reduction
order, float32 accumulation), that it accepts every keyword we pass, that NumPy code never
indexes a host array with a device array (NumPy takes the fake's arrays there), anything about
streams, asynchronous execution, memory pools, compiled kernels, out-of-range indices (CuPy
wraps them, NumPy raises) or speed. `scripts/gpu_check.sh` runs the same tests against a real GPU.
"""
from __future__ import annotations

import traceback
import types

import numpy

_NUMPY_CONVERTERS = {name: getattr(numpy, name)
                     for name in ("asarray", "array", "asanyarray", "ascontiguousarray")}

# ----------------------------------------------------------------------------- bookkeeping

transfers = {"host_to_device": 0, "device_to_host": 0}
transfer_log: list[str] = []  # where each copy happened (the innermost engine frame), in order


class _State:
    current = 0       # the current device
    count = 1         # how many devices there are
    installed = None  # what install() replaced, for uninstall()


def set_device_count(count: int) -> None:
    """Pretend there are `count` GPUs (device 0 current)."""
    _State.count, _State.current = count, 0


def reset_transfers() -> None:
    transfers.update(host_to_device=0, device_to_host=0)
    transfer_log.clear()


def _count(direction: str, what: str) -> None:
    transfers[direction] += 1
    frames = [f for f in traceback.extract_stack()[:-2] if "fake_cupy" not in f.filename]
    engine = [f for f in frames if "tinygrad_edu" in f.filename] or frames
    frame = engine[-1]
    transfer_log.append(f"{direction}: {what} at {frame.filename}:{frame.lineno} {frame.line}")


class CUDARuntimeError(RuntimeError):
    pass


# ----------------------------------------------------------------------------- devices

class Device:
    """cupy.cuda.Device: `with Device(1):` makes device 1 current inside the block."""

    def __init__(self, device=None):
        self.id = _State.current if device is None else int(device)
        if not 0 <= self.id < _State.count:
            raise CUDARuntimeError("cudaErrorInvalidDevice: invalid device ordinal")
        self._previous = []

    def __enter__(self):
        self._previous.append(_State.current)
        _State.current = self.id
        return self

    def __exit__(self, *exc):
        _State.current = self._previous.pop()
        return False

    def use(self):
        _State.current = self.id

    def synchronize(self):
        pass

    def __eq__(self, other):
        return isinstance(other, Device) and other.id == self.id

    def __hash__(self):
        return hash(self.id)

    def __repr__(self):
        return f"<CUDA Device {self.id}>"


class _Runtime:
    @staticmethod
    def getDeviceCount():
        return _State.count

    @staticmethod
    def getDevice():
        return _State.current

    @staticmethod
    def setDevice(index):
        Device(index).use()

    @staticmethod
    def getDeviceProperties(index):
        Device(index)
        return {"name": b"Fake CUDA device (NumPy)", "totalGlobalMem": 2**30}

    @staticmethod
    def deviceSynchronize():
        pass


class _Stream:
    def synchronize(self):
        pass


# ----------------------------------------------------------------------------- the array

def _is_host_array(value) -> bool:
    return isinstance(value, numpy.ndarray) and not isinstance(value, ndarray)


def _raw(value):
    """The NumPy view behind a device array (lists and tuples of them too)."""
    if isinstance(value, ndarray):
        return value.view(numpy.ndarray)
    if isinstance(value, (list, tuple)):
        return type(value)(_raw(v) for v in value)
    return value


def _wrap(value, device_id):
    """Device arrays for what NumPy returned (0-d arrays for its scalars, as CuPy gives)."""
    if isinstance(value, numpy.ndarray):
        out = value.view(ndarray)
        out._device_id = device_id
        return out
    if isinstance(value, numpy.generic):
        return _wrap(_NUMPY_CONVERTERS["asarray"](value), device_id)
    if isinstance(value, tuple):
        return tuple(_wrap(v, device_id) for v in value)
    if isinstance(value, list):
        return [_wrap(v, device_id) for v in value]
    return value


def _arrays_in(values):
    for value in values:
        if isinstance(value, numpy.ndarray):
            yield value
        elif isinstance(value, (list, tuple)):
            yield from _arrays_in(value)


def _device_of_operands(values, name: str) -> int:
    """The one device all array operands live on; CuPy's errors for host arrays and mixes."""
    device = None
    for array in _arrays_in(values):
        if not isinstance(array, ndarray):
            raise TypeError(f"Unsupported type {numpy.ndarray} (in {name}: a NumPy array met a "
                            "CuPy array; CuPy never converts host arrays implicitly)")
        if device is None:
            device = array._device_id
        elif array._device_id != device:
            raise ValueError(f"Array device must be same as the current device: array device "
                             f"= {array._device_id} while current = {device}")
    return _State.current if device is None else device


def _host_only(method_name):
    def method(self, *args, **kwargs):
        _count("device_to_host", f"ndarray.{method_name}")
        return getattr(self.view(numpy.ndarray), method_name)(*args, **kwargs)
    method.__name__ = method_name
    return method


class ndarray(numpy.ndarray):
    """cupy.ndarray: a NumPy array that says which device it is on and refuses host mixing."""

    _device_id = 0

    def __array_finalize__(self, obj):
        self._device_id = getattr(obj, "_device_id", _State.current)

    @property
    def device(self) -> Device:
        device = Device.__new__(Device)
        device.id, device._previous = self._device_id, []
        return device

    @property
    def __array_interface__(self):
        raise AttributeError("'cupy.ndarray' object has no attribute '__array_interface__'")

    # -- what NumPy hands over to us -------------------------------------------------------
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        out = kwargs.get("out")
        outs = out if isinstance(out, tuple) else (() if out is None else (out,))
        device = _device_of_operands(inputs + outs, f"{ufunc.__name__}.{method}")
        if method in ("reduce", "accumulate") and (
                "initial" in kwargs or kwargs.get("where", True) is not True):
            raise TypeError(f"{ufunc.__name__}.{method}(): CuPy's reductions take no initial= "
                            "or where= argument")
        if method == "at":
            raise AttributeError(f"use cupyx.scatter_add, not {ufunc.__name__}.at, on CuPy")
        if kwargs.get("where", False) is True:
            del kwargs["where"]
        if outs:
            kwargs["out"] = tuple(_raw(o) for o in outs)
        result = getattr(ufunc, method)(*_raw(inputs), **kwargs)
        if outs:
            return outs[0] if len(outs) == 1 else outs
        return _wrap(result, device)

    def __array_function__(self, func, types, args, kwargs):
        module = _SUBMODULES.get(func.__module__.replace("numpy._core", "numpy"), cupy)
        own = getattr(module, func.__name__, None)
        if own is None:
            return NotImplemented  # NumPy then raises TypeError, as it does for real CuPy
        return own(*args, **kwargs)

    # -- indexing --------------------------------------------------------------------------
    def __getitem__(self, key):
        key = _device_key(key, self._device_id)
        return _wrap(numpy.ndarray.__getitem__(self.view(numpy.ndarray), key), self._device_id)

    def __setitem__(self, key, value):
        key = _device_key(key, self._device_id)
        if _is_host_array(value):
            _count("host_to_device", "a NumPy array assigned into a device array")
        elif isinstance(value, ndarray):
            _device_of_operands((self, value), "__setitem__")
            value = value.view(numpy.ndarray)
        numpy.ndarray.__setitem__(self.view(numpy.ndarray), key, value)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    # -- methods whose NumPy versions return scalars or plain arrays -----------------------
    def argmax(self, axis=None, out=None, dtype=None, keepdims=False):
        result = self.view(numpy.ndarray).argmax(axis, keepdims=keepdims)
        return _wrap(result if dtype is None else result.astype(dtype), self._device_id)

    def argmin(self, axis=None, out=None, dtype=None, keepdims=False):
        result = self.view(numpy.ndarray).argmin(axis, keepdims=keepdims)
        return _wrap(result if dtype is None else result.astype(dtype), self._device_id)

    def nonzero(self):
        _count("device_to_host", "nonzero (CuPy synchronises to learn the count)")
        return _wrap(self.view(numpy.ndarray).nonzero(), self._device_id)

    def trace(self, *args, **kwargs):
        return _wrap(self.view(numpy.ndarray).trace(*args, **kwargs), self._device_id)

    def reshape(self, *shape, order="C", **kwargs):
        if kwargs:
            raise TypeError(f"reshape() got an unexpected keyword argument "
                            f"'{next(iter(kwargs))}' (CuPy's reshape has no copy=)")
        return numpy.ndarray.reshape(self, *shape, order=order)

    def get(self, stream=None, order="C", out=None, blocking=True):
        _count("device_to_host", "ndarray.get")
        return self.view(numpy.ndarray).copy(order=order)

    def set(self, arr, stream=None):
        _count("host_to_device", "ndarray.set")
        self.view(numpy.ndarray)[...] = arr

    item = _host_only("item")
    tolist = _host_only("tolist")
    tobytes = _host_only("tobytes")
    __float__ = _host_only("__float__")
    __int__ = _host_only("__int__")
    __bool__ = _host_only("__bool__")
    __complex__ = _host_only("__complex__")
    __index__ = _host_only("__index__")

    def __repr__(self):
        _count("device_to_host", "printing a device array")
        return repr(self.view(numpy.ndarray))

    def __str__(self):
        _count("device_to_host", "printing a device array")
        return str(self.view(numpy.ndarray))

    def __format__(self, spec):
        _count("device_to_host", "formatting a device array")
        return format(self.view(numpy.ndarray), spec)

    def __reduce__(self):
        raise TypeError("the fake CuPy array is not picklable (move it to the CPU first)")

    def __deepcopy__(self, memo):
        return self.copy()


def _device_key(key, device_id):
    """An index with device arrays only: host index arrays are copied over (and counted);
    a boolean mask makes CuPy synchronise, and may not be mixed with other index arrays."""
    parts = key if isinstance(key, tuple) else (key,)
    converted, masks, arrays = [], 0, 0
    for part in parts:
        if isinstance(part, list) or _is_host_array(part):
            _count("host_to_device", "a host index array")
            part = _wrap(_NUMPY_CONVERTERS["asarray"](part), device_id)
        if isinstance(part, ndarray):
            if part._device_id != device_id:
                raise ValueError(f"Array device must be same as the current device: array "
                                 f"device = {part._device_id} while current = {device_id}")
            arrays += 1
            if part.dtype == numpy.bool_ and part.ndim:
                masks += 1
            part = part.view(numpy.ndarray)
        converted.append(part)
    if masks:
        if arrays > 1:
            raise ValueError("currently, CuPy only supports slices that consist of one boolean "
                             "array.")
        _count("device_to_host", "boolean-mask indexing (CuPy synchronises to learn the size)")
    return tuple(converted) if isinstance(key, tuple) else converted[0]


# ----------------------------------------------------------------------------- module functions

def _device_function(numpy_function, name):
    """A CuPy function: all array operands on one device, the result on that device."""
    def function(*args, **kwargs):
        device = _device_of_operands(list(args) + list(kwargs.values()), name)
        with Device(device):
            return _wrap(numpy_function(*_raw(args), **{k: _raw(v) for k, v in kwargs.items()}),
                         device)
    function.__name__ = name
    return function


def _synchronising(function, name):
    def counted(*args, **kwargs):
        _count("device_to_host", f"{name} (CuPy synchronises to learn the size)")
        return function(*args, **kwargs)
    return counted


def array(obj, dtype=None, *, copy=True, order="K", subok=False, ndmin=0, blocking=False):
    if isinstance(obj, ndarray):
        if obj._device_id != _State.current:
            copy = True  # what CuPy does under another device's context: a peer copy
        made = _NUMPY_CONVERTERS["array"](obj.view(numpy.ndarray), dtype=dtype, copy=copy,
                                          order=order, ndmin=ndmin)
        return _wrap(made, _State.current if copy else obj._device_id)
    if any(isinstance(a, ndarray) for a in _arrays_in([obj])):
        raise TypeError("a list of CuPy arrays: use cupy.stack")
    _count("host_to_device", "an array made from host data")
    return _wrap(_NUMPY_CONVERTERS["array"](obj, dtype=dtype, copy=True, order=order,
                                            ndmin=ndmin), _State.current)


def asarray(a, dtype=None, order=None, *, blocking=False):
    return array(a, dtype, copy=False, order=order or "K")


def asanyarray(a, dtype=None, order=None):
    return asarray(a, dtype, order)


def ascontiguousarray(a, dtype=None):
    if not isinstance(a, ndarray):
        a = asarray(a)
    return _wrap(_NUMPY_CONVERTERS["ascontiguousarray"](a.view(numpy.ndarray), dtype=dtype),
                 a._device_id)


def asnumpy(a, stream=None, order="C", out=None, blocking=True):
    if isinstance(a, ndarray):
        return a.get()
    return _NUMPY_CONVERTERS["asarray"](a, order=order)


def get_array_module(*args):
    return cupy if any(isinstance(a, ndarray) for a in args) else numpy


def _not_in_cupy(name):
    raise AttributeError(f"module 'cupy' has no attribute '{name}' (the fake CuPy offers only "
                         "functions checked to exist in CuPy: see _FUNCTIONS in "
                         "tests/cuda/fake_cupy.py)")


# CuPy module-level functions and constants the fake offers, each of which exists in CuPy 13
# (docs.cupy.dev, reference/comparison.html). Add a name only after checking it there.
_FUNCTIONS = """
    abs absolute add all allclose amax amin any arange arccos arccosh arcsin arcsinh arctan
    arctan2 arctanh argmax argmin argsort argwhere around array_equal atleast_1d atleast_2d
    bincount bitwise_and bitwise_not bitwise_or bitwise_xor broadcast_arrays broadcast_to cbrt
    ceil clip concatenate copy copysign cos cosh count_nonzero cumprod cumsum deg2rad diag
    diag_indices diagonal diff divide dot einsum empty empty_like equal exp exp2 expand_dims expm1
    eye fill_diagonal flip floor floor_divide fmax fmin fmod full full_like greater greater_equal
    heaviside hypot identity indices inner invert isclose isfinite isinf isnan ix_ left_shift
    less less_equal linspace log log10 log1p log2 logaddexp logical_and logical_not logical_or
    logical_xor logspace matmul max maximum mean meshgrid min minimum mod moveaxis multiply
    nan_to_num negative nextafter nonzero not_equal ones ones_like outer pad power prod ravel
    reciprocal remainder repeat reshape right_shift rint roll round searchsorted shares_memory sign
    signbit sin sinh sort sqrt square squeeze stack std subtract sum swapaxes take take_along_axis
    tan tanh tensordot tile transpose tril triu true_divide trunc unique var where zeros
    zeros_like
""".split()
_SYNCHRONISING = {"nonzero", "argwhere", "unique"}
_CONSTANTS = """
    bool_ float16 float32 float64 int8 int16 int32 int64 uint8 uint16 uint32 uint64 intp
    complex64 complex128 dtype finfo iinfo inf nan pi e newaxis result_type promote_types
    can_cast issubdtype floating integer signedinteger unsignedinteger number generic
""".split()


class _Module(types.ModuleType):
    def __getattr__(self, name):
        _not_in_cupy(name)


cupy = _Module("cupy", __doc__)
cupy.__fake__ = True
cupy.ndarray = ndarray
for _name in _CONSTANTS:
    setattr(cupy, _name, getattr(numpy, _name))
class _Ufunc:
    """A CuPy ufunc: call, reduce, accumulate and outer; no `at` (CuPy 13 has scatter_add)."""

    def __init__(self, ufunc):
        self._ufunc, self.__name__ = ufunc, ufunc.__name__
        self.nin, self.nout = ufunc.nin, ufunc.nout
        self._call = _device_function(ufunc, ufunc.__name__)
        for method in ("reduce", "accumulate", "outer"):
            setattr(self, method, _device_function(getattr(ufunc, method), method))

    def __call__(self, *args, **kwargs):
        return self._call(*args, **kwargs)

    def at(self, *args, **kwargs):
        raise AttributeError(f"use cupyx.scatter_add, not {self.__name__}.at, on CuPy")


for _name in _FUNCTIONS:
    if isinstance(getattr(numpy, _name), numpy.ufunc):
        setattr(cupy, _name, _Ufunc(getattr(numpy, _name)))
        continue
    _function = _device_function(getattr(numpy, _name), _name)
    setattr(cupy, _name, _synchronising(_function, _name) if _name in _SYNCHRONISING
            else _function)
for _function in (array, asarray, asanyarray, ascontiguousarray, asnumpy, get_array_module):
    setattr(cupy, _function.__name__, _function)

cupy.linalg = _Module("cupy.linalg")
for _name in ("qr", "norm", "solve", "inv", "det", "svd", "cholesky", "eigh"):
    setattr(cupy.linalg, _name, _device_function(getattr(numpy.linalg, _name), _name))

cupy.lib = _Module("cupy.lib")
cupy.lib.stride_tricks = _Module("cupy.lib.stride_tricks")


def as_strided(x, shape=None, strides=None):
    return _wrap(numpy.lib.stride_tricks.as_strided(x.view(numpy.ndarray), shape, strides),
                 x._device_id)


def sliding_window_view(x, window_shape, axis=None, *, subok=False, writeable=False):
    return _wrap(numpy.lib.stride_tricks.sliding_window_view(
        x.view(numpy.ndarray), window_shape, axis=axis, writeable=writeable), x._device_id)


cupy.lib.stride_tricks.as_strided = as_strided
cupy.lib.stride_tricks.sliding_window_view = sliding_window_view

_SUBMODULES = {"numpy": cupy, "numpy.linalg": cupy.linalg,
               "numpy.lib.stride_tricks": cupy.lib.stride_tricks,
               "numpy.lib._stride_tricks_impl": cupy.lib.stride_tricks}

class _MemoryPool:
    """cupy.get_default_memory_pool(): the fake keeps no pool."""

    def used_bytes(self):
        return 0

    def free_all_blocks(self):
        pass


cupy.get_default_memory_pool = _MemoryPool
cupy.cuda = _Module("cupy.cuda")
cupy.cuda.Device = Device
cupy.cuda.runtime = _Runtime
cupy.cuda.runtime.CUDARuntimeError = CUDARuntimeError
cupy.cuda.get_current_stream = _Stream
cupy.cuda.Stream = _Stream
cupy.cuda.is_available = lambda: _State.count > 0


# ----------------------------------------------------------------------------- random

class RandomState:
    """cupy.random.RandomState, drawing with NumPy's PCG64 (not CuPy's streams: the numbers
    differ from a real GPU's, as they do between torch's CPU and CUDA generators)."""

    def __init__(self, seed=None):
        self._generator = numpy.random.Generator(numpy.random.PCG64(seed))

    def _made(self, array):
        return _wrap(array, _State.current)

    def random_sample(self, size=None, dtype=float):
        return self._made(self._generator.random(size, dtype=dtype))

    def standard_normal(self, size=None, dtype=float):
        return self._made(self._generator.standard_normal(size, dtype=dtype))

    def randint(self, low, high=None, size=None, dtype="l"):
        return self._made(self._generator.integers(low, high, size=size, dtype=dtype))

    def permutation(self, num):
        return self._made(self._generator.permutation(num))

    def uniform(self, low=0.0, high=1.0, size=None, dtype=float):
        return self._made(self._generator.uniform(low, high, size).astype(dtype))

    def normal(self, loc=0.0, scale=1.0, size=None, dtype=float):
        return self._made(self._generator.normal(loc, scale, size).astype(dtype))


cupy.random = _Module("cupy.random")
cupy.random.RandomState = RandomState


# ----------------------------------------------------------------------------- cupyx

_SCATTER_ADD_DTYPES = (numpy.int32, numpy.float16, numpy.float32, numpy.float64, numpy.uint32,
                       numpy.uint64)


def scatter_add(a, slices, value):
    """cupyx.scatter_add: a[slices] += value, repeated indices added up (atomicAdd)."""
    if a.dtype.type not in _SCATTER_ADD_DTYPES:
        raise TypeError("scatter_add only supports int32, float16, float32, float64, uint32, "
                        "uint64, as data type")
    device = _device_of_operands((a, value) if isinstance(value, ndarray) else (a,),
                                 "scatter_add")
    key = _device_key(slices, device)
    numpy.add.at(a.view(numpy.ndarray), key, _raw(value))


cupyx = _Module("cupyx")
cupyx.scatter_add = scatter_add


# ----------------------------------------------------------------------------- installing

def _refuse_host_conversion(name):
    convert = _NUMPY_CONVERTERS[name]

    def guarded(a, *args, **kwargs):
        if isinstance(a, ndarray) or (isinstance(a, (list, tuple)) and
                                      any(isinstance(v, ndarray) for v in a)):
            raise TypeError("Implicit conversion to a NumPy array is not allowed. Please use "
                            "`.get()` to construct a NumPy array explicitly.")
        return convert(a, *args, **kwargs)
    guarded.__name__ = name
    return guarded


def install(devices: int = 1) -> None:
    """Make the backend use this fake as CuPy, with `devices` GPUs; undo with uninstall()."""
    from tinygrad_edu import backend  # noqa: PLC0415
    if _State.installed is None:
        _State.installed = (backend._cupy_module, backend._cupyx_module, backend._cupy_error)
        for name in _NUMPY_CONVERTERS:
            setattr(numpy, name, _refuse_host_conversion(name))
    _State.count, _State.current = devices, 0
    backend._cupy_module, backend._cupyx_module, backend._cupy_error = cupy, cupyx, None
    reset_transfers()


def uninstall() -> None:
    from tinygrad_edu import backend  # noqa: PLC0415
    if _State.installed is None:
        return
    backend._cupy_module, backend._cupyx_module, backend._cupy_error = _State.installed
    _State.installed = None
    for name, convert in _NUMPY_CONVERTERS.items():
        setattr(numpy, name, convert)
    from tinygrad_edu import random  # noqa: PLC0415
    random.default_generator._cupy.clear()  # a fake stream must not outlive the fake

