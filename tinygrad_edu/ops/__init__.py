"""The primitives: the only operations with a backward. Everything else is built from them.

elementwise  Add Sub RSub Mul Div Neg Pow PowScalar ScalarPow Remainder Reciprocal Exp Log
             Log1p Expm1 Sqrt Rsqrt Sin Cos Tanh Sigmoid Relu
piecewise    Abs Clamp Maximum Minimum Where MaskedFill Floor Ceil Trunc Round Sign Fill CopyFrom
reduce       Sum Mean Prod Amax Amin MaxAll MinAll MaxDim MinDim Cumsum LogSumExp Softmax
             LogSoftmax Norm
movement     View Unsqueeze Squeeze Permute Transpose MatrixTranspose Expand Clone ToCopy
             Flip Roll Repeat Cat Stack
indexing     BasicIndex Select Slice AdvancedIndex IndexToZeros IndexPut Gather ScatterAdd
             Scatter
linalg       Mm Bmm Matmul Mv Dot Addmm

The fused kernels of nn.functional live in nn/functional/ (and torch.erf's Erf in functions/).
"""
