"""01 - Tensors: the blitz's first page ("Tensors" / "What is PyTorch?"), line for line.

You learn: creating tensors (from data, NumPy, shapes, other tensors), dtypes, arithmetic,
`torch.add(..., out=)`, in-place ops (`add_`), NumPy-like indexing, `view`, `item`, the NumPy
bridge that shares memory, and moving tensors to a device.

    python examples/01_tensors.py [--backend torch] [--device cuda]

Open next: tinygrad_edu/tensor.py (what a Tensor holds), then tinygrad_edu/functions/creation.py.
"""
import numpy as np
from _common import cuda_available, get_device, load_backend, parse_args

args = parse_args(__doc__, epochs=1)
torch = load_backend(args)

# ----------------------------------------------------------------------------- initializing
data = [[1, 2], [3, 4]]
x_data = torch.tensor(data)                    # directly from data: the dtype is inferred
np_array = np.array(data)
x_np = torch.from_numpy(np_array)              # from a NumPy array
x_ones = torch.ones_like(x_data)               # retains the properties of x_data
print(f"Ones Tensor: \n {x_ones} \n")
x_rand = torch.rand_like(x_data, dtype=torch.float)  # overrides the datatype of x_data
print(f"Random Tensor: \n {x_rand} \n")

shape = (2, 3,)
rand_tensor = torch.rand(shape)
ones_tensor = torch.ones(shape)
zeros_tensor = torch.zeros(shape)
print(f"Random Tensor: \n {rand_tensor} \n")
print(f"Ones Tensor: \n {ones_tensor} \n")
print(f"Zeros Tensor: \n {zeros_tensor}")

x = torch.empty(5, 3)                          # uninitialized: whatever was in memory
x = torch.zeros(5, 3, dtype=torch.long)
print(x)
x = torch.tensor([5.5, 3])
print(x)
x = x.new_ones(5, 3, dtype=torch.double)       # new_* methods take in sizes
print(x)
x = torch.randn_like(x, dtype=torch.float)     # override dtype! the result has the same size
print(x)
print(x.size())                                # torch.Size is a tuple

# ----------------------------------------------------------------------------- attributes
tensor = torch.rand(3, 4)
print(f"Shape of tensor: {tensor.shape}")
print(f"Datatype of tensor: {tensor.dtype}")
print(f"Device tensor is stored on: {tensor.device}")

# ----------------------------------------------------------------------------- operations
tensor = torch.ones(4, 4)
print(f"First row: {tensor[0]}")
print(f"First column: {tensor[:, 0]}")
print(f"Last column: {tensor[..., -1]}")
tensor[:, 1] = 0
print(tensor)

t1 = torch.cat([tensor, tensor, tensor], dim=1)
print(t1)

# matrix multiplication: y1, y2, y3 have the same value
y1 = tensor @ tensor.T
y2 = tensor.matmul(tensor.T)
y3 = torch.rand_like(y1)
torch.matmul(tensor, tensor.T, out=y3)
# element-wise product: z1, z2, z3 have the same value
z1 = tensor * tensor
z2 = tensor.mul(tensor)
z3 = torch.rand_like(tensor)
torch.mul(tensor, tensor, out=z3)
print(y1.equal(y3), z1.equal(z3))

agg = tensor.sum()
agg_item = agg.item()                          # a one-element tensor to a Python number
print(agg_item, type(agg_item))

x = torch.rand(5, 3)
y = torch.rand(5, 3)
print(x + y)
print(torch.add(x, y))
result = torch.empty(5, 3)
torch.add(x, y, out=result)                    # an output tensor as argument
print(result)
y.add_(x)                                      # in place: any op ending in _ mutates
print(y)

print(f"{tensor} \n")
tensor.add_(5)
print(tensor)

x = torch.randn(4, 4)
y = x.view(16)                                 # view: same memory, new shape
z = x.view(-1, 8)                              # the size -1 is inferred from other dimensions
print(x.size(), y.size(), z.size())
x[0, 0] = 100.0
print("a view sees the change:", y[0].item())

x = torch.randn(1)
print(x)
print(x.item())

# ----------------------------------------------------------------------------- NumPy bridge
t = torch.ones(5)
print(f"t: {t}")
n = t.numpy()
print(f"n: {n}")
t.add_(1)                                      # a change in the tensor reflects in the array
print(f"t: {t}")
print(f"n: {n}")

n = np.ones(5)
t = torch.from_numpy(n)
np.add(n, 1, out=n)                            # a change in the array reflects in the tensor
print(f"t: {t}")
print(f"n: {n}")

# ----------------------------------------------------------------------------- devices
print("CUDA available:", cuda_available(torch))
if get_device(torch, args).type == "cuda":     # --device, else cuda when available
    device = torch.device("cuda")              # a CUDA device object
    y = torch.ones_like(x, device=device)      # directly create a tensor on GPU
    x = x.to(device)                           # or just use strings ``.to("cuda")``
    z = x + y
    print(z)
    print(z.to("cpu", torch.double))           # ``.to`` can also change dtype together!
