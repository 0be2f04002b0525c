"""The core's primitives: the ops the engine is taught with, each with its backward.

elementwise  Add Sub RSub Mul Div Neg PowScalar Exp Log Sqrt Tanh Sigmoid Relu
reduce       Sum Mean Amax
movement     View Unsqueeze Permute Transpose MatrixTranspose Expand Clone ToCopy
indexing     BasicIndex Select Slice AdvancedIndex IndexToZeros IndexPut Gather ScatterAdd
linalg       Mm Bmm Matmul

The torch surface needs more primitives, written the same way; they live in the wing beside the
functions that call them: functions/*_ops.py (pow, clamp, where, prod, softmax, cat, scatter,
addmm, ...), functions/special.py (erf), and nn/functional/<topic>.py for the fused nn kernels
(convolution, pooling, losses, normalization).
"""
